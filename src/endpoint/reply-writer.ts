// Produces the local answer to a checked chat request: the deterministic reply, with any fault applied.
import type { ChatRequest } from './chat-check.js';
import { cutReason, type Exchange } from './exchange.js';
import { statusFault, streamErrorEvent } from './flavors.js';
import type { ReplyCorpus } from './corpus.js';
import { splitIntoTokens } from './pace.js';
import { estimateUsage, longReply, replyFor, splitIntoChunks } from './replies.js';
import {
  completionBody,
  completionIds,
  contentChunk,
  DONE,
  reasoningChunk,
  jsonHeaders,
  llamaTimings,
  roleChunk,
  SSE_HEADERS,
  sseEvent,
  sseHeaders,
  streamTail,
  wantsUsage,
  type Timings,
  type Usage,
} from './sse.js';
import type { FaultRule, Flavor, PaceVariation } from './types.js';

/** Settings the writer needs. */
export interface WriterConfig {
  flavor: Flavor;
  chunkDelayMs: number;
  firstChunkDelayMs: number;
  chunking: 'token' | 'batch';
  /** The wait before content chunk `chunk` (1-based) where this request has its own pace; chunkDelayMs otherwise. */
  chunkGapMs?: (chunk: number) => number;
  /** Corpus replies; undefined = echo replies. */
  corpus: ReplyCorpus | undefined;
  /** Send a leading `<think>` block as `reasoning_content` (see EndpointOptions.reasoningParser). */
  reasoningParser?: boolean;
}

/** The writer's settings for one request with its own pace (EndpointOptions.paceVariation): its first token's delay, its gaps and pauses. */
export function variedConfig<C extends WriterConfig>(config: C, variation: PaceVariation): C {
  const pauses = new Map(variation.pauses.map((p) => [p.afterChunk, p.ms]));
  const gap = config.chunkDelayMs * variation.gapScale;
  return { ...config, firstChunkDelayMs: variation.ttftMs, chunkGapMs: (chunk) => gap + (pauses.get(chunk - 1) ?? 0) };
}

/** A reply's leading `<think>…</think>` block and the answer after it, as a server's reasoning parser splits them. */
export function splitReasoning(text: string): { reasoning?: string; answer: string } {
  const m = /^\s*<think>([\s\S]*?)<\/think>\s*/.exec(text);
  return m ? { reasoning: m[1], answer: text.slice(m[0].length) } : { answer: text };
}

/** What was sent: the assistant text and, when the exchange did not finish normally, why. */
export interface WriteOutcome {
  reply: string | null;
  error: string | null;
  /** The reply went out whole and the stream (or body) ended normally. */
  complete: boolean;
}

/** Answers chat request number `n`, streaming or not, applying `fault` if one was picked. */
export async function writeChatReply(
  ex: Exchange,
  chat: ChatRequest,
  n: number,
  fault: FaultRule | undefined,
  config: WriterConfig,
  faultNote?: string,
): Promise<WriteOutcome> {
  const { flavor } = config;
  if (fault?.fault === 'status') {
    ex.send(statusFault(flavor, fault.status ?? 500, fault.retryAfter, fault.body));
    return { reply: null, error: null, complete: false };
  }
  let text = config.corpus ? config.corpus.replyFor(chat.messages) : replyFor(chat.messages);
  if (fault?.fault === 'empty') text = '';
  if (fault?.fault === 'long') text = longReply(text, fault.chars ?? 20000);
  // With a reasoning parser the block goes apart, and the reply (what a chat must show) is the answer.
  const { reasoning, answer } = config.reasoningParser ? splitReasoning(text) : { reasoning: undefined, answer: text };
  text = answer;
  // In flight from here: a reply whose first token is late is a slow reply (0 chars sent), not silence.
  ex.progress = { lastUser: chat.lastUser, sent: 0, total: text.length, fault: faultNote };
  if (fault?.fault === 'delay' && !(await ex.sleep(fault.ms ?? 0))) return { reply: null, error: cutReason(ex), complete: false };
  const ids = completionIds(flavor, n, chat.model);
  if (!(await ex.sleep(config.firstChunkDelayMs))) return { reply: null, error: cutReason(ex), complete: false };
  const usage = estimateUsage(chat.messages, text);
  const timings = flavor === 'llamacpp' ? timingsAtPace(usage, text, config) : undefined;

  if (!chat.stream) {
    switch (fault?.fault) {
      case 'stall':
        if (!(await ex.sleep(fault.ms ?? Number.POSITIVE_INFINITY))) {
          if (!ex.clientGone) ex.send(statusFault(flavor, 503));
          return { reply: null, error: cutReason(ex), complete: false };
        }
        break;
      case 'drop':
        ex.drop();
        return { reply: null, error: 'connection dropped (fault)', complete: false };
      case 'stream-error':
        ex.send(statusFault(flavor, 500));
        return { reply: null, error: null, complete: false };
      case 'malformed': {
        const body = completionBody(ids, text, usage, timings, reasoning);
        ex.send({ status: 200, body: body.slice(0, Math.floor(body.length / 2)), headers: jsonHeaders(flavor) });
        return { reply: null, error: null, complete: false };
      }
    }
    ex.send({ status: 200, body: completionBody(ids, text, usage, timings, reasoning), headers: jsonHeaders(flavor) });
    return { reply: text, error: null, complete: true };
  }

  ex.head(200, sseHeaders(flavor));
  const tail = streamTail(ids, usage, wantsUsage(flavor, chat.streamOptions), timings);
  return streamWithFaults(ex, text, fault, config, {
    head: roleChunk(ids),
    reasoning: reasoning === undefined ? undefined : { text: reasoning, delta: (chunk) => reasoningChunk(ids, chunk) },
    delta: (chunk) => contentChunk(ids, chunk),
    // Half a JSON object, then a line that is not SSE at all; the stream then goes on normally.
    malformed: `${sseEvent(`{"id":"${ids.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"`)}this line is not server-sent events\n\n`,
    // llama-server ends the stream after its error event, without [DONE] [C handle_completions_impl].
    streamError: { write: sseEvent(streamErrorEvent(flavor)), end: flavor === 'llamacpp' ? undefined : DONE },
    tail,
    end: DONE,
  });
}

// llama-server's timings for `text` at the pace the writer streams it (its chunks and their delays).
function timingsAtPace(usage: Usage, text: string, config: WriterConfig): Timings {
  const chunks = (config.chunking === 'token' ? splitIntoTokens(text) : splitIntoChunks(text)).length;
  return llamaTimings(usage, { firstChunkDelayMs: config.firstChunkDelayMs, chunkDelayMs: config.chunkDelayMs, chunks });
}

/** How one API frames a stream: what goes first, each text delta, the faults' bytes, the end. */
export interface StreamFraming {
  head: string;
  /** Reasoning streamed before the answer, at the same pace (not counted in the reply or the fault's chunks). */
  reasoning?: { text: string; delta: (chunk: string) => string };
  delta: (chunk: string) => string;
  malformed: string;
  /** The error event a server sends mid-stream, and what ends the body after it. */
  streamError: { write?: string; end?: string };
  tail: string;
  end?: string;
}

/**
 * Streams `text` at the configured pace with `fault` applied after its chunk (stall, drop,
 * malformed bytes, an error event): one loop for every API the endpoint speaks.
 */
export async function streamWithFaults(
  ex: Exchange,
  text: string,
  fault: FaultRule | undefined,
  config: WriterConfig,
  framing: StreamFraming,
): Promise<WriteOutcome> {
  let sent = '';
  const cut = (): WriteOutcome => {
    const error = cutReason(ex);
    ex.end(); // endpoint closing: finish the chunked body cleanly; a gone client makes this a no-op
    return { reply: sent, error, complete: false };
  };
  if (!(await ex.write(framing.head))) return cut();
  if (framing.reasoning) {
    const { text: thought, delta } = framing.reasoning;
    for (const chunk of config.chunking === 'token' ? splitIntoTokens(thought) : splitIntoChunks(thought)) {
      if (!(await ex.sleep(config.chunkDelayMs))) return cut();
      if (!(await ex.write(delta(chunk)))) return cut();
    }
  }
  const chunks = config.chunking === 'token' ? splitIntoTokens(text) : splitIntoChunks(text);
  const faultAt = Math.min(fault?.afterChunks ?? 1, chunks.length);
  for (let i = 0; i <= chunks.length; i++) {
    if (fault && i === faultAt) {
      switch (fault.fault) {
        case 'stall':
          if (!(await ex.sleep(fault.ms ?? Number.POSITIVE_INFINITY))) return cut();
          break;
        case 'drop':
          ex.drop();
          return { reply: sent, error: 'connection dropped (fault)', complete: false };
        case 'malformed':
          if (!(await ex.write(framing.malformed))) return cut();
          break;
        case 'stream-error':
          if (framing.streamError.write && !(await ex.write(framing.streamError.write))) return cut();
          ex.end(framing.streamError.end);
          return { reply: sent, error: null, complete: false };
      }
    }
    const chunk = chunks[i];
    if (chunk === undefined) break;
    if (!(await ex.sleep(config.chunkGapMs?.(i + 1) ?? config.chunkDelayMs))) return cut();
    if (!(await ex.write(framing.delta(chunk)))) return cut();
    sent += chunk;
    if (ex.progress) ex.progress.sent = sent.length;
  }
  if (!(await ex.write(framing.tail))) return cut();
  ex.end(framing.end);
  return { reply: sent, error: null, complete: true };
}

/** Old SGLang (before PR #21900): a 200 stream whose only event is the error, then [DONE]. */
export function writeStreamErrorOnly(ex: Exchange, event: string): void {
  ex.head(200, SSE_HEADERS);
  ex.end(sseEvent(event) + DONE);
}
