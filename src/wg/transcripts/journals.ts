import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TranscriptCheck } from '../../report/model.js';
import { squash, type TurnContext } from '../surfaces/observation.js';

// Readers of the chat transcript wg writes on disk, to cross-check the screen.
// Old wg: the nex journal `.wg/chat/<uuid>/conversation.jsonl`. New wg: Pi's session JSONL
// `.wg/chat/<uuid>/pi-sessions/*.jsonl` with stopReason and errorMessage.

interface Entry {
  role: string;
  text: string;
  stop?: string;
  error?: string;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { type?: string; text?: string }) => (part?.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
}

/** The records of a JSON-lines file wg is writing: blank lines and a half-written last line are skipped. */
export function parseJsonLines<T = unknown>(text: string): T[] {
  return text.split('\n').flatMap((line) => {
    try {
      return line.trim() ? [JSON.parse(line) as T] : [];
    } catch {
      return []; // a half-written last line
    }
  });
}

async function readLines(file: string): Promise<unknown[]> {
  return parseJsonLines(await readFile(file, 'utf8'));
}

/** nex journal entries: `{entry_type:"message", role, content:[{type:"text",text}], stop_reason}`. */
export function nexEntries(records: unknown[]): Entry[] {
  return records.flatMap((r) => {
    const e = r as { entry_type?: string; role?: string; content?: unknown; stop_reason?: string };
    return e.entry_type === 'message' && e.role ? [{ role: e.role, text: textOf(e.content), stop: e.stop_reason }] : [];
  });
}

/** Pi session entries: `{type:"message", message:{role, content, stopReason, errorMessage}}`. */
export function piEntries(records: unknown[]): Entry[] {
  return records.flatMap((r) => {
    const e = r as { type?: string; message?: { role?: string; content?: unknown; stopReason?: string; errorMessage?: string } };
    if (e.type !== 'message' || !e.message?.role) return [];
    return [{ role: e.message.role, text: textOf(e.message.content), stop: e.message.stopReason, error: e.message.errorMessage }];
  });
}

// Judges the turn from the entries: the last user entry holding the text, and what follows it.
export function judgeEntries(entries: Entry[], turn: TurnContext, file: string): TranscriptCheck {
  const needle = turn.text.trim();
  let userAt = -1;
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i] as Entry;
    if (e.role === 'user' && squash(e.text).includes(squash(needle))) {
      userAt = i;
      break;
    }
  }
  if (userAt < 0) return { status: 'missing', detail: `no user entry for "${needle}"`, file };
  const assistant = entries.slice(userAt + 1).filter((e) => e.role === 'assistant');
  const failed = assistant.find((e) => e.stop === 'error' || e.stop === 'aborted' || e.error);
  if (failed) return { status: 'error', detail: `${failed.stop ?? 'error'}: ${failed.error ?? failed.text}`.trim(), file, assistantText: failed.text };
  const replied = assistant.find((e) => e.text.trim().length > 0);
  const assistantText = assistant.map((e) => e.text).join('\n');
  if (replied) return { status: 'ok', detail: replied.text.slice(0, 200), file, assistantText };
  return { status: 'missing', detail: 'no assistant entry after the message', file };
}

/** The chat folder of `alias` (`coordinator-1`, `chat-0`): the alias symlink, or sessions.json. */
export async function chatDirFor(wgDir: string, alias: string): Promise<string | undefined> {
  const link = join(wgDir, 'chat', alias);
  const resolved = await realpath(link).catch(() => undefined);
  if (resolved) return resolved;
  const registry = await readFile(join(wgDir, 'chat', 'sessions.json'), 'utf8').then(
    (t) => JSON.parse(t) as { sessions?: Record<string, { aliases?: string[] }> },
    () => undefined,
  );
  const sessions = registry?.sessions ?? {};
  const uuid = Object.entries(sessions).find(([, s]) => s.aliases?.includes(alias))?.[0];
  return uuid ? join(wgDir, 'chat', uuid) : undefined;
}

/** Reads the nex journal of a chat folder and judges the turn. */
export async function checkNexJournal(chatDir: string | undefined, turn: TurnContext): Promise<TranscriptCheck> {
  if (!chatDir) return { status: 'unavailable', detail: 'chat folder not found' };
  const file = join(chatDir, 'conversation.jsonl');
  const records = await readLines(file).catch(() => undefined);
  if (!records) return { status: 'missing', detail: 'no conversation.jsonl yet', file };
  return judgeEntries(nexEntries(records), turn, file);
}

/** Reads the newest Pi session JSONL of a chat folder and judges the turn. */
export async function checkPiSession(chatDir: string | undefined, turn: TurnContext): Promise<TranscriptCheck> {
  if (!chatDir) return { status: 'unavailable', detail: 'chat folder not found' };
  const dir = join(chatDir, 'pi-sessions');
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.jsonl')).sort();
  const newest = files.at(-1);
  if (!newest) return { status: 'missing', detail: 'no Pi session file yet', file: dir };
  const file = join(dir, newest);
  return judgeEntries(piEntries(await readLines(file)), turn, file);
}

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
