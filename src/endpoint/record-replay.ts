// Record/replay: proxy to a real upstream while writing the exchanges down, later answer from that file.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { performance } from 'node:perf_hooks';
import { OptionError } from '../errors.js';
import type { Exchange } from './exchange.js';
import { lastUserText } from './replies.js';
import { extractReplyText } from './sse.js';

/** One recorded exchange: a line of the record file. `t` is ms since the request arrived. */
export interface RecordedExchange {
  method: string;
  path: string;
  body: unknown;
  lastUser: string | null;
  status: number;
  headers: Record<string, string>;
  chunks: { t: number; data: string }[];
}

/** What a proxied or replayed exchange produced, for the traffic log. */
export interface RelayOutcome {
  reply: string | null;
  error: string | null;
}

// Response headers worth reproducing; hop-by-hop and length headers are Node's business.
const KEPT_RESPONSE = ['content-type', 'retry-after', 'allow', 'location', 'www-authenticate', 'x-request-id'];
const FORWARDED_REQUEST = ['content-type', 'authorization', 'accept', 'user-agent', 'x-request-id'];

const lastUserOf = (body: unknown): string | null => {
  const messages = (body as { messages?: unknown } | null)?.messages;
  return Array.isArray(messages) ? lastUserText(messages) : null;
};

/** Appends recorded exchanges to an NDJSON file, one flushed line each. */
export class Recorder {
  private fd: number | null;
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
  }
  add(exchange: RecordedExchange): void {
    if (this.fd !== null) writeSync(this.fd, `${JSON.stringify(exchange)}\n`);
  }
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

// The upstream may be written with or without /v1 (users copy base URLs). A trailing /v1 is dropped and
// the client's path is forwarded verbatim, so a client that forgets /v1 still gets the upstream's 404.
export function upstreamUrl(upstream: string, rawUrl: string): URL {
  const base = new URL(upstream);
  const prefix = base.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return new URL(`${base.origin}${prefix}${rawUrl}`);
}

/** Forwards the request to `upstream`, streams the answer through, and records it. Never throws. */
export async function proxyExchange(ex: Exchange, upstream: string, bodyText: string, loggedBody: unknown, recorder: Recorder): Promise<RelayOutcome> {
  const { req } = ex;
  const target = upstreamUrl(upstream, req.url ?? '/');
  const headers: Record<string, string> = { 'content-length': String(Buffer.byteLength(bodyText)) };
  for (const name of FORWARDED_REQUEST) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const record: RecordedExchange = {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    body: loggedBody,
    lastUser: lastUserOf(loggedBody),
    status: 0,
    headers: {},
    chunks: [],
  };
  const started = performance.now();
  const client = target.protocol === 'https:' ? https : http;
  try {
    const upRes = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const upReq = client.request(target, { method: record.method, headers }, resolve);
      upReq.on('error', reject);
      ex.onAbort(() => upReq.destroy(new Error('client went away')));
      upReq.end(bodyText);
    });
    record.status = upRes.statusCode ?? 502;
    record.headers = keptHeaders(upRes.headers);
    ex.head(record.status, record.headers);
    const decoder = new StringDecoder('utf8');
    let text = '';
    for await (const chunk of upRes as AsyncIterable<Buffer>) {
      const data = decoder.write(chunk);
      record.chunks.push({ t: Math.round(performance.now() - started), data });
      text += data;
      if (!(await ex.write(data))) break;
    }
    const cutOff = !ex.open;
    ex.end();
    recorder.add(record);
    return { reply: extractReplyText(text), error: cutOff ? (ex.clientGone ? 'client disconnected' : 'endpoint closing') : null };
  } catch (error) {
    if (ex.clientGone) return { reply: null, error: 'client disconnected' };
    const message = `upstream ${target.origin} failed: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    if (!ex.res.headersSent) ex.send(badGateway(message));
    else ex.end();
    return { reply: null, error: message };
  }
}

function keptHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_RESPONSE) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

// Our own 502, in the nested OpenAI shape so wg prints the message.
function badGateway(message: string) {
  return { status: 502, body: JSON.stringify({ error: { message, type: 'BadGateway', param: null, code: 502 } }) };
}

/** Recorded exchanges, handed out once each: content match first, then recording order. */
export class ReplayBook {
  private readonly used: boolean[];
  constructor(readonly exchanges: readonly RecordedExchange[]) {
    this.used = exchanges.map(() => false);
  }

  /** Reads a record file; a broken line is an OptionError naming the file and line. */
  static async load(file: string): Promise<ReplayBook> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new OptionError(`--replay ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    const exchanges: RecordedExchange[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: RecordedExchange;
      try {
        parsed = JSON.parse(line) as RecordedExchange;
      } catch {
        throw new OptionError(`--replay ${file}: line ${i + 1} is not JSON`);
      }
      if (typeof parsed.method !== 'string' || typeof parsed.path !== 'string' || typeof parsed.status !== 'number' || !Array.isArray(parsed.chunks)) {
        throw new OptionError(`--replay ${file}: line ${i + 1} is not a recorded exchange (method, path, status, chunks)`);
      }
      exchanges.push(parsed);
    });
    return new ReplayBook(exchanges);
  }

  /** Takes the exchange for this request, or undefined when nothing recorded fits. */
  take(method: string, path: string, lastUser: string | null): RecordedExchange | undefined {
    const free = (i: number) => !this.used[i] && this.exchanges[i]!.method === method && this.exchanges[i]!.path === path;
    let index = this.exchanges.findIndex((x, i) => free(i) && x.lastUser === lastUser);
    if (index === -1) index = this.exchanges.findIndex((_, i) => free(i));
    if (index === -1) return undefined;
    this.used[index] = true;
    return this.exchanges[index];
  }

  /** How many recorded exchanges are still unused. */
  remaining(): number {
    return this.used.filter((u) => !u).length;
  }
}

/** Answers from a recording, with the recorded status, headers and chunk timing. */
export async function replayExchange(ex: Exchange, bodyText: string, book: ReplayBook): Promise<RelayOutcome> {
  const method = ex.req.method ?? 'GET';
  const path = ex.req.url ?? '/';
  let lastUser: string | null = null;
  try {
    lastUser = lastUserOf(JSON.parse(bodyText));
  } catch {
    // not JSON: only order can match it
  }
  const recorded = book.take(method, path, lastUser);
  if (!recorded) {
    const what = `${method} ${path}${lastUser !== null ? ` (last user message ${JSON.stringify(lastUser.slice(0, 60))})` : ''}`;
    const message = `replay: no recorded exchange matches ${what}; ${book.remaining()} unused of ${book.exchanges.length}`;
    ex.send(badGateway(message));
    return { reply: null, error: message };
  }
  ex.head(recorded.status, recorded.headers);
  let previous = 0;
  let text = '';
  for (const chunk of recorded.chunks) {
    if (!(await ex.sleep(chunk.t - previous))) break;
    previous = chunk.t;
    text += chunk.data;
    if (!(await ex.write(chunk.data))) break;
  }
  const cutOff = !ex.open;
  ex.end();
  return { reply: extractReplyText(text), error: cutOff ? (ex.clientGone ? 'client disconnected' : 'endpoint closing') : null };
}
