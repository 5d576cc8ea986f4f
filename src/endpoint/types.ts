// Shapes shared by the loopback endpoint's modules: options, traffic entries, fault rules.
import type { CorpusEntry } from './corpus.js';
import type { Pace } from './pace.js';

/** Which real server the endpoint imitates. `sglang-stream-error` = SGLang before PR #21900 (2026-04). */
export type Flavor = 'sglang' | 'sglang-stream-error' | 'vllm';

// The accepted flavor names, for option validation.
export const FLAVORS: readonly Flavor[] = ['sglang', 'sglang-stream-error', 'vllm'];

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
}
