import type { TerminalSession } from '../../terminal/index.js';
import { claudePaneReady, detectClaudePane, readClaudeTurn } from '../detectors/claude-pane.js';
import { chatPanelWidth } from '../detectors/nex-pane.js';
import { historyFromDump, lastWordsFromDump } from './pty-dump.js';
import type { ChatHandle, DriverContext } from './types.js';
import { tuiDump } from '../tui-dump.js';
import { SetupError } from '../../errors.js';

// `wg init -x claude` in the nex-pane generation (April 2026): the Chat tab runs interactive
// claude in its pane. A person waits for claude's input box and types. Claude's first-run screens
// (onboarding, trust, the API-key question, bypass-permissions consent) are answered ahead of time
// in the private config folder the scenario gives it (src/smoke/claude-config.ts).

const READY_MS = 60_000;

export async function openClaudePane(session: TerminalSession, ctx: DriverContext, dumpPrefix: string): Promise<ChatHandle> {
  await session.waitFor((s) => claudePaneReady(s.lines), { timeoutMs: READY_MS, phase: "waiting for claude's input box in the chat pane" }).catch(async (error: Error) => {
    const words = await lastWordsFromDump(dumpPrefix);
    throw new SetupError(`claude's input box never appeared in the chat pane: ${error.message}${words ? `; claude printed: ${words}` : ''}`);
  });
  const dump = await tuiDump(ctx);
  return {
    detector: detectClaudePane,
    // claude keeps its own session files; the screen and the endpoint's traffic are the evidence here.
    readTranscript: async () => ({ status: 'unavailable', detail: "claude's session files are not read" }),
    lastWords: (turn) => lastWordsFromDump(dumpPrefix, turn),
    history: {
      read: async (screen) => {
        const cols = chatPanelWidth(screen);
        return cols ? historyFromDump(dumpPrefix, cols) : undefined;
      },
      detector: readClaudeTurn,
    },
    describe: dump ? `tui-dump: ${JSON.stringify(dump)}` : 'tui-dump unavailable in this build',
  };
}
