// The waits of a TerminalSession, held by it (composition): the frame to read, the exit and
// dispose state they watch, and every wait helper. The session tells it when the program exited
// and when it was disposed; nothing else reaches into it.
import type { Emulator } from './emulator.js';
import type { Cursor, Screen } from './screen.js';
import type { Disposable, ExitInfo, Region } from './types.js';
import { describePattern, waitOn, type Check, type WaitOptions, type WaitSource } from './wait.js';

export interface TextWaitOptions extends WaitOptions {
  /** Only rows from..to (inclusive) instead of the whole screen. */
  rows?: [from: number, to: number];
}

export class SessionWaits {
  private _exit: ExitInfo | undefined;
  private _disposed = false;
  private _lastScreen: Screen | undefined;
  private readonly _exitListeners = new Set<(e: ExitInfo) => void>();
  private readonly _disposeListeners = new Set<() => void>();
  private readonly _source: WaitSource;

  constructor(private readonly _emulator: Emulator) {
    this._source = {
      screen: () => this.screen(),
      onFrame: (l) => this._emulator.onFrame(l),
      exitInfo: () => this._exit,
      onExit: (l) => this._listen(this._exitListeners, l),
      isDisposed: () => this._disposed,
      onDispose: (l) => this._listen(this._disposeListeners, l),
    };
  }

  private _listen<F>(set: Set<F>, l: F): Disposable {
    set.add(l);
    return { dispose: () => set.delete(l) };
  }

  /** How the program exited; undefined while it runs. */
  get exitInfo(): ExitInfo | undefined {
    return this._exit;
  }

  /** The program exited (its last output parsed): waits watching for that settle now. */
  markExited(exit: ExitInfo): void {
    this._exit = exit;
    for (const l of [...this._exitListeners]) l(exit);
  }

  /** The session was disposed: the last frame is kept, and waits end with `disposed`. */
  markDisposed(): void {
    this._lastScreen = this.screen();
    this._disposed = true;
    for (const l of [...this._disposeListeners]) l();
  }

  /** The current whole frame (never half of a synchronized update). Frozen after dispose. */
  screen(): Screen {
    return this._lastScreen ?? this._emulator.screen();
  }

  /** Resolves with the first truthy value `check` returns; checked now and after every frame. */
  waitFor<T>(check: Check<T>, opts: WaitOptions & { description?: string } = {}): Promise<T> {
    return waitOn(this._source, check, opts, opts.description ?? 'custom condition');
  }

  /** Waits until the text or regex is on screen (or in `region` / `rows`). */
  waitForText(pattern: string | RegExp, opts: TextWaitOptions = {}): Promise<Screen> {
    const region = this._region(opts);
    return waitOn(this._source, (s) => s.has(pattern, region) && s, opts, `${describePattern(pattern)} to appear${where(region)}`);
  }

  /** Waits until the text or regex is no longer on screen (or in `region` / `rows`). */
  waitForGone(pattern: string | RegExp, opts: TextWaitOptions = {}): Promise<Screen> {
    const region = this._region(opts);
    return waitOn(this._source, (s) => !s.has(pattern, region) && s, opts, `${describePattern(pattern)} to disappear${where(region)}`);
  }

  /** Waits until text and cursor have not changed for `quietMs`. */
  waitForStable(quietMs: number, opts: WaitOptions = {}): Promise<Screen> {
    let last: string | undefined;
    let since = performance.now();
    const check: Check<Screen> = (s, ctx) => {
      const key = `${s.cursor.x},${s.cursor.y},${s.cursor.visible}\n${s.text}`;
      const now = performance.now();
      if (key !== last) {
        last = key;
        since = now;
      }
      if (now - since >= quietMs) return s;
      ctx.recheckIn(quietMs - (now - since));
      return undefined;
    };
    return waitOn(this._source, check, opts, `screen stable for ${quietMs} ms`);
  }

  /** Waits until the cursor matches the given fields or predicate. */
  waitForCursor(want: Partial<Cursor> | ((c: Cursor) => boolean), opts: WaitOptions = {}): Promise<Screen> {
    const ok = typeof want === 'function' ? want : (c: Cursor) => Object.entries(want).every(([k, v]) => c[k as keyof Cursor] === v);
    const desc = typeof want === 'function' ? 'cursor predicate' : `cursor at ${JSON.stringify(want)}`;
    return waitOn(this._source, (s) => ok(s.cursor) && s, opts, desc);
  }

  /** Waits for the program to exit; resolves with its exit info. */
  waitForExit(opts: Omit<WaitOptions, 'failOnExit'> = {}): Promise<ExitInfo> {
    return waitOn(this._source, () => this._exit, { ...opts, failOnExit: false }, 'program to exit');
  }

  private _region(opts: TextWaitOptions): Region | undefined {
    if (opts.region) return opts.region;
    if (opts.rows) return { top: opts.rows[0], bottom: opts.rows[1], left: 0, right: 10_000 };
    return undefined;
  }
}

function where(r: Region | undefined): string {
  return r ? ` in rows ${r.top}–${r.bottom}, cols ${r.left}–${Math.min(r.right, 9999)}` : '';
}
