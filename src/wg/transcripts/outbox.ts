import { type TurnContext } from '../surfaces/observation.js';
import { type TranscriptCheck } from '../../report/model.js';
import { join } from 'node:path';
import { chatDirHolding } from './chat-dir.js';
import { parseJsonLines } from './journals.js';
import { readFile } from 'node:fs/promises';
export const OUTBOX_ERROR = /^\s*(?:\[[\w-]+\]\s*)?(?:Error:\s*)?(?:LLM request failed|API error \d{3})/;

// Judges the turn from the chat's outbox (`<wgdir>/chat/<id>/outbox.jsonl`): the daemon's handler
// writes the reply there (role coordinator) or the error (role system-error).
export async function checkOutbox(wgDir: string, coordinator: number, turn: TurnContext): Promise<TranscriptCheck> {
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
