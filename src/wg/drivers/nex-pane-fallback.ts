import type { TerminalSession } from '../../terminal/index.js';
import { COMPOSER_EMPTY } from '../detectors/composer.js';
import { chatPanelLines, nexPaneReady } from '../detectors/nex-pane.js';
import { openComposer } from './composer.js';
import { nexPaneDriver } from './nex-pane.js';
import type { ChatDriver, ChatHandle, DriverContext } from './types.js';

// The nex-pane generation as a person meets it. wg of about 2026-04-21..25 already has
// `wg init -m/-e/-x` and the pane code, but its pane can lose the chat's session lock to the
// daemon's restarted handler and die before it is drawn: the Chat tab then shows the composer
// (`Chat with Coordinator` / `Press 'c' or ':' to start typing.`) and stays there. A person types
// into what is on screen, so this driver waits for the pane, and when only the composer shows for
// COMPOSER_AFTER_MS it says so loudly and drives the composer instead.

export const COMPOSER_AFTER_MS = 12_000;
const PANE_BUDGET_MS = 30_000;

export type ChatSurface = 'pane' | 'composer' | 'none';

/** What the Chat tab shows on this screen: the nex pane ready, the composer's empty state, or neither. */
export function chatSurface(lines: readonly string[]): ChatSurface {
  if (nexPaneReady(lines)) return 'pane';
  return (chatPanelLines(lines) ?? []).some((l) => COMPOSER_EMPTY.test(l.trim())) ? 'composer' : 'none';
}

// Re-checked on every frame; the composer's time on screen is the one time-based condition.
async function waitSurface(session: TerminalSession): Promise<ChatSurface> {
  let composerSince: number | undefined;
  try {
    return await session.waitFor<ChatSurface>(
      (screen, ctx) => {
        const surface = chatSurface(screen.lines);
        if (surface === 'pane') return 'pane';
        const now = performance.now();
        composerSince = surface === 'composer' ? (composerSince ?? now) : undefined;
        if (composerSince === undefined) return undefined;
        if (now - composerSince >= COMPOSER_AFTER_MS) return 'composer';
        ctx.recheckIn(COMPOSER_AFTER_MS - (now - composerSince));
        return undefined;
      },
      { timeoutMs: PANE_BUDGET_MS, phase: 'waiting for the nex pane (or the composer it falls back to)' },
    );
  } catch {
    // Out of time, or wg tui exited: report what is on screen and let the caller's wait say why.
    return chatSurface(session.screen().lines);
  }
}

export const nexPaneOrComposerDriver: ChatDriver = {
  ...nexPaneDriver,
  async open(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle> {
    if (ctx.target.kind === 'claude') return nexPaneDriver.open(session, ctx);
    const surface = await waitSurface(session);
    if (surface !== 'composer') return nexPaneDriver.open(session, ctx);
    ctx.finding(
      `the Chat tab never showed the \`wg nex\` pane: after ${COMPOSER_AFTER_MS / 1000}s it still shows the composer ("Press 'c' or ':' to start typing."), so the messages are typed there, as a person would (they go to the daemon's handler, not an embedded nex)`,
    );
    return openComposer(session, ctx);
  },
};
