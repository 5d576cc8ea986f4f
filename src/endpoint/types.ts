// Shapes shared by the loopback endpoint's modules: options, traffic entries, fault rules.
import type { CorpusEntry } from './corpus.js';
import type { Pace } from './pace.js';

/**
 * Which real server the endpoint imitates. `sglang-stream-error` = SGLang before PR #21900 (2026-04);
 * `llamacpp` = llama.cpp's `llama-server` (build 11434), which is lenient where the other two are strict.
 */
export type Flavor = 'sglang' | 'sglang-stream-error' | 'vllm' | 'llamacpp';

// The accepted flavor names, for option validation.
export const FLAVORS: readonly Flavor[] = ['sglang', 'sglang-stream-error', 'vllm', 'llamacpp'];

/** The flavor when none is asked for: SGLang, what the user of the original report ran. */
export const DEFAULT_FLAVOR: Flavor = 'sglang';

/** The model served when none is named, and the one the smoke gives `wg init -m` by default. */
export const DEFAULT_MODEL = 'qwen3-coder';

/** The kinds of fault a rule can inject into a chat-completion exchange. */
export type FaultType = 'status' | 'delay' | 'stall' | 'drop' | 'malformed' | 'empty' | 'long' | 'stream-error';

/**
 * One scripted fault. `request` (1-based chat-completion count) and `message` (substring of the last
 * user message, or `/regex/flags`) select requests; with neither, every request matches.
 * `times` is how often the rule fires (default 1; `'always'` = every time).
 */
export interface FaultRule {
  fault: FaultType;
  request?: number;
  message?: string;
  times?: number | 'always';
  /** `status`: the HTTP status (401, 404, 429, 500, 503 have realistic bodies). */
  status?: number;
  /** `status` 429/503: the Retry-After header, in seconds. */
  retryAfter?: number;
  /** `status`: replaces the default body. */
  body?: string;
  /** `delay`: before headers. `stall`: how long; omitted = until the client or close() ends it. */
  ms?: number;
  /** `stall`, `drop`, `malformed`, `stream-error`: content chunks sent first (default 1). */
  afterChunks?: number;
  /** `long`: reply length in characters (default 20000). */
  chars?: number;
}

/** Options of `startEndpoint`. Everything is optional; the defaults imitate a stock SGLang. */
export interface EndpointOptions {
  /** Loopback only: 127.0.0.0/8, ::1 or localhost. Default 127.0.0.1. */
  host?: string;
  /** 0 or omitted picks a free port. */
  port?: number;
  /** Served model names. Default ['qwen3-coder']. */
  models?: readonly string[];
  flavor?: Flavor;
  /** Accept `provider:model` and the chat path without `/v1` (for bisecting past wg's two 2026-04-26 bugs). */
  lenient?: boolean;
  /** When set, requests need `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  faults?: readonly FaultRule[];
  /** NDJSON traffic log, appended and flushed per line. */
  trafficLogPath?: string;
  /** Proxy to an upstream OpenAI-compatible server and record the exchanges. */
  record?: { upstream: string; file: string };
  /** Answer from a recording, offline. */
  replay?: { file: string };
  /**
   * Where replies come from: `echo` (`Reply N to: <message>`, the default for the library), `corpus`
   * (the built-in corpus of model-like replies), or a corpus of your own.
   */
  replies?: 'echo' | 'corpus' | readonly CorpusEntry[];
  /** Streaming pace; overrides chunkDelayMs/firstChunkDelayMs. */
  pace?: Pace;
  /**
   * Split a leading `<think>…</think>` block off each reply and send it as `reasoning_content`
   * (streamed before the answer), as vLLM and SGLang do with `--reasoning-parser` and llama-server
   * with `--reasoning-format deepseek`. Off: the block stays inline in `content`, as a server with
   * no reasoning parser sends it. OpenAI-compatible routes only.
   */
  reasoningParser?: boolean;
  /**
   * Varies the pace per chat request (`run --jitter`): request n's time to first token replaces the
   * pace's, its chunk gaps are scaled, and it pauses after the given chunks. Called once per request.
   */
  paceVariation?: (n: number) => PaceVariation;
  /** Delay between stream chunks (default 20 ms). */
  chunkDelayMs?: number;
  /** Delay before the first chunk (default 0). */
  firstChunkDelayMs?: number;
  /** Request bodies above this get 413 (default 4 MiB). */
  maxBodyBytes?: number;
  /** A body that has not fully arrived after this gets 408 (default 30 s). */
  bodyTimeoutMs?: number;
  /** Node's own limit for receiving the request headers (default 10 s). */
  headersTimeoutMs?: number;
}

/** One chat request's own pace (EndpointOptions.paceVariation). */
export interface PaceVariation {
  ttftMs: number;
  /** Multiplies the gap between chunks. */
  gapScale: number;
  /** Extra waits after these chunks (1-based), in ms. */
  pauses: ReadonlyArray<{ afterChunk: number; ms: number }>;
}

/** One exchange, as kept in memory and written to the NDJSON traffic log. */
export interface TrafficEntry {
  time: string;
  /** Order of arrival over all requests (1-based). */
  seq: number;
  /** Chat-completion request number (1-based), the one fault rules match on; null for other requests. */
  n: number | null;
  method: string;
  path: string;
  model: string | null;
  /** HTTP status sent; 0 when the connection was dropped before any answer. */
  status: number;
  /** Request start to first body byte written; null when nothing was written. */
  ttfbMs: number | null;
  durationMs: number;
  stream: boolean;
  /**
   * Parsed JSON request body with secrets redacted; the raw text (truncated) when it is not JSON.
   * In memory it is IN_FILE when a traffic log file keeps it.
   */
  request: unknown;
  /** Request headers with Authorization and key-like headers redacted. */
  headers: Record<string, string>;
  /** The last user message of a chat request (what fault rules and the turn judge match on). */
  lastUser: string | null;
  /** The assistant text sent (streamed deltas joined), null when none. */
  reply: string | null;
  /** The reply went out whole and ended normally (finish chunk and [DONE], or the full JSON body). */
  complete: boolean;
  /** Human-readable description of the injected fault, null when none. */
  fault: string | null;
  error: string | null;
  /** The client went away before the response was complete. */
  aborted: boolean;
  /** A lenient rule let this request through (stripped `provider:` prefix, chat path without /v1). */
  lenientApplied: boolean;
  mode: 'local' | 'record' | 'replay';
  /** A relayed answer (record or replay mode): how the server streamed it, in its own numbers. */
  relay?: RelayFacts;
}

/** How a real server answered one relayed exchange: the pace and the numbers it reported itself. */
export interface RelayFacts {
  /** Body chunks that came from the server. */
  chunks: number;
  /** The longest and the median gap between two chunks, ms (null with fewer than two). */
  maxGapMs: number | null;
  medianGapMs: number | null;
  /** Characters of the request body: wg's prompt, with its system prompt and the history. */
  requestChars: number;
  /** Reasoning streamed apart from the answer (`reasoning_content`), in characters. */
  reasoningChars: number;
  promptTokens?: number;
  completionTokens?: number;
  /** Prompt processing time the server reported (llama.cpp's `timings.prompt_ms`). */
  prefillMs?: number;
  /** Generation pace the server reported (llama.cpp's `timings.predicted_per_second`). */
  tokensPerSecond?: number;
  finishReason?: string;
}

/** A chat reply being answered right now, as `Endpoint.streaming()` reports it. */
export interface StreamProgress {
  lastUser: string;
  /** Characters of reply text sent so far. */
  sent: number;
  /** The reply's whole length, where the endpoint knows it in advance (its own replies; not a relayed server's). */
  total?: number;
  /** The fault planted on this reply, in words. */
  fault?: string;
  /** Characters of the request body (a relayed request: wg's whole prompt). */
  requestChars?: number;
}

/** `StreamProgress` with its timing, read at the moment it was asked for. */
export interface LiveStream extends StreamProgress {
  /** Since the request arrived, ms. */
  elapsedMs: number;
  /** Request arrival to the first body byte, ms; undefined while nothing has come. */
  firstByteMs?: number;
}
