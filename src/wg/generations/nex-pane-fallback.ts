import { heldFor, type TerminalSession } from '../../terminal/index.js';
import { claudePaneReady } from '../surfaces/claude-pane.js';
import { COMPOSER_EMPTY } from '../surfaces/composer.js';
import { chatPanelLines, nexPaneBannerOnly, nexPaneReady } from '../surfaces/nex-pane.js';
import { projectProcesses } from '../processes.js';
import { openComposer } from './composer.js';
import { COMPOSER_AFTER_MS, composerHeld } from '../surfaces/composer-view.js';
import { nexPaneDriver, openNexPane } from './nex-pane.js';
import type { ChatDriver, ChatHandle, DriverContext } from '../types.js';

// The nex-pane generation as a person meets it. wg of about 2026-04-21..25 already has
// `wg init -m/-e/-x` and the pane code, but its pane can lose the chat's session lock to the
// daemon's restarted handler and die before it is drawn: the Chat tab then shows the composer
// (`Chat with Coordinator` / `Press 'c' or ':' to start typing.`) and stays there. A person types
// into what is on screen, so this driver waits for the pane, and when only the composer shows for
// COMPOSER_AFTER_MS it says so loudly and drives the composer instead.

/** A pane with nex's banner and no prompt for this long is taken as it is (nex prints its prompt within a second of the banner). */
export const BANNER_ONLY_AFTER_MS = 10_000;
const PANE_BUDGET_MS = 30_000;

export type ChatSurface = 'pane' | 'composer' | 'banner' | 'none';

/** What the Chat tab shows on this screen: the nex pane ready, its banner without a prompt, the composer's empty state, or none of them. */
export function chatSurface(lines: readonly string[]): ChatSurface {
  if (nexPaneReady(lines)) return 'pane';
  if (nexPaneBannerOnly(lines)) return 'banner';
  return (chatPanelLines(lines) ?? []).some((l) => COMPOSER_EMPTY.test(l.trim())) ? 'composer' : 'none';
}

// Re-checked on every frame; the composer's time on screen is the one time-based condition.
async function waitSurface(session: TerminalSession): Promise<ChatSurface> {
  // The composer and a prompt-less pane are taken only once they have lasted (a ready pane
  // replaces either within a second or two).
  const composerLasted = heldFor(COMPOSER_AFTER_MS);
  const bannerLasted = heldFor(BANNER_ONLY_AFTER_MS);
  try {
    return await session.waitFor<ChatSurface>(
      (screen, ctx) => {
        const surface = chatSurface(screen.lines);
        if (surface === 'pane') return 'pane';
        if (composerLasted(surface === 'composer' ? surface : undefined, ctx)) return 'composer';
        return bannerLasted(surface === 'banner' ? surface : undefined, ctx) ? 'banner' : undefined;
      },
      { timeoutMs: PANE_BUDGET_MS, phase: 'waiting for the nex pane (or the composer it falls back to)' },
    );
  } catch {
    // Out of time, or wg tui exited: report what is on screen and let the caller's wait say why.
    return chatSurface(session.screen().lines);
  }
}

// claude's input box in the pane, or the composer's empty state held for COMPOSER_AFTER_MS.
async function waitClaudeSurface(session: TerminalSession): Promise<'pane' | 'composer' | 'none'> {
  const composer = composerHeld();
  return session
    .waitFor<'pane' | 'composer'>((screen, ctx) => (claudePaneReady(screen.lines) ? 'pane' : composer(screen.lines, ctx) ? 'composer' : undefined), {
      timeoutMs: 60_000,
      phase: "waiting for claude's input box in the chat pane (or the composer it falls back to)",
    })
    .catch(() => 'none' as const);
}

export const nexPaneOrComposerDriver: ChatDriver = {
  ...nexPaneDriver,
  async open(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle> {
    if (ctx.target.kind === 'claude') {
      // Builds of 04-21/22 have no pane yet: their claude chat is the composer over the daemon's handler.
      if ((await waitClaudeSurface(session)) !== 'composer') return nexPaneDriver.open(session, ctx);
      ctx.finding(
        `the Chat tab shows no claude pane: after ${COMPOSER_AFTER_MS / 1000}s it still shows the composer, so the messages are typed there (the daemon's claude handler answers)`,
      );
      return openComposer(session, ctx);
    }
    const surface = await waitSurface(session);
    if (surface === 'banner') {
      // Seen at graphwork/wg 42692002 (2026-04-24): the pane runs `wg nex --chat coordinator-N`,
      // whose input is the chat's inbox, while the TUI forwards every key to the pane.
      const nex = (await projectProcesses(ctx.projectDir)).filter((p) => /\snex\s/.test(` ${p.cmd} `) && /--chat\b/.test(p.cmd));
      ctx.finding(
        `the chat pane shows nex's banner but no \`> \` prompt after ${BANNER_ONLY_AFTER_MS / 1000}s${nex.length ? `; the pane runs \`${nex.map((p) => p.cmd.replace(/^\S*\/(wg[\w-]*) /, 'wg ')).join('`, `')}\` (\`--chat\`: nex reads the chat's inbox, not the keys)` : ''}; typing into the focused pane as a person would`,
      );
      return openNexPane(session, ctx, { promptless: true });
    }
    if (surface !== 'composer') return nexPaneDriver.open(session, ctx);
    ctx.finding(
      `the Chat tab never showed the \`wg nex\` pane: after ${COMPOSER_AFTER_MS / 1000}s it still shows the composer ("Press 'c' or ':' to start typing."), so the messages are typed there, as a person would (they go to the daemon's handler, not an embedded nex)`,
    );
    return openComposer(session, ctx);
  },
};
