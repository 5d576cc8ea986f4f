// The recording proxy: sits on loopback between wg and a real server, forwards each request as it
// came (method, path, query, headers, body), streams the answer back chunk by chunk as it arrives,
// and writes the exchange down (chunks with their arrival times, how it ended) for the traffic log,
// the turn judge and a later offline replay. The upstream's own strictness decides every answer.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { performance } from 'node:perf_hooks';
import { cutReason, type Exchange } from './exchange.js';
import { badGateway, lastUserOf, relayError, type RecordedExchange, type RelayOutcome } from './record-replay.js';
import { StreamFacts } from './stream-facts.js';
import { BodyOnce } from './traffic-log.js';

/** Appends recorded exchanges to an NDJSON file, one flushed line each, as each one ends. */
export class Recorder {
  private fd: number | null;
  private count = 0;
  private readonly bodies = new BodyOnce();
  /** Numbers an exchange as it arrives: lines are written as exchanges end, a replay goes by arrival. */
  arrived(): number {
    return ++this.count;
  }
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
  }
  add(exchange: RecordedExchange): void {
    if (this.fd !== null) writeSync(this.fd, `${JSON.stringify({ ...exchange, body: this.bodies.of(exchange.body, exchange.seq ?? 0) })}\n`);
  }
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to each connection, not to the message; `host` is the
// upstream's own. Everything else, auth included, goes through as the client sent it.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

/**
 * Where a request goes upstream. A client handed the proxy with the upstream's own path (wg's config
 * holds `http://127.0.0.1:P/api/v1` for `https://host/api/v1`) sends that path: it goes verbatim
 * to the upstream's origin. A client handed the bare proxy origin gets the upstream's path prefix
 * (a trailing /v1 dropped: users copy base URLs with and without it), so a client that forgets
 * /v1 still gets the upstream's 404.
 */
export function upstreamUrl(upstream: string, rawUrl: string): URL {
  const base = new URL(upstream);
  const path = base.pathname.replace(/\/+$/, '');
  const prefix = path.replace(/\/v1$/, '');
  if (prefix === '' || rawUrl === path || rawUrl.startsWith(`${prefix}/`)) return new URL(`${base.origin}${rawUrl}`);
  return new URL(`${base.origin}${prefix}${rawUrl}`);
}

/** The request headers as they go upstream; credentials in the upstream URL become Basic auth, as curl sends them. */
export function forwardedHeaders(headers: IncomingHttpHeaders, upstream: URL, bodyBytes: number): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  if (bodyBytes > 0 || 'content-length' in out) out['content-length'] = String(bodyBytes);
  if (upstream.username && !out.authorization) {
    out.authorization = `Basic ${Buffer.from(`${decodeURIComponent(upstream.username)}:${decodeURIComponent(upstream.password)}`).toString('base64')}`;
  }
  return out;
}

function responseHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * Forwards the request to `upstream`, streams the answer through and records it. Never throws.
 * While it streams, `ex.progress` says how much reply text has gone through (the total is not
 * known until the server ends). An upstream that dies mid-stream cuts wg's connection the same way.
 */
export async function proxyExchange(ex: Exchange, upstream: string, bodyText: string, loggedBody: unknown, recorder: Recorder): Promise<RelayOutcome> {
  const { req } = ex;
  const target = upstreamUrl(upstream, req.url ?? '/');
  const record: RecordedExchange = {
    seq: recorder.arrived(),
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    body: loggedBody,
    lastUser: lastUserOf(loggedBody),
    status: 0,
    headers: {},
    chunks: [],
  };
  const facts = new StreamFacts();
  const chunkTimes: number[] = [];
  if (record.lastUser !== null) ex.progress = { lastUser: record.lastUser, sent: 0, requestChars: bodyText.length };
  const started = performance.now();
  const client = target.protocol === 'https:' ? https : http;
  const headers = forwardedHeaders(req.headers, new URL(upstream), Buffer.byteLength(bodyText));
  let upReq: http.ClientRequest | undefined;
  const removeAbort = ex.onAbort(() => upReq?.destroy(new Error('client went away')));
  try {
    const send = (fresh: boolean) =>
      new Promise<http.IncomingMessage>((resolve, reject) => {
        const sent = client.request(target, { method: record.method, headers, ...(fresh ? { agent: false } : {}) }, resolve);
        upReq = sent;
        sent.on('error', (error: NodeJS.ErrnoException) => reject(Object.assign(error, { reused: sent.reusedSocket })));
        sent.end(bodyText);
      });
    // A kept-alive socket the server closed after its last answer (llama-server does, despite its
    // Keep-Alive header) fails before any answer: that request is sent again once, on a new connection.
    const upRes = await send(false).catch((error: NodeJS.ErrnoException & { reused?: boolean }) => {
      if (error.reused && !ex.clientGone && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) return send(true);
      throw error;
    });
    record.status = upRes.statusCode ?? 502;
    record.headers = responseHeaders(upRes.headers);
    ex.head(record.status, record.headers);
    const decoder = new StringDecoder('utf8');
    try {
      for await (const chunk of upRes as AsyncIterable<Buffer>) {
        const data = decoder.write(chunk);
        const t = Math.round(performance.now() - started);
        record.chunks.push({ t, data });
        chunkTimes.push(t);
        // On to wg first; reading it is off the path of the bytes.
        const written = ex.write(data);
        facts.feed(data);
        if (ex.progress) ex.progress.sent = facts.chars;
        if (!(await written)) break;
      }
    } catch (error) {
      // wg went away, or the proxy is closing: what came so far is the record. Otherwise the
      // upstream died mid-answer (killed, reset): wg sees its connection die too.
      if (!ex.aborted) {
        record.cut = 'reset';
        record.failure = `the server's connection died mid-answer (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      }
    }
    const cutOff = !ex.open;
    // wg left mid-answer (or the proxy closed): a replay keeps the answer open after these chunks.
    if (cutOff && !record.cut) record.cut = 'left';
    if (record.cut === 'reset' && !cutOff) ex.drop();
    else ex.end();
    recorder.add(record);
    const outcome = facts.outcome();
    const error = cutOff ? cutReason(ex) : (record.failure ?? relayError(record.status, outcome));
    return { facts: outcome, error, chunkTimes };
  } catch (error) {
    if (ex.aborted) {
      // wg went away (or the proxy closed) before the server answered: a replay keeps it waiting as long.
      record.cut = 'unanswered';
      recorder.add(record);
      return { facts: facts.outcome(), error: cutReason(ex), chunkTimes };
    }
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const message = `the server at ${target.origin} could not be reached: ${code}`;
    const answer = badGateway(message);
    record.status = answer.status;
    record.headers = { 'content-type': 'application/json' };
    record.chunks.push({ t: Math.round(performance.now() - started), data: answer.body });
    record.cut = 'unreachable';
    record.failure = message;
    recorder.add(record);
    if (!ex.res.headersSent) ex.send(answer);
    else ex.end();
    return { facts: facts.outcome(), error: message, chunkTimes };
  } finally {
    removeAbort();
  }
}
