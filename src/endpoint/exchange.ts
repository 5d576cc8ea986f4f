// One request/response pair: timing, abort tracking, and writes that respect backpressure and shutdown.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ErrorReply } from './flavors.js';
import { JSON_HEADERS } from './sse.js';

// uvicorn's server header, so clients that sniff it see what they would see in production.
const BASE_HEADERS = { server: 'uvicorn' } as const;

/**
 * Wraps a ServerResponse. `signal` fires when the client goes away or the endpoint closes; every wait
 * goes through `sleep` so a stall "for ever" still ends on close().
 */
export class Exchange {
  readonly t0 = performance.now();
  firstByteAt: number | null = null;
  status = 0;
  /** The client closed the connection before the response was complete. */
  clientGone = false;
  /** The endpoint cut the connection on purpose (the `drop` fault). */
  dropped = false;
  private readonly controller = new AbortController();

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    res.on('close', () => {
      if (!res.writableFinished) this.clientGone = true;
      this.controller.abort();
    });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True while writing still makes sense. */
  get open(): boolean {
    return !this.controller.signal.aborted && !this.res.destroyed && !this.res.writableEnded;
  }

  /** Ends waits and streams because the endpoint is closing. */
  abort(): void {
    this.controller.abort();
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
    if (this.res.write(text)) return true;
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        this.res.off('drain', onDrain);
        this.signal.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onDrain = () => done(true);
      const onAbort = () => done(false);
      this.res.once('drain', onDrain);
      this.signal.addEventListener('abort', onAbort, { once: true });
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
    if (this.signal.aborted) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const onAbort = () => {
        if (timer) clearTimeout(timer);
        resolve(false);
      };
      const timer = Number.isFinite(ms)
        ? setTimeout(() => {
            this.signal.removeEventListener('abort', onAbort);
            resolve(true);
          }, ms)
        : undefined;
      this.signal.addEventListener('abort', onAbort, { once: true });
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
