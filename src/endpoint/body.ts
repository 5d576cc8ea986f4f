// Reads a request body with a size limit and a deadline, so bad clients cannot hold or flood the endpoint.
import type { IncomingMessage } from 'node:http';
import type { CancelSignal } from './exchange.js';

/** The body text, or why there is none. */
export type BodyResult = { ok: true; text: string } | { ok: false; problem: 'too-large' | 'timeout' | 'aborted' };

// An oversized body is read to its end (and thrown away) before answering 413, so the client is not cut
// off mid-upload and reliably sees the answer; past this much we stop being polite and close.
const DRAIN_CAP = 64 * 1024 * 1024;

/** Collects the body; `signal` (endpoint closing) counts as aborted. Never rejects. */
export function readBody(req: IncomingMessage, limit: number, timeoutMs: number, signal: CancelSignal): Promise<BodyResult> {
  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > limit;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      removeAbort();
      if (!result.ok && result.problem !== 'too-large') req.resume();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      else chunks.length = 0;
      if (size > DRAIN_CAP) {
        finish({ ok: false, problem: 'too-large' });
        req.socket.destroy();
      }
    };
    const onEnd = () => finish(tooLarge ? { ok: false, problem: 'too-large' } : { ok: true, text: Buffer.concat(chunks).toString('utf8') });
    const onClose = () => finish({ ok: false, problem: 'aborted' });
    const timer = setTimeout(() => finish({ ok: false, problem: 'timeout' }), timeoutMs);
    let removeAbort = () => {};
    if (req.complete && req.readableEnded) return onEnd();
    req.on('data', onData).on('end', onEnd).on('close', onClose);
    removeAbort = signal.onAbort(() => finish({ ok: false, problem: 'aborted' }));
  });
}
