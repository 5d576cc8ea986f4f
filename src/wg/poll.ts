import { HarnessError } from '../errors.js';

// Backoff polling for outside probes only (files appearing, a socket, an HTTP probe): these give
// no event to wait on. Screen waits never poll; they re-check on every parsed write.

const BACKOFF_MS = [0, 20, 50, 100, 100, 500];

export class ProbeTimeoutError extends HarnessError {
  constructor(
    readonly what: string,
    readonly elapsedMs: number,
    readonly lastSeen: string,
  ) {
    super(`timed out after ${(elapsedMs / 1000).toFixed(1)}s waiting for ${what}${lastSeen ? ` (last seen: ${lastSeen})` : ''}`);
  }
}

/** Calls `check` until it returns a value; `describe` says what was last seen, for the error. */
export async function pollUntil<T>(
  check: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs: number; what: string; describe?: () => Promise<string> | string },
): Promise<T> {
  const started = performance.now();
  const cap = Math.max(20, options.timeoutMs / 5);
  for (let attempt = 0; ; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    const elapsed = performance.now() - started;
    if (elapsed >= options.timeoutMs) {
      throw new ProbeTimeoutError(options.what, elapsed, options.describe ? await options.describe() : '');
    }
    const delay = Math.min(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] as number, cap, options.timeoutMs - elapsed);
    await new Promise((r) => setTimeout(r, delay));
  }
}
