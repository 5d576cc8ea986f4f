import { TerminalSession } from '../../terminal/session.js';
import { type ChatHandle, type DriverContext } from '../types.js';
import { detectPiTmux, piChatFailure, piReady, readPiTurn } from './pi.js';
import { launcherError } from '../frame.js';
import { ChatFailedError } from '../../errors.js';
import { pollUntil } from '../poll.js';
import { tuiDump, type TuiDump } from '../tui-dump.js';
import { wgDirOf } from '../wg-dir.js';
import { chatDirFor, checkPiSession } from '../transcripts/journals.js';
import { chatPaneHistory } from '../tmux.js';
/** After Enter on a Pi row of the launcher: waits for Pi's editor (or wg's `Chat unavailable`) and confirms the chat with tui-dump. */
export async function openPiPane(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle> {
  // Pi takes several seconds to boot inside tmux; its editor and footer mean it takes keys. wg
  // may instead show the chat as failed (`Chat unavailable: … refused Pi chat start …`): that is
  // wg's verdict on its own chat, reported as soon as it is drawn.
  ctx.launched('the Pi chat');
  const opened = await session.waitFor(
    (s) => {
      if (piReady(s.lines)) return 'ready';
      const refused = launcherError(s.lines);
      if (refused) return { failure: `the New chat launcher did not start the chat: ${refused}` };
      const failure = piChatFailure(s.lines);
      return failure ? { failure } : undefined;
    },
    { timeoutMs: 90_000, phase: "waiting for Pi's editor and footer in the chat pane" },
  );
  if (opened !== 'ready') throw new ChatFailedError(opened.failure);
  const dump = await pollUntil(
    async () => {
      const d = await tuiDump(ctx);
      return d?.focused_panel === 'panel' && d.selected_task?.startsWith('.chat-') ? d : undefined;
    },
    { timeoutMs: 10_000, what: 'wg tui-dump to report a focused chat' },
  ).catch((error: Error) => {
    ctx.finding(`chat not confirmed by tui-dump: ${error.message}`);
    return undefined;
  });
  return piHandle(ctx, dump);
}

/** The Pi chat wg reports active (`tui-dump`'s selected `.chat-N`) as the turn's surface: its session file, its tmux pane's history. */
export async function piHandle(ctx: DriverContext, dump: TuiDump | undefined): Promise<ChatHandle> {
  const alias = dump?.selected_task?.replace(/^\./, '') ?? `chat-${dump?.coordinator_id ?? 0}`;
  const wgDir = await wgDirOf(ctx.projectDir);
  return {
    detector: detectPiTmux,
    readTranscript: async (turn) => checkPiSession(await chatDirFor(wgDir, alias), turn),
    history: { read: () => chatPaneHistory(ctx), detector: readPiTurn },
    describe: dump ? `tui-dump: ${JSON.stringify(dump)}` : 'tui-dump did not confirm the chat',
  };
}
