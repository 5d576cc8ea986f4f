// One request/response pair: timing, abort tracking, and writes that respect backpressure and shutdown.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ErrorReply } from './flavors.js';
import type { StreamProgress } from './types.js';
import { JSON_HEADERS } from './sse.js';

/** Why an exchange stopped early, for the traffic log: its client went away, or the endpoint is closing. */
export function cutReason(ex: Exchange): string {
  return ex.clientGone ? 'client disconnected' : 'endpoint closing';
}

/** A minimal cancellation signal: cheaper than an AbortController per request, which showed in profiles. */
export interface CancelSignal {
  readonly aborted: boolean;
  /** Calls `listener` once on abort; returns its remover. */
  onAbort(listener: () => void): () => void;
}

// uvicorn's server header, so clients that sniff it see what they would see in production.
const BASE_HEADERS = { server: 'uvicorn' } as const;

/**
 * Wraps a ServerResponse. It aborts (as a CancelSignal) when the client goes away or the endpoint
 * closes; every wait goes through `sleep` so a stall "for ever" still ends on close().
 */
export class Exchange implements CancelSignal {
  readonly t0 = performance.now();
  firstByteAt: number | null = null;
  status = 0;
  /** The client closed the connection before the response was complete. */
  clientGone = false;
  /** The endpoint cut the connection on purpose (the `drop` fault). */
  dropped = false;
  aborted = false;
  /** While a chat reply streams: its last user message, and reply characters sent (of the total, where known). */
  progress: StreamProgress | undefined;
  private listeners: (() => void)[] = [];

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    res.on('close', () => {
      // A normal finish needs no abort; creating the abort reason is the costly part, so reuse one.
      if (res.writableFinished) return;
      this.clientGone = true;
      this.abort();
    });
  }

  onAbort(listener: () => void): () => void {
    if (this.aborted) {
      listener();
      return () => {};
    }
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** True while writing still makes sense. */
  get open(): boolean {
    return !this.aborted && !this.res.destroyed && !this.res.writableEnded;
  }

  /** Ends waits and streams because the endpoint is closing. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }

  /** Sets status and headers; they go out with the first write. */
  head(status: number, headers: Record<string, string | number>): void {
    this.status = status;
    if (!this.res.headersSent) this.res.writeHead(status, { ...BASE_HEADERS, ...headers });
  }

  /** Writes body text; waits for drain under backpressure. Returns false when the exchange was cut off. */
  async write(text: string): Promise<boolean> {
    if (!this.open) return false;
    this.firstByteAt ??= performance.now();
    this.corkForThisTick();
    if (this.res.write(text)) return true;
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        this.res.off('drain', onDrain);
        removeAbort();
        resolve(ok);
      };
      const onDrain = () => done(true);
      this.res.once('drain', onDrain);
      const removeAbort = this.onAbort(() => done(false));
    });
  }

  // Writes made in the same tick (all of them when delays are 0) leave in one writev, not one syscall each.
  private corked = false;
  private corkForThisTick(): void {
    if (this.corked) return;
    this.corked = true;
    this.res.cork();
    process.nextTick(() => {
      this.corked = false;
      this.res.uncork();
    });
  }

  /** Ends the body (cleanly, chunked terminator) unless the socket is already gone. */
  end(text?: string): void {
    if (this.res.destroyed || this.res.writableEnded) return;
    if (text !== undefined && text.length > 0) this.firstByteAt ??= performance.now();
    this.res.end(text);
  }

  /** Sends a complete JSON answer (errors, model list, non-streaming completions). */
  send(reply: Pick<ErrorReply, 'status' | 'body' | 'headers'>): void {
    if (this.res.headersSent) return this.end();
    this.head(reply.status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(reply.body), ...reply.headers });
    this.end(reply.body);
  }

  /** Waits `ms` (Infinity = until aborted). Resolves true if the time passed, false if aborted first. */
  sleep(ms: number): Promise<boolean> {
    if (this.aborted) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = Number.isFinite(ms)
        ? setTimeout(() => {
            removeAbort();
            resolve(true);
          }, ms)
        : undefined;
      const removeAbort = this.onAbort(() => {
        if (timer) clearTimeout(timer);
        resolve(false);
      });
    });
  }

  /** Kills the connection without a proper end, like a crashed server or a broken proxy. */
  drop(): void {
    this.dropped = true;
    this.res.socket?.destroy();
  }

  /** Milliseconds since the request arrived. */
  elapsed(): number {
    return performance.now() - this.t0;
  }
}
