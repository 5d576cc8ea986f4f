import { SetupError } from '../../errors.js';
import type { TerminalSession } from '../../terminal/index.js';
import { chatPanelWidth, detectNexPane, nexPaneBannerOnly, nexPaneReady, readNexTurn } from '../surfaces/nex-pane.js';
import { pollUntil } from '../poll.js';
import { startService, stopService, wgCommand } from '../service.js';
import { checkNewestNexJournal, checkNexJournal } from '../transcripts/journals.js';
import { chatDirHolding } from '../transcripts/chat-dir.js';
import { commandError } from '../workspace.js';
import { historyFromDump, lastWordsFromDump } from '../transcripts/pty-dump.js';
import type { ChatDriver, ChatHandle, DriverContext } from '../types.js';
import { tuiDump } from '../tui-dump.js';
import { openClaudePane } from '../surfaces/claude-pane-open.js';
import { dumpPrefix, wgTui } from '../tui-command.js';
import { wgDirOf } from '../wg-dir.js';
import { initWithoutExecutor, serviceExecutor } from '../flows/init-no-executor.js';

// The April-2026 TUI: `wg init -m M -e URL -x nex`, `wg service start`, `wg tui`; the Chat tab
// embeds a `wg nex` REPL that takes keys directly: type, then Enter.

export { dumpPrefix } from '../tui-command.js';

export const nexPaneDriver: ChatDriver = {
  name: 'nex-pane',
  setupPath: "the user's literal `wg init -m MODEL -e URL -x nex`, then `wg service start`",

  async setup(ctx) {
    const { target, caps } = ctx;
    if (target.kind === 'endpoint' && caps.init.model && caps.init.endpoint && !caps.init.executor) {
      // 2026-04-21..25: `wg init -m/-e` without -x; the executor follows the model (local: → native).
      await initWithoutExecutor(ctx);
      const before = ctx.commands.length;
      await startService(ctx, { expectHandler: true });
      const said = serviceExecutor(
        ctx.commands
          .slice(before)
          .map((c) => c.stdout)
          .join('\n'),
      );
      if (said && said !== 'native') ctx.finding(`\`wg service start\` reports executor=${said}, not native`);
      return;
    }
    let args: string[];
    if (target.kind === 'claude') {
      args = ['init', '-x', 'claude'];
      if (!caps.init.executor) {
        // 04-21..25: no -x yet, and `default_executor()` is claude: a plain `wg init` is the claude
        // setup this wg offers. The user's flag is tried first and its refusal said.
        const literal = await wgCommand(ctx, args, 60_000);
        if (literal.exitCode === 0) {
          ctx.finding('this wg accepted `wg init -x claude` although its help does not list -x');
          await startService(ctx, { expectHandler: false });
          return;
        }
        ctx.finding(
          `wg REJECTED \`wg init -x claude\`: ${commandError(literal)}. This wg has no -x yet and its default executor is claude: running \`wg init\`.`,
        );
        args = ['init'];
      }
    } else {
      if (!caps.init.endpoint || !caps.init.executor) {
        throw new SetupError('this wg has no `wg init -e/-x`: the nex-pane driver cannot set it up');
      }
      args = ['init', '-m', target.model, '-e', target.endpointUrl ?? '', '-x', 'nex'];
    }
    const init = await wgCommand(ctx, args, 60_000);
    if (init.exitCode !== 0) throw new SetupError(commandError(init));
    await startService(ctx, { expectHandler: target.kind !== 'claude' });
  },

  tui: wgTui,

  // `wg init -x claude`: interactive claude in the chat pane.
  drivesClaudeLocal: true,

  open: (session: TerminalSession, ctx: DriverContext): Promise<ChatHandle> => openNexPane(session, ctx),

  async teardown(ctx) {
    const leftovers = await stopService(ctx, ctx.caps.serviceStopKillAgents ? ['--kill-agents'] : []);
    if (leftovers.length > 0) ctx.finding(`processes still running in the project after \`wg service stop\` were killed: ${leftovers.join('; ')}`);
  },
};

/**
 * Opens the nex pane. `promptless`: the pane's nex draws its banner and never a prompt (it reads
 * the chat inbox, not the keys the TUI forwards): the messages are still typed into the focused
 * pane, as a person would, and wg's answer (or silence) is judged.
 */
export async function openNexPane(session: TerminalSession, ctx: DriverContext, options: { promptless?: boolean } = {}): Promise<ChatHandle> {
  const ready = (lines: readonly string[]) => (options.promptless ? nexPaneBannerOnly(lines) || nexPaneReady(lines) : nexPaneReady(lines));
  if (ctx.target.kind === 'claude') {
    return openClaudePane(session, ctx, {
      history: async (screen) => {
        const cols = chatPanelWidth(screen);
        return cols ? historyFromDump(dumpPrefix(ctx), cols) : undefined;
      },
      lastWords: (turn) => lastWordsFromDump(dumpPrefix(ctx), turn),
    });
  }
  // The banner is wg's chat, launched: from there a prompt that never comes is wg's (chat-stuck).
  await session.waitFor((s) => nexPaneBannerOnly(s.lines) || ready(s.lines), { timeoutMs: 30_000, phase: "waiting for the nex chat pane's banner" });
  ctx.launched('the nex chat (its banner in the Chat pane)');
  await session.waitFor((s) => ready(s.lines), { timeoutMs: 30_000, phase: 'waiting for the nex chat pane (banner and `> ` prompt)' });
  // wg tui may create coordinator 1 in the background and switch the pane to it: confirm with
  // wg's own view which chat is active, and that the pane shown is ready, before typing.
  let dump: Awaited<ReturnType<typeof tuiDump>>;
  if (ctx.caps.tuiDump) {
    dump = await pollUntil(
      async () => {
        const d = await tuiDump(ctx);
        return d && d.active_tab === 'Chat' && d.focused_panel === 'panel' && (d.coordinator_id ?? 0) >= 1 ? d : undefined;
      },
      { timeoutMs: 5_000, what: 'wg tui-dump to report the chat tab focused on a user coordinator' },
    ).catch(async (error) => {
      ctx.finding(`chat not confirmed by tui-dump: ${(error as Error).message}`);
      return tuiDump(ctx);
    });
    await session.waitFor((s) => ready(s.lines), { timeoutMs: 15_000, phase: 'waiting for the nex pane after the coordinator switch' });
  }
  const coordinator = dump?.coordinator_id ?? 0;
  const wgDir = await wgDirOf(ctx.projectDir);
  return {
    detector: detectNexPane,
    // The coordinator's journal; 2026-04-24's pane (`wg nex --resume coordinator-N`) starts a
    // fresh interactive session (`tty-pts-…`) instead, so then the newest journal is the pane's.
    readTranscript: async (turn) => {
      const own = await checkNexJournal(await chatDirHolding(wgDir, `coordinator-${coordinator}`, 'conversation.jsonl'), turn);
      return own.status === 'missing' || own.status === 'unavailable' ? checkNewestNexJournal(wgDir, turn) : own;
    },
    lastWords: (turn) => lastWordsFromDump(dumpPrefix(ctx), turn),
    // The pane's vt100 scrollback is wg's; the dump has every byte nex wrote, so replaying it at
    // the pane's width gives the whole conversation back.
    history: {
      read: async (screen) => {
        const cols = chatPanelWidth(screen);
        return cols ? historyFromDump(dumpPrefix(ctx), cols) : undefined;
      },
      detector: (lines, turn) => readNexTurn(lines, turn),
    },
    describe: dump ? `tui-dump: ${JSON.stringify(dump)}` : 'tui-dump unavailable in this build',
  };
}
