// The condition engine: check once, then re-check on every whole frame; timers only for time.
import { WaitError, type WaitReason } from './errors.js';
import type { Screen } from './screen.js';
import type { Disposable, ExitInfo, Region } from './types.js';

/** Budget of every wait that does not name one. */
export const DEFAULT_WAIT_TIMEOUT_MS = 10_000;

export interface WaitOptions {
  /** Budget in ms; default DEFAULT_WAIT_TIMEOUT_MS (10 s). */
  timeoutMs?: number;
  /** Caller's label for the error message, e.g. 'waiting for reply to 2/5'. */
  phase?: string;
  /** Restricts the text helpers to a rectangle. */
  region?: Region;
  /** Default true: the program exiting before the condition holds fails the wait at once.
   * When false, the check keeps running on the final screen until it holds or time runs out. */
  failOnExit?: boolean;
  signal?: AbortSignal;
}

/** Given to checks that depend on time: ask to be re-run even if no output arrives. */
export interface CheckContext {
  readonly startedAt: number;
  recheckIn(ms: number): void;
}

/**
 * A part of a check that is true once `key` has been the same, and defined, for `ms`: what a screen
 * shows only counts once it has lasted. A key still too young asks for a recheck when it would be
 * old enough, so a static screen is decided on time. One per wait: it remembers since when.
 */
export function heldFor(ms: number): (key: string | undefined, ctx: CheckContext) => boolean {
  let held: { key: string; since: number } | undefined;
  return (key, ctx) => {
    if (key === undefined) {
      held = undefined;
      return false;
    }
    const now = performance.now();
    if (held?.key !== key) held = { key, since: now };
    if (now - held.since >= ms) return true;
    ctx.recheckIn(ms - (now - held.since));
    return false;
  };
}

export type Check<T> = (screen: Screen, ctx: CheckContext) => T | undefined | null | false;

/** What the engine watches; the session provides it. */
export interface WaitSource {
  screen(): Screen;
  onFrame(listener: (screen: Screen) => void): Disposable;
  /** Set only once the program's last output has been parsed. */
  exitInfo(): ExitInfo | undefined;
  onExit(listener: (exit: ExitInfo) => void): Disposable;
  isDisposed(): boolean;
  onDispose(listener: () => void): Disposable;
}

/** Resolves with the first truthy value of `check`; rejects with WaitError otherwise. */
export function waitOn<T>(src: WaitSource, check: Check<T>, opts: WaitOptions, condition: string): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const failOnExit = opts.failOnExit ?? true;
  if (!(timeoutMs >= 0) || !Number.isFinite(timeoutMs)) throw new TypeError(`timeoutMs must be a finite number ≥ 0, got ${timeoutMs}`);
  return new Promise<T>((resolve, reject) => {
    const startedAt = performance.now();
    const subs: Disposable[] = [];
    // eslint-disable-next-line prefer-const -- armed last, but finish() may clear it before that
    let timer: NodeJS.Timeout | undefined;
    let recheck: NodeJS.Timeout | undefined;
    let done = false;

    const finish = (settle: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(recheck);
      for (const s of subs.splice(0)) s.dispose();
      settle();
    };
    const fail = (reason: WaitReason): void => {
      const screenText = src.screen().text;
      finish(() =>
        reject(
          new WaitError({
            condition,
            reason,
            timeoutMs,
            screenText,
            elapsedMs: performance.now() - startedAt,
            phase: opts.phase,
            exit: src.exitInfo(),
          }),
        ),
      );
    };
    const ctx: CheckContext = {
      startedAt,
      recheckIn: (ms) => {
        clearTimeout(recheck);
        recheck = setTimeout(() => evaluate(src.screen()), Math.max(0, ms));
      },
    };
    const evaluate = (screen: Screen): boolean => {
      if (done) return true;
      let value: T | undefined | null | false;
      try {
        value = check(screen, ctx);
      } catch (err) {
        finish(() => reject(err instanceof Error ? err : new Error(String(err))));
        return true;
      }
      if (value === undefined || value === null || value === false) return false;
      finish(() => resolve(value));
      return true;
    };
    const exited = (): void => {
      if (!evaluate(src.screen()) && failOnExit) fail('exited');
    };

    // One synchronous check first: a condition that already holds costs no event turn.
    if (evaluate(src.screen())) return;
    if (opts.signal?.aborted) return fail('aborted');
    if (src.isDisposed()) return fail('disposed');
    if (src.exitInfo()) {
      exited();
      if (done) return;
    } else {
      subs.push(src.onExit(exited));
    }
    subs.push(
      src.onFrame(evaluate),
      src.onDispose(() => fail('disposed')),
    );
    if (opts.signal) {
      const onAbort = (): void => fail('aborted');
      opts.signal.addEventListener('abort', onAbort, { once: true });
      subs.push({ dispose: () => opts.signal!.removeEventListener('abort', onAbort) });
    }
    timer = setTimeout(() => {
      if (!evaluate(src.screen())) fail('timeout');
    }, timeoutMs);
  });
}

/** "text "abc"" / "regex /a+/" for messages. */
export function describePattern(p: string | RegExp): string {
  return typeof p === 'string' ? `text ${JSON.stringify(p)}` : `regex ${String(p)}`;
}
