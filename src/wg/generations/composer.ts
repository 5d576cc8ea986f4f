import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SetupError } from '../../errors.js';
import type { TranscriptCheck } from '../../report/model.js';
import type { TerminalSession } from '../../terminal/index.js';
import { COMPOSER_EMPTY, composerChatPanel, detectComposer } from '../surfaces/composer.js';
import type { TurnContext } from '../surfaces/observation.js';
import { pollUntil } from '../poll.js';
import { startService, stopService, wgCommand } from '../service.js';
import { wgDirOf } from '../wg-dir.js';
import { chatDirHolding } from '../transcripts/chat-dir.js';
import { commandError } from '../workspace.js';
import { wgTui } from '../tui-command.js';
import { parseJsonLines } from '../transcripts/journals.js';
import type { ChatDriver, ChatHandle, DriverContext } from '../types.js';
import { tuiDump } from '../tui-dump.js';
import { composerHistory } from '../surfaces/composer-history.js';

// The first chat of wg's history (graphwork/wg up to about 2026-04-22): `wg init` takes no model
// or endpoint (model and endpoint are set with `wg config` and `wg endpoints`), the daemon runs the
// chat handler (`wg nex --chat` for the native executor) and the TUI's Chat tab is a composer over
// a file-tailing view: `c` opens the composer, Enter sends through `wg chat` IPC, replies are `↯ …`.

/** The model the way `wg init -m M -e URL` of the next weeks stored it: `local:M` (a provider:model spec). */
export const localModel = (model: string): string => (model.includes(':') ? model : `local:${model}`);

/** The `wg config` and `wg endpoints add` commands that stand in for `wg init -m M -e URL -x nex`. */
export function composerSetupCommands(model: string, url: string): string[][] {
  return [
    ['config', '--coordinator-executor', 'native', '--coordinator-model', localModel(model)],
    ['endpoints', 'add', 'default', '--provider', 'local', '--url', url, '--model', model, '--default'],
  ];
}

const OUTBOX_ERROR = /^\s*(?:\[[\w-]+\]\s*)?(?:Error:\s*)?(?:LLM request failed|API error \d{3})/;

// Judges the turn from the chat's outbox (`<wgdir>/chat/<id>/outbox.jsonl`): the daemon's handler
// writes the reply there (role coordinator) or the error (role system-error).
async function checkOutbox(wgDir: string, coordinator: number, turn: TurnContext): Promise<TranscriptCheck> {
  // `chat/<id>/` in the first builds, `chat/<uuid>/` with the alias `coordinator-<id>` later.
  const byId = join(wgDir, 'chat', String(coordinator));
  const chatDir = (await chatDirHolding(wgDir, `coordinator-${coordinator}`, 'inbox.jsonl', [byId])) ?? byId;
  const inboxFile = join(chatDir, 'inbox.jsonl');
  const outboxFile = join(chatDir, 'outbox.jsonl');
  const parse = (text: string) => parseJsonLines<{ role?: string; content?: string; request_id?: string }>(text);
  const inbox = parse(await readFile(inboxFile, 'utf8').catch(() => ''));
  const sent = [...inbox].reverse().find((m) => m.role === 'user' && m.content?.trim() === turn.text.trim());
  if (!sent) return { status: 'missing', detail: `no inbox entry for "${turn.text}"`, file: inboxFile };
  const outbox = parse(await readFile(outboxFile, 'utf8').catch(() => ''));
  const answers = outbox.filter((m) => m.request_id && m.request_id === sent.request_id);
  // An answer that is an error starts with one; a reply that explains `API error 503` is a reply.
  const failed = answers.find((m) => m.role === 'system-error' || OUTBOX_ERROR.test(m.content ?? ''));
  if (failed) return { status: 'error', detail: `${failed.role}: ${failed.content ?? ''}`.slice(0, 300), file: outboxFile };
  const replied = answers.find((m) => (m.content ?? '').trim().length > 0);
  if (replied)
    return { status: 'ok', detail: (replied.content ?? '').slice(0, 200), file: outboxFile, assistantText: answers.map((m) => m.content ?? '').join('\n') };
  return { status: 'missing', detail: 'no outbox entry for the message', file: outboxFile };
}

export const composerDriver: ChatDriver = {
  name: 'composer',
  // The daemon's claude handler runs `claude --print --input-format stream-json`; the composer shows its replies.
  drivesClaudeLocal: true,
  setupPath:
    "the user's literal `wg init -m MODEL -e URL -x nex` (rejected by this wg), then `wg init`, `wg config --coordinator-executor native --coordinator-model local:MODEL`, `wg endpoints add default --provider local --url URL --model MODEL --default`, `wg service start`",

  async setup(ctx) {
    const { target } = ctx;
    if (target.kind === 'claude') {
      const init = await wgCommand(ctx, ['init'], 60_000);
      if (init.exitCode !== 0) throw new SetupError(commandError(init));
      await startService(ctx, { expectHandler: false });
      return;
    }
    const url = target.endpointUrl ?? '';
    const literal = await wgCommand(ctx, ['init', '-m', target.model, '-e', url, '-x', 'nex'], 60_000);
    if (literal.exitCode === 0) {
      ctx.finding(`this wg accepted the user's literal \`wg init -m ${target.model} -e URL -x nex\` although its help does not list the flags`);
    } else {
      ctx.finding(
        `wg REJECTED the user's literal \`wg init -m ${target.model} -e URL -x nex\`: ${commandError(literal)}. Running the nearest equivalent this wg offers: \`wg init\`, \`wg config --coordinator-executor native --coordinator-model ${localModel(target.model)}\`, \`wg endpoints add default --provider local --url URL --model ${target.model} --default\`.`,
      );
      const init = await wgCommand(ctx, ['init'], 60_000);
      if (init.exitCode !== 0) throw new SetupError(commandError(init));
    }
    for (const args of composerSetupCommands(target.model, url)) {
      const record = await wgCommand(ctx, args, 30_000);
      if (record.exitCode !== 0) throw new SetupError(commandError(record));
    }
    await startService(ctx, { expectHandler: false });
  },

  tui: wgTui,

  open: (session, ctx) => openComposer(session, ctx),

  async teardown(ctx) {
    const leftovers = await stopService(ctx, ctx.caps.serviceStopKillAgents ? ['--kill-agents'] : []);
    if (leftovers.length > 0) ctx.finding(`processes still running in the project after \`wg service stop\` were killed: ${leftovers.join('; ')}`);
  },
};

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
export async function composerHandle(session: TerminalSession, ctx: DriverContext, dump?: Awaited<ReturnType<typeof tuiDump>>): Promise<ChatHandle> {
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
