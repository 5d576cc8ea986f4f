import type { TerminalSession } from '../../terminal/index.js';
import { timeoutAsUndefined } from '../../terminal/index.js';
import { tuiDump, type TuiDump } from '../tui-dump.js';
import type { ChatHandle, DriverContext } from '../types.js';
import { composerChatPanel, composerRule } from '../surfaces/composer.js';
import { composerHandle } from '../surfaces/composer-open.js';

// A chat a person opened with their own keys (a replayed trace): the harness presses nothing, reads
// which of the generation's surfaces is on screen, and asks wg (`tui-dump`) which chat is active.

/** One surface a generation's chat can show as: how it looks on screen, and its handle. */
export interface AttachCandidate {
  surface: string;
  shows: (lines: readonly string[]) => boolean;
  handle: (dump: TuiDump | undefined) => Promise<ChatHandle> | ChatHandle;
}

/** How long the chat the trace typed into may take to look like one the harness knows. */
const ATTACH_MS = 10_000;

/** The handle of the first candidate on screen (in the order given), or undefined when none shows within ATTACH_MS. */
export async function attachChat(session: TerminalSession, ctx: DriverContext, candidates: readonly AttachCandidate[]): Promise<ChatHandle | undefined> {
  const found = await session
    .waitFor((s) => candidates.find((c) => c.shows(s.lines)), {
      timeoutMs: ATTACH_MS,
      phase: `a chat on screen (${candidates.map((c) => c.surface).join(', ')})`,
    })
    .catch(timeoutAsUndefined);
  return found && found.handle(await tuiDump(ctx));
}

/** The composer (the chat's input under its messages), which every generation can fall back to. */
export const composerCandidate = (session: TerminalSession, ctx: DriverContext): AttachCandidate => ({
  surface: 'composer',
  shows: (lines) => {
    const panel = composerChatPanel(lines);
    return panel !== undefined && composerRule(panel) >= 0;
  },
  handle: (dump) => composerHandle(session, ctx, dump),
});
