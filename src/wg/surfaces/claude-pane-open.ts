import type { TerminalSession } from '../../terminal/index.js';
import { claudePaneReady, detectClaudePane, readClaudeTurn } from './claude-pane.js';
import type { TurnContext } from './observation.js';
import type { ChatHandle, DriverContext } from '../types.js';
import { tuiDump, type TuiDump } from '../tui-dump.js';
import { SetupError } from '../../errors.js';

// Interactive claude in wg's chat pane: `wg init -x claude` in April (the pane runs claude
// directly) and the `claude:opus` preset of May to July (claude inside a tmux session behind the
// pane). A person waits for claude's input box and types. Claude's first-run screens (onboarding,
// trust, the API-key question, bypass-permissions consent) are answered ahead of time in the
// private config folder the scenario gives it (src/smoke/claude-config.ts).

const READY_MS = 60_000;

/** Where the pane's whole output can be read back: wg's pty dump (April) or the tmux session (later). */
export interface ClaudePaneSource {
  /** Every row claude wrote, scrolled-off ones included, given the current screen. */
  history: (screen: readonly string[]) => Promise<string[] | undefined>;
  /** claude's last words after this turn's message, when its pane vanished. */
  lastWords?: (turn?: TurnContext) => Promise<string | undefined>;
}

export async function openClaudePane(session: TerminalSession, ctx: DriverContext, source: ClaudePaneSource): Promise<ChatHandle> {
  await session
    .waitFor((s) => claudePaneReady(s.lines), { timeoutMs: READY_MS, phase: "waiting for claude's input box in the chat pane" })
    .catch(async (error: Error) => {
      const words = await source.lastWords?.();
      throw new SetupError(`claude's input box never appeared in the chat pane: ${error.message}${words ? `; claude printed: ${words}` : ''}`);
    });
  return claudePaneHandle(source, await tuiDump(ctx));
}

/** claude in the chat pane as the turn's surface: the screen and the endpoint's traffic are the evidence. */
export function claudePaneHandle(source: ClaudePaneSource, dump: TuiDump | undefined): ChatHandle {
  return {
    detector: detectClaudePane,
    // claude keeps its own session files; the screen and the endpoint's traffic are the evidence here.
    readTranscript: () => Promise.resolve({ status: 'unavailable', detail: "claude's session files are not read" }),
    ...(source.lastWords ? { lastWords: source.lastWords } : {}),
    history: { read: (screen) => source.history(screen), detector: readClaudeTurn },
    describe: dump ? `tui-dump: ${JSON.stringify(dump)}` : 'tui-dump unavailable in this build',
  };
}
