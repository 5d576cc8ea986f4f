import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SetupError } from '../../errors.js';
import type { TranscriptCheck } from '../../report/model.js';
import type { TerminalSession } from '../../terminal/index.js';
import { chatPanelLines, detectNexPane } from '../detectors/nex-pane.js';
import type { TurnContext } from '../detectors/observation.js';
import { pollUntil } from '../poll.js';
import { startService, wgCommand } from '../service.js';
import { checkNexJournal } from '../transcripts.js';
import { wgDirOf } from '../wg-dir.js';
import { commandError } from '../workspace.js';
import { piTmuxDriver } from './pi-tmux.js';
import type { ChatDriver, ChatHandle, DriverContext } from './types.js';
import { tuiDump } from '../tui-dump.js';

// wg of about May to June 2026 (graphwork/wg): `wg init -m M -e URL -x nex` is still accepted (`-x`
// deprecated, the model stored as `nex:M`), chats are graph tasks `.chat-N` and the Chat tab shows
// a bare `wg nex -m M -e URL` REPL running in a tmux session behind the pane. The REPL draws as the
// April pane did (banner, `> ` prompt, plain reply), so the nex-pane detector reads it; what differs
// is the chat's id, where its journal is, and the tmux session that outlives `wg tui`.

const PROMPT_ONLY = /^>\s*█?\s*$/;

// A bare `wg nex` starts a fresh session (a new uuid folder under chat/): judge the turn from the
// most recently written journal.
export async function checkNewestNexJournal(wgDir: string, turn: TurnContext): Promise<TranscriptCheck> {
  const chatDir = join(wgDir, 'chat');
  let newest: { dir: string; mtime: number } | undefined;
  for (const entry of await readdir(chatDir).catch(() => [] as string[])) {
    const info = await stat(join(chatDir, entry, 'conversation.jsonl')).catch(() => undefined);
    if (info && (!newest || info.mtimeMs > newest.mtime)) newest = { dir: join(chatDir, entry), mtime: info.mtimeMs };
  }
  return checkNexJournal(newest?.dir, turn);
}

export const nexTmuxDriver: ChatDriver = {
  name: 'nex-tmux',
  setupPath: "the user's literal `wg init -m MODEL -e URL -x nex` (`-x` deprecated but accepted), then `wg service start`",

  async setup(ctx) {
    const { target } = ctx;
    if (target.kind === 'claude') throw new SetupError('the nex-tmux driver drives the nex chat only');
    const init = await wgCommand(ctx, ['init', '-m', target.model, '-e', target.endpointUrl ?? '', '-x', 'nex'], 60_000);
    if (init.exitCode !== 0) throw new SetupError(commandError(init));
    const warning = /warning: [^\n]*deprecated[^\n]*/i.exec(`${init.stderr}\n${init.stdout}`)?.[0];
    if (warning) ctx.finding(`wg accepted the user's literal command with a warning: ${warning.trim()}`);
    await startService(ctx, { expectHandler: false });
  },

  tui(ctx) {
    return { args: ['tui'], env: { WG_PTY_DUMP: join(ctx.artifactsDir, 'ptydump') } };
  },

  async open(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle> {
    const ready = (lines: readonly string[]) => {
      const chat = chatPanelLines(lines) ?? [];
      const banner = chat.findIndex((l) => /wg nex — interactive session with/.test(l));
      return banner >= 0 && chat.slice(banner + 1).some((l) => PROMPT_ONLY.test(l.trim()));
    };
    await session.waitFor((s) => ready(s.lines), { timeoutMs: 45_000, phase: 'waiting for the nex chat pane (banner and `> ` prompt)' });
    const dump = await pollUntil(
      async () => {
        const d = await tuiDump(ctx);
        return d?.active_tab === 'Chat' && d.focused_panel === 'panel' ? d : undefined;
      },
      { timeoutMs: 10_000, what: 'wg tui-dump to report the chat tab focused' },
    ).catch((error: Error) => {
      ctx.finding(`chat not confirmed by tui-dump: ${error.message}`);
      return undefined;
    });
    const wgDir = await wgDirOf(ctx.projectDir);
    return {
      detector: detectNexPane,
      readTranscript: (turn) => checkNewestNexJournal(wgDir, turn),
      describe: dump ? `tui-dump: ${JSON.stringify(dump)}` : 'tui-dump did not confirm the chat',
    };
  },

  // The tmux session outlives `wg tui`: the same teardown as the Pi chat's.
  teardown: (ctx) => piTmuxDriver.teardown(ctx),
};
