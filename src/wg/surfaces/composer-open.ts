import { TerminalSession } from '../../terminal/session.js';
import { type ChatHandle, type DriverContext } from '../types.js';
import { COMPOSER_EMPTY, composerChatPanel, detectComposer } from './composer.js';
import { pollUntil } from '../poll.js';
import { tuiDump, type TuiDump } from '../tui-dump.js';
import { wgDirOf } from '../wg-dir.js';
import { checkOutbox } from '../transcripts/outbox.js';
import { composerHistory } from './composer-history.js';
/** Opens the composer as a person does (`c` on the Chat tab) once the empty chat shows. */
export async function openComposer(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle> {
  const emptyState = (lines: readonly string[]) => (composerChatPanel(lines) ?? []).some((l) => COMPOSER_EMPTY.test(l.trim()));
  await session.waitFor((s) => emptyState(s.lines), { timeoutMs: 30_000, phase: "waiting for the Chat tab's empty state (Chat with Coordinator)" });
  // wg tui creates coordinator 1 in the background and switches to it: wait for that before
  // opening the composer, so the message goes to the chat shown.
  // (Only when the graph has no coordinator task yet; otherwise the chat stays on coordinator 0.)
  let dump = await pollUntil(
    async () => {
      const d = await tuiDump(ctx);
      return d && d.active_tab === 'Chat' && (d.coordinator_id ?? 0) >= 1 ? d : undefined;
    },
    { timeoutMs: 3_000, what: 'wg tui-dump to report the chat tab on a user coordinator' },
  ).catch(() => tuiDump(ctx));
  if (ctx.caps.tuiDump && dump?.active_tab !== 'Chat') ctx.finding(`chat tab not confirmed by tui-dump: ${JSON.stringify(dump)}`);
  await session.waitFor((s) => emptyState(s.lines), { timeoutMs: 15_000, phase: 'waiting for the empty chat after the coordinator switch' });
  // A person opens the composer: `c` from the graph, Enter where the chat panel has the focus
  // (today's wg focuses the panel on start, and there `c` is not the composer's key).
  await session.press(dump?.focused_panel === 'panel' ? 'Enter' : 'c');
  dump = await pollUntil(
    async () => {
      const d = await tuiDump(ctx);
      return d?.input_mode === 'ChatInput' ? d : undefined;
    },
    { timeoutMs: 10_000, what: 'wg tui-dump to report the composer open (input_mode ChatInput)' },
  ).catch(async (error: Error) => {
    ctx.finding(`composer not confirmed by tui-dump: ${error.message}`);
    return tuiDump(ctx);
  });
  return composerHandle(session, ctx, dump);
}

/** The composer as the chat's surface, once it is open: its detector, the chat's outbox as transcript, its history. */
export async function composerHandle(session: TerminalSession, ctx: DriverContext, dump?: TuiDump): Promise<ChatHandle> {
  const coordinator = dump?.coordinator_id ?? 0;
  const wgDir = await wgDirOf(ctx.projectDir);
  return {
    detector: detectComposer,
    readTranscript: (turn) => checkOutbox(wgDir, coordinator, turn),
    // A reply taller than the panel scrolls the message off: wg's Alt+Up brings it back.
    history: composerHistory(session),
    describe: dump ? `tui-dump: ${JSON.stringify(dump)}` : 'tui-dump unavailable in this build',
  };
}
