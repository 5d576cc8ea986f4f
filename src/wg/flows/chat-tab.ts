import { heldFor, timeoutAsUndefined, type CheckContext, type TerminalSession } from '../../terminal/index.js';
import { chatTabs } from '../frame.js';
import { composerHeld } from '../surfaces/composer-view.js';
import type { DriverContext } from '../types.js';
import { deathPanel, DIED, paneObserved } from '../frame.js';
import { findOnPath } from '../../terminal/spawn-target.js';

// What the Chat tab of wg's TUI shows before anything is typed, from May to July 2026 (nex and Pi
// in tmux, the composer view): a ready pane, `No chat selected.`, a dead chat's panel, no chat and
// no agent, the composer view, or a pane the TUI only observes. Read off the screen, each state
// with the words a finding gives it.

const NO_CHAT = /No chat selected\./;

/** What the Chat tab shows first besides a ready pane (see chatTabShows). */
export type FirstShown = 'launcher' | 'died' | 'inactive' | 'composer';

// 58380883 (07-14) after a plain init, whose `wg service start` wg refuses (WG-EXEC-UNSELECTED):
// `Chat agent not active. Start with: wg service start`, and a tab bar with only `[+]`.
const INACTIVE = /│\s*Chat agent not active\./;
const INACTIVE_AFTER_MS = 3_000;

/** The composer view held on screen with `Chat agent not active.` in it: the chat shown without its agent. */
export function inactiveComposer(): (lines: readonly string[], ctx: CheckContext) => boolean {
  const held = composerHeld();
  return (lines, ctx) => held(lines, ctx) && lines.some((l) => INACTIVE.test(l));
}

/**
 * wg's own chat died before anything was typed (its `Chat agent died` panel): wg's failure, counted,
 * while the harness goes on as a person would (the panel's launcher). Not wg's when the user chose
 * no executor (a plain `wg init`: the chat is wg's default) and the panel's command is a program
 * this machine lacks (claude not installed): then it is said, not counted. Where the user's setup
 * chose the chat (`-x nex`, a route), a chat that dies is wg's whatever it ran (18908cbb ran claude
 * for `-x nex`). The panel's words are the evidence either way.
 */
export function chatDiedBeforeTyping(ctx: DriverContext, lines: readonly string[], what: string, then: string): void {
  const words = deathPanel(lines);
  const program = /Command:\s+(\S+)/.exec(words)?.[1];
  const missing = program && !program.includes('/') && !findOnPath(program, ctx.environment.env.PATH);
  if (missing && ctx.setup === 'plain')
    ctx.finding(
      `${what} (Chat agent died): ${words} — \`${program}\` is not on wg's PATH on this machine and the plain setup chose no executor (wg's default), so not counted against wg; ${then}`,
    );
  else {
    ctx.wgFailed(`${what} (Chat agent died): ${words}`);
    ctx.finding(then);
  }
}

/** The finding for a Chat tab with no chat to type into, and how a person makes one. */
export function noChatFinding(first: 'launcher' | 'inactive', kind: string): string {
  if (first === 'inactive')
    return `no chat and no chat agent (\`Chat agent not active. Start with: wg service start\`, the service not running): making the ${kind} chat in the New chat launcher (\`n\`)`;
  return 'no implicit chat in this wg (`No chat selected.`): opening one with `n` (command mode)';
}

/**
 * What the Chat tab shows first: one of the ready panes given (checked in order), `No chat
 * selected.` (launcher), a dead chat's panel (died), no chat and no agent (`Chat agent not
 * active.`, the service down: inactive), or the composer view held for a while.
 */
export async function chatTabShows<K extends string>(
  session: TerminalSession,
  panes: Record<K, (lines: readonly string[]) => boolean>,
  wait: { timeoutMs: number; phase: string },
): Promise<K | FirstShown> {
  const composer = composerHeld();
  const named = Object.entries(panes) as Array<[K, (lines: readonly string[]) => boolean]>;
  const inactive = heldFor(INACTIVE_AFTER_MS);
  return session.waitFor<K | FirstShown>((s, ctx) => {
    const pane = named.find(([, ready]) => ready(s.lines));
    if (pane) return pane[0];
    if (s.lines.some((l) => NO_CHAT.test(l))) return 'launcher';
    if (s.lines.some((l) => DIED.test(l))) return 'died';
    // No chat tab and no agent, for a while (a running service's implicit chat replaces it at once).
    if (inactive(chatTabs(s.lines).length === 0 && s.lines.some((l) => INACTIVE.test(l)) ? 'inactive' : undefined, ctx)) return 'inactive';
    return composer(s.lines, ctx) ? 'composer' : undefined;
  }, wait);
}

const OBSERVER_GRACE_MS = 10_000;

export async function warnIfObserved(session: TerminalSession, ctx: DriverContext): Promise<void> {
  if (!paneObserved(session.screen().lines)) return;
  // wg may still finish the handoff: the `PTY` status within a few seconds.
  const handedOver = await session
    .waitFor((s) => !paneObserved(s.lines) || undefined, { timeoutMs: OBSERVER_GRACE_MS, phase: 'the pane taking keys (status PTY)' })
    .catch(timeoutAsUndefined);
  if (handedOver) return;
  ctx.finding(
    `wg shows the chat pane but does not give it the keys: the status row says \`NAV\`, not \`PTY\`, for ${OBSERVER_GRACE_MS / 1000}s (the TUI observes the pane: the daemon's handler kept the chat's session lock past wg's 5 s handoff), so what is typed goes to the TUI, not the chat`,
  );
}

// `--setup route`: the build's named route for the scenario (setupRoute), as `wg init --help` offers it.
