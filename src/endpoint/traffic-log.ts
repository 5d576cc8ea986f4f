// The traffic log: every exchange kept in memory and appended to an NDJSON file, secrets redacted.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import type { TrafficEntry } from './types.js';

const REDACTED = '[redacted]';
// Key-like field and header names. `max_tokens` and friends must survive, so names are matched whole.
const SECRET_NAME = /^(x-)?(api[-_]?key|apikey|authorization|proxy-authorization|secret|client[-_]secret|password|access[-_]token|auth[-_]token|bearer)$/i;

/** A deep copy of a parsed body with key-like fields and any configured secret string redacted. */
export function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_NAME.test(k) ? REDACTED : redactValue(v, secrets);
    return out;
  }
  return value;
}

function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0 && out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/** Request headers for the log: Authorization keeps only its scheme, key-like headers are blanked. */
export function redactHeaders(headers: IncomingHttpHeaders, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (name === 'authorization' || name === 'proxy-authorization') {
      const scheme = value.split(/\s+/)[0] ?? '';
      out[name] = value.includes(' ') ? `${scheme} ${REDACTED}` : REDACTED;
    } else out[name] = SECRET_NAME.test(name) ? REDACTED : redactText(value, secrets);
  }
  return out;
}

/** The request body as logged: parsed JSON (redacted) or, when not JSON, the first 2000 characters. */
export function loggableBody(text: string, secrets: readonly string[], parsed = parseJson(text)): unknown {
  if (text.length === 0) return null;
  return parsed.ok ? redactValue(parsed.value, secrets) : redactText(text.slice(0, 2000), secrets);
}

/** JSON.parse without throwing, so a body is parsed once and shared by the log and the checks. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

/** What an in-memory entry holds instead of the request body when the log file has it. */
export const IN_FILE = '(request body in the traffic log file)';

/**
 * Request bodies written once: a body the same as an earlier one is written as `{ "sameAs": SEQ }`,
 * the number of the exchange that carried it first. wg retries a refused request hundreds of times
 * a minute, each with its whole prompt (35 kB): without this, ten minutes of a retry storm left
 * 340 MB per file. Only digests are kept.
 */
export class BodyOnce {
  private readonly first = new Map<string, number>();
  /** The body to write for exchange `seq`: the body itself, or a reference to its first carrier. */
  of(body: unknown, seq: number): unknown {
    if (body === null || body === undefined || (typeof body === 'string' && body.length < 200)) return body;
    const digest = createHash('sha1')
      .update(typeof body === 'string' ? body : JSON.stringify(body))
      .digest('base64');
    const earlier = this.first.get(digest);
    if (earlier !== undefined) return { sameAs: earlier };
    this.first.set(digest, seq);
    return body;
  }
}

/**
 * Holds the entries and writes each one as a line the moment it is added (writeSync on an append-mode
 * fd), so a crash or close() right after an exchange loses nothing.
 */
export class TrafficLog {
  readonly entries: TrafficEntry[] = [];
  private readonly listeners = new Set<(entry: TrafficEntry) => void>();
  private fd: number | null = null;
  private readonly bodies = new BodyOnce();
  /** Why the file could not be written (ENOSPC, …), once it failed. */
  failure: string | undefined;

  constructor(
    path: string | undefined,
    private readonly secrets: readonly string[],
  ) {
    if (path) {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'a');
    }
  }

  /** Records one exchange: memory, file, then listeners (a throwing listener cannot lose the entry). */
  add(entry: TrafficEntry): void {
    // With a file, the request body (wg sends its whole prompt, tools and history every turn) lives
    // there only: a 100-message chat must not keep 100 growing copies in the harness.
    this.entries.push(this.fd !== null ? { ...entry, request: IN_FILE } : entry);
    if (this.fd !== null) {
      try {
        writeSync(this.fd, `${redactText(JSON.stringify({ ...entry, request: this.bodies.of(entry.request, entry.seq) }), this.secrets)}\n`);
      } catch (error) {
        // A full disk must not take the endpoint down mid-chat: the entry stays in memory (request
        // body included) and the failure is reported once by whoever owns the run.
        this.failure ??= (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        this.entries[this.entries.length - 1] = entry;
      }
    }
    for (const listener of this.listeners) {
      try {
        listener(entry);
      } catch {
        // a listener's bug must not take the endpoint down; the entry is already stored
      }
    }
  }

  /** Subscribes to new entries. */
  onEntry(listener: (entry: TrafficEntry) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Closes the file; later entries stay in memory only. Idempotent. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
