// Lifecycle of the loopback endpoint: listen, dispatch each request, log it, close cleanly.
import http, { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { SetupError } from '../errors.js';
import { readBody } from './body.js';
import { checkChat } from './chat-check.js';
import { Exchange } from './exchange.js';
import { describeFault, FaultPlan } from './faults.js';
import { requestTimeout, tooLarge } from './flavors.js';
import { resolveOptions, type ResolvedOptions } from './options.js';
import { proxyExchange, Recorder } from './proxy.js';
import { lastUserOf, replayExchange, ReplayBook, type RelayOutcome } from './record-replay.js';
import { variedConfig, writeChatReply, writeStreamErrorOnly } from './reply-writer.js';
import { pathOf, routeRequest } from './routes.js';
import { JSON_HEADERS, jsonHeaders, modelList } from './sse.js';
import { anthropicModelList, checkMessages, countTokensReply, writeMessagesReply } from './anthropic.js';
import { loggableBody, parseJson, redactHeaders, TrafficLog } from './traffic-log.js';
import type { EndpointOptions, Flavor, LiveStream, RelayFacts, TrafficEntry } from './types.js';

/** A running endpoint. */
export interface Endpoint {
  /** `http://127.0.0.1:PORT`, without /v1 (clients add it, or, strictly, fail). */
  readonly baseUrl: string;
  readonly port: number;
  readonly flavor: Flavor;
  readonly lenient: boolean;
  /** Every finished exchange, in completion order. */
  readonly traffic: readonly TrafficEntry[];
  /** Exchanges still being answered. */
  readonly inFlight: number;
  /** Why the traffic log file could not be written (ENOSPC, …), once that happened; the entries stay in memory. */
  readonly trafficLogFailure: string | undefined;
  /** Chat replies streaming right now: last user message, characters sent of the reply's total. */
  streaming(): LiveStream[];
  /** Called after each exchange is logged. */
  onExchange(callback: (entry: TrafficEntry) => void): { dispose(): void };
  /** Ends open streams and stalls, waits for their log entries, stops listening. Idempotent. */
  close(): Promise<void>;
}

// Per-exchange facts the handler fills in as it goes; turned into a TrafficEntry at the end.
type Draft = Omit<TrafficEntry, 'ttfbMs' | 'durationMs' | 'status' | 'aborted'>;

/** Starts the endpoint on loopback; rejects with OptionError (bad options) or SetupError (cannot listen). */
export async function startEndpoint(options: EndpointOptions = {}): Promise<Endpoint> {
  const config = resolveOptions(options);
  const book = config.replay ? await ReplayBook.load(config.replay.file) : undefined;
  const secrets = config.apiKey ? [config.apiKey] : [];
  const log = openOrFail('traffic log', config.trafficLogPath, () => new TrafficLog(config.trafficLogPath, secrets));
  const recorder = config.record ? openOrFail('record file', config.record.file, () => new Recorder(config.record!.file)) : undefined;
  const plan = new FaultPlan(config.faults);
  const active = new Set<Exchange>();
  const pending = new Set<Promise<void>>();
  const counters = { seq: 0, chat: 0 };
  let closing = false;

  const server = http.createServer({
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.headersTimeoutMs + config.bodyTimeoutMs + 1000,
    connectionsCheckingInterval: 1000,
    keepAliveTimeout: 5000, // uvicorn's default
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const ex = new Exchange(req, res);
    active.add(ex);
    if (closing) ex.abort();
    const done = handle(ex)
      .catch((error: unknown) => {
        // A bug in a handler must still answer and log; the process stays up.
        if (!res.headersSent) ex.send({ status: 500, body: '{"detail":"Internal Server Error"}' });
        else ex.end();
        process.emitWarning(`endpoint handler failed: ${(error as Error).stack ?? String(error)}`);
      })
      .finally(() => {
        active.delete(ex);
        pending.delete(done);
      });
    pending.add(done);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // No request was parsed (bad request line, headers too slow or too big). Answer when the socket
    // still can, and log it, so nothing a client sent goes unrecorded. Resets are just closed sockets.
    const code = error.code ?? 'unknown';
    if (code === 'ECONNRESET' || code === 'EPIPE' || !socket.writable) return void socket.destroy();
    const status = code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    log.add({
      time: new Date().toISOString(),
      seq: ++counters.seq,
      n: null,
      method: '',
      path: '',
      model: null,
      status,
      ttfbMs: null,
      durationMs: 0,
      stream: false,
      request: null,
      headers: {},
      lastUser: null,
      reply: null,
      complete: false,
      fault: null,
      error: `client error ${code}`,
      aborted: false,
      lenientApplied: false,
      mode: 'local',
    });
  });

  async function handle(ex: Exchange): Promise<void> {
    const { req } = ex;
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const draft: Draft = {
      time: new Date().toISOString(),
      seq: ++counters.seq,
      n: null,
      method,
      path: pathOf(rawUrl),
      model: null,
      stream: false,
      request: null,
      headers: redactHeaders(req.headers, secrets),
      lastUser: null,
      reply: null,
      complete: false,
      fault: null,
      error: null,
      lenientApplied: false,
      mode: config.record ? 'record' : config.replay ? 'replay' : 'local',
    };
    try {
      await dispatch(ex, draft, config);
    } finally {
      // Whatever path was taken, the client gets a complete answer or a cleanly ended body.
      if (!ex.res.writableEnded && !ex.res.destroyed) {
        if (ex.res.headersSent) ex.end();
        else ex.send({ status: 503, body: '{"detail":"Service Unavailable"}' });
      }
      // Out of the in-flight set before its entry is logged: whoever hears of the entry (or looks
      // at `streaming()` after it) sees this exchange as over.
      active.delete(ex);
      log.add({
        ...draft,
        status: ex.dropped && ex.firstByteAt === null ? 0 : ex.status || ex.res.statusCode,
        ttfbMs: ex.firstByteAt === null ? null : round(ex.firstByteAt - ex.t0),
        durationMs: round(ex.elapsed()),
        aborted: ex.clientGone && !ex.dropped,
        error: draft.error ?? (ex.clientGone && !ex.dropped ? 'client disconnected' : null),
      });
    }
  }

  async function dispatch(ex: Exchange, draft: Draft, cfg: ResolvedOptions): Promise<void> {
    const { req } = ex;
    const route = routeRequest(draft.method, req.url ?? '/', req.headers, cfg);
    // Record/replay answer every path (the upstream is the judge); only our own key check comes first.
    if (draft.mode !== 'local' && !(route.kind === 'error' && route.reply.status === 401)) {
      const body = await readBody(req, cfg.maxBodyBytes, cfg.bodyTimeoutMs, ex);
      if (!body.ok) return refuseBody(ex, draft, body.problem);
      draft.request = loggableBody(body.text, secrets);
      draft.model = modelOf(draft.request);
      if (draft.path.endsWith('/chat/completions') || draft.path.endsWith('/messages')) draft.n = ++counters.chat;
      draft.stream = (draft.request as { stream?: unknown } | null)?.stream === true;
      const outcome = recorder ? await proxyExchange(ex, cfg.record!.upstream, body.text, draft.request, recorder) : await replayExchange(ex, body.text, book!);
      draft.reply = outcome.facts.reply;
      draft.error = outcome.error;
      draft.lastUser = lastUserOf(draft.request);
      draft.relay = relayFacts(outcome, body.text.length);
      // The upstream's (or the recording's) answer ended as a finished completion, and wg got all of it.
      draft.complete = outcome.error === null && outcome.facts.finished && !ex.clientGone;
      return;
    }
    switch (route.kind) {
      case 'error':
        draft.error = route.reply.reason;
        req.resume(); // discard any body; the answer does not depend on it
        return ex.send(route.reply);
      case 'redirect':
        req.resume();
        ex.head(307, { location: route.location, 'content-length': 0 });
        return ex.end();
      case 'health':
        // llama-server says so in a body; SGLang and vLLM answer 200 with none.
        if (cfg.flavor === 'llamacpp') return ex.send({ status: 200, body: '{"status":"ok"}', headers: jsonHeaders(cfg.flavor) });
        ex.head(200, { 'content-length': 0 });
        return ex.end();
      case 'models': {
        const body = modelList(cfg.flavor, cfg.models);
        if (draft.method === 'HEAD') {
          ex.head(200, { ...jsonHeaders(cfg.flavor), 'content-length': Buffer.byteLength(body) });
          return ex.end();
        }
        return ex.send({ status: 200, body, headers: jsonHeaders(cfg.flavor) });
      }
      case 'anthropic-models':
        return ex.send({ status: 200, body: anthropicModelList(cfg.models), headers: JSON_HEADERS });
      case 'count-tokens': {
        const body = await readBody(req, cfg.maxBodyBytes, cfg.bodyTimeoutMs, ex);
        if (!body.ok) return refuseBody(ex, draft, body.problem);
        draft.request = loggableBody(body.text, secrets);
        const answer = countTokensReply(req.headers, body.text);
        if (answer.status !== 200) draft.error = answer.reason;
        return ex.send(answer);
      }
      case 'messages':
        return answerMessages(ex, draft, cfg);
      case 'chat':
        break;
    }
    draft.lenientApplied = route.lenientApplied;
    const body = await readBody(req, cfg.maxBodyBytes, cfg.bodyTimeoutMs, ex);
    if (!body.ok) return refuseBody(ex, draft, body.problem);
    draft.n = ++counters.chat;
    const parsed = parseJson(body.text);
    draft.request = loggableBody(body.text, secrets, parsed);
    draft.model = modelOf(draft.request);
    const check = checkChat(req.headers, body.text, cfg, parsed);
    if (!check.ok) {
      draft.lenientApplied ||= check.lenientApplied;
      draft.error = check.reply.reason;
      draft.stream = (draft.request as { stream?: unknown } | null)?.stream === true;
      if (check.streamErrorEvent) return writeStreamErrorOnly(ex, check.streamErrorEvent);
      return ex.send(check.reply);
    }
    const { chat } = check;
    draft.lenientApplied ||= chat.lenientApplied;
    draft.stream = chat.stream;
    draft.lastUser = chat.lastUser;
    const fault = plan.pick(draft.n, chat.lastUser);
    if (fault) draft.fault = describeFault(fault);
    const outcome = await writeChatReply(ex, chat, draft.n, fault, paced(cfg, draft.n), draft.fault ?? undefined);
    draft.reply = outcome.reply;
    draft.error = outcome.error;
    draft.complete = outcome.complete && !ex.clientGone;
  }

  // A Messages request: checked as the real API does, then answered like a chat request (corpus,
  // pace, faults), counted with them so fault rules number both alike.
  // Request n at its own pace where the pace varies per request (--jitter); the configured one otherwise.
  function paced(cfg: ResolvedOptions, n: number): ResolvedOptions {
    return cfg.paceVariation ? variedConfig(cfg, cfg.paceVariation(n)) : cfg;
  }

  async function answerMessages(ex: Exchange, draft: Draft, cfg: ResolvedOptions): Promise<void> {
    const body = await readBody(ex.req, cfg.maxBodyBytes, cfg.bodyTimeoutMs, ex);
    if (!body.ok) return refuseBody(ex, draft, body.problem);
    draft.n = ++counters.chat;
    draft.request = loggableBody(body.text, secrets);
    draft.model = modelOf(draft.request);
    const check = checkMessages(ex.req.headers, body.text);
    if (!check.ok) {
      draft.error = check.reply.reason;
      return ex.send(check.reply);
    }
    const { request } = check;
    draft.stream = request.stream;
    draft.lastUser = request.lastUser;
    const fault = plan.pick(draft.n, request.lastUser);
    if (fault) draft.fault = describeFault(fault);
    const outcome = await writeMessagesReply(ex, request, draft.n, fault, paced(cfg, draft.n), draft.fault ?? undefined);
    draft.reply = outcome.reply;
    draft.error = outcome.error;
    draft.complete = outcome.complete && !ex.clientGone;
  }

  function refuseBody(ex: Exchange, draft: Draft, problem: 'too-large' | 'timeout' | 'aborted'): void {
    draft.error = problem === 'aborted' ? 'client disconnected while sending the body' : `body ${problem}`;
    if (problem === 'too-large') ex.send({ ...tooLarge(), headers: { connection: 'close' } });
    else if (problem === 'timeout') ex.send({ ...requestTimeout(), headers: { connection: 'close' } });
    // 'aborted' by the client: nobody to answer. By close(): handle() sends the 503.
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      log.close();
      recorder?.close();
      reject(new SetupError(`endpoint cannot listen on ${config.host}:${config.port} (${error.code ?? error.message})`, { cause: error }));
    });
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;

  let closed: Promise<void> | undefined;
  return {
    baseUrl: `http://${urlHost}:${port}`,
    port,
    flavor: config.flavor,
    lenient: config.lenient,
    traffic: log.entries,
    get inFlight() {
      return active.size;
    },
    get trafficLogFailure() {
      return log.failure;
    },
    streaming: () =>
      [...active].flatMap((ex) =>
        ex.progress ? [{ ...ex.progress, elapsedMs: ex.elapsed(), ...(ex.firstByteAt === null ? {} : { firstByteMs: ex.firstByteAt - ex.t0 }) }] : [],
      ),
    onExchange: (callback) => log.onEntry(callback),
    close() {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const ex of active) ex.abort();
        await Promise.allSettled([...pending]);
        server.closeAllConnections();
        await stopped;
        log.close();
        recorder?.close();
      })();
      return closed;
    },
  };
}

// Files the endpoint writes must be openable up front; say which one and why not.
function openOrFail<T>(what: string, path: string | undefined, open: () => T): T {
  try {
    return open();
  } catch (error) {
    throw new SetupError(`${what} ${path}: cannot open (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** The relayed answer's pace and the server's own numbers, for the traffic log and the causes. */
function relayFacts(outcome: RelayOutcome, requestChars: number): RelayFacts {
  const times = outcome.chunkTimes;
  const gaps = times
    .slice(1)
    .map((t, i) => t - (times[i] as number))
    .sort((a, b) => a - b);
  const { numbers } = outcome.facts;
  return {
    chunks: times.length,
    maxGapMs: gaps.length > 0 ? (gaps.at(-1) as number) : null,
    medianGapMs: gaps.length > 0 ? (gaps[Math.floor(gaps.length / 2)] as number) : null,
    requestChars,
    reasoningChars: outcome.facts.reasoning?.length ?? 0,
    ...numbers,
  };
}

function modelOf(body: unknown): string | null {
  const model = (body as { model?: unknown } | null)?.model;
  return typeof model === 'string' ? model : null;
}
