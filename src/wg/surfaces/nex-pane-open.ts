import { TerminalSession } from '../../terminal/session.js';
import { type ChatHandle, type DriverContext } from '../types.js';
import { detectNexPane, nexPaneBannerOnly, nexPaneReady, readNexTurn } from './nex-pane.js';
import { openClaudePane, type ClaudePaneSource } from './claude-pane-open.js';
import { chatPanelWidth } from '../frame.js';
import { historyFromDump, lastWordsFromDump } from '../transcripts/pty-dump.js';
import { dumpPrefix } from '../tui-command.js';
import { tuiDump, type TuiDump } from '../tui-dump.js';
import { pollUntil } from '../poll.js';
import { wgDirOf } from '../wg-dir.js';
import { checkNewestNexJournal, checkNexJournal } from '../transcripts/journals.js';
import { chatDirHolding } from '../transcripts/chat-dir.js';
/** claude run directly in wg's own pane (April): wg's pty dump has every byte it wrote. */
export const claudeInWgPane = (ctx: DriverContext): ClaudePaneSource => ({
  history: async (screen) => {
    const cols = chatPanelWidth(screen);
    return cols ? historyFromDump(dumpPrefix(ctx), cols) : undefined;
  },
  lastWords: (turn) => lastWordsFromDump(dumpPrefix(ctx), turn),
});

/**
 * Opens the nex pane. `promptless`: the pane's nex draws its banner and never a prompt (it reads
 * the chat inbox, not the keys the TUI forwards): the messages are still typed into the focused
 * pane, as a person would, and wg's answer (or silence) is judged.
 */
export async function openNexPane(session: TerminalSession, ctx: DriverContext, options: { promptless?: boolean } = {}): Promise<ChatHandle> {
  const ready = (lines: readonly string[]) => (options.promptless ? nexPaneBannerOnly(lines) || nexPaneReady(lines) : nexPaneReady(lines));
  if (ctx.target.kind === 'claude') {
    return openClaudePane(session, ctx, claudeInWgPane(ctx));
  }
  // The banner is wg's chat, launched: from there a prompt that never comes is wg's (chat-stuck).
  await session.waitFor((s) => nexPaneBannerOnly(s.lines) || ready(s.lines), { timeoutMs: 30_000, phase: "waiting for the nex chat pane's banner" });
  ctx.launched('the nex chat (its banner in the Chat pane)');
  await session.waitFor((s) => ready(s.lines), { timeoutMs: 30_000, phase: 'waiting for the nex chat pane (banner and `> ` prompt)' });
  // wg tui may create coordinator 1 in the background and switch the pane to it: confirm with
  // wg's own view which chat is active, and that the pane shown is ready, before typing.
  let dump: TuiDump | undefined;
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
  return nexPaneHandle(ctx, dump);
}

/** The nex pane of the coordinator wg reports active as the turn's surface: its journal, wg's pty dump as history. */
export async function nexPaneHandle(ctx: DriverContext, dump: TuiDump | undefined): Promise<ChatHandle> {
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
