// TerminalSession: one program in a real pty mirrored into xterm; owns everything it creates.
import { createWriteStream, type WriteStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { OptionError } from '../errors.js';
import { Emulator } from './emulator.js';
import { describeExit, SessionClosedError } from './errors.js';
import { CastRecorder } from './evidence/asciicast.js';
import { takeSnapshot, writeSnapshot, type EvidencePaths, type Snapshot } from './evidence/snapshot.js';
import { keyBytes, pasteBytes } from './keys.js';
import { DescendantTracker } from './processes.js';
import { spawnPty, signalGroup, type PtyProcess } from './pty.js';
import type { QueryLogEntry } from './query-log.js';
import type { Cursor, Screen } from './screen.js';
import { resolveSpawnTarget } from './spawn-target.js';
import { teardown, type DisposeResult } from './teardown.js';
import type { Disposable, ExitInfo } from './types.js';
import { SessionWaits, type TextWaitOptions } from './session-waits.js';
import type { Check, WaitOptions } from './wait.js';

export interface SpawnOptions {
  file: string;
  args?: string[];
  cwd?: string;
  /** Added to the inherited environment (see `inheritEnv`); wins over TERM/COLORTERM defaults. */
  env?: Record<string, string | undefined>;
  /** Default true: start from process.env (minus variables that describe another terminal). */
  inheritEnv?: boolean;
  cols?: number;
  rows?: number;
  /** Stream the asciicast here; otherwise it is kept in memory (`cast.save()` later). */
  castPath?: string;
  /** Append every byte the program wrote to this file. */
  rawLogPath?: string;
  /** Lines of scrollback kept by the emulator; default 1000 (bounds memory under floods). */
  scrollback?: number;
  /** Unparsed bytes above which the pty is paused (backpressure); default 1 MiB. */
  highWaterBytes?: number;
  /** ms between SIGTERM and SIGKILL at dispose; default 2000. */
  killGraceMs?: number;
  /** How often to record the process tree for leak detection; default 500 ms, 0 = only at dispose. */
  processSampleMs?: number;
  /** Parse output immediately instead of after xterm's 1 ms timer; default true. */
  fastParse?: boolean;
}

// Variables that would describe the harness's own terminal, not the pty.
const FOREIGN_ENV = ['TMUX', 'TMUX_PANE', 'TERM_PROGRAM', 'TERM_PROGRAM_VERSION', 'COLUMNS', 'LINES', 'STY', 'WINDOWID'];
const ENV_TAG_NAME = 'TERMINAL_SESSION_TAG';
const live = new Set<TerminalSession>();
let exitHookInstalled = false;

/** Best effort: a harness that exits without disposing still takes its programs down. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const s of live) signalGroup(s.pid, 'SIGKILL');
  });
}

/** What the private constructor needs, named (spawn() works these out). */
interface SessionInit {
  pty: PtyProcess;
  opts: SpawnOptions;
  cols: number;
  rows: number;
  /** `WG_TUI_E2E_SESSION=<id>`: every descendant inherits it, so teardown finds them. */
  envTag: string;
  /** The command line, for the cast's header. */
  command: string;
  /** TERM as the program got it, for the cast's header. */
  term: string;
}

export class TerminalSession {
  readonly pid: number;
  /** Resolves once the program has exited and its last output is parsed. Never rejects. */
  readonly exited: Promise<ExitInfo>;
  readonly cast: CastRecorder;
  private readonly _raw: WriteStream | undefined;
  private readonly _tracker: DescendantTracker;
  private readonly _sampler: NodeJS.Timeout | undefined;
  private readonly _subs: Disposable[] = [];
  private _paused = false;
  private _disposing: Promise<DisposeResult> | undefined;
  private readonly _emulator: Emulator;
  private readonly _pty: PtyProcess;
  /** Screen access and every wait; the session only tells it of the exit and the dispose. */
  private readonly _waits: SessionWaits;

  /** Spawns `file` in a new pty of cols×rows (default 120×40). Throws SpawnError up front. */
  static async spawn(opts: SpawnOptions): Promise<TerminalSession> {
    const cols = opts.cols ?? 120;
    const rows = opts.rows ?? 40;
    for (const [k, v] of [
      ['cols', cols],
      ['rows', rows],
    ] as const) {
      if (!Number.isInteger(v) || v < 2 || v > 1000) throw new OptionError(`${k} must be an integer 2–1000, got ${v}`);
    }
    const cwd = opts.cwd ?? process.cwd();
    const tag = `${ENV_TAG_NAME}=${randomUUID()}`;
    const env: Record<string, string> = {};
    if (opts.inheritEnv ?? true) for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    for (const k of FOREIGN_ENV) delete env[k];
    Object.assign(env, { TERM: 'xterm-256color', COLORTERM: 'truecolor' });
    for (const [k, v] of Object.entries(opts.env ?? {}))
      if (v === undefined) delete env[k];
      else env[k] = v;
    env[ENV_TAG_NAME] = tag.slice(ENV_TAG_NAME.length + 1);
    const file = resolveSpawnTarget(opts.file, cwd, env.PATH);
    const pty = await spawnPty({ file, args: opts.args ?? [], cwd, env, cols, rows });
    return new TerminalSession({ pty, opts, cols, rows, envTag: tag, command: [opts.file, ...(opts.args ?? [])].join(' '), term: env.TERM! });
  }

  private constructor(init: SessionInit) {
    const { pty: _pty, opts, cols, rows, envTag, command, term } = init;
    const start = performance.now();
    this._pty = _pty;
    this._emulator = new Emulator({ cols, rows, scrollback: opts.scrollback ?? 1000, clock: () => performance.now() - start, fastParse: opts.fastParse });
    this._waits = new SessionWaits(this._emulator);
    this.pid = _pty.pid;
    this.cast = new CastRecorder({ width: cols, height: rows, term, command, path: opts.castPath });
    this._raw = opts.rawLogPath ? createWriteStream(opts.rawLogPath) : undefined;
    this._raw?.on('error', () => {});
    this._tracker = new DescendantTracker(this.pid, envTag);
    const high = opts.highWaterBytes ?? 1024 * 1024;
    const low = high / 4;
    this._subs.push(
      _pty.onData((data) => {
        this._raw?.write(data);
        this.cast.output(data);
        this._emulator.write(data, () => {
          // Backpressure: let the program write again once the parser has caught up.
          if (this._paused && this._emulator.pendingBytes <= low) {
            this._paused = false;
            this._pty.resume();
          }
        });
        if (!this._paused && this._emulator.pendingBytes > high) {
          this._paused = true;
          this._pty.pause();
        }
      }),
      this._emulator.onAnswer((data) => {
        if (!this._waits.exitInfo) this._pty.write(data);
      }),
    );
    this.exited = new Promise<ExitInfo>((resolve) => {
      this._subs.push(
        _pty.onExit((exit) => {
          // Report the exit only after the program's last bytes are on the screen.
          void this._emulator.flush().then(() => {
            this._waits.markExited(exit);
            resolve(exit);
          });
        }),
      );
    });
    const sampleMs = opts.processSampleMs ?? 500;
    this._tracker.sample();
    this._sampler = sampleMs > 0 ? setInterval(() => this._tracker.sample(), sampleMs).unref() : undefined;
    live.add(this);
    installExitHook();
  }

  /** The program's exit, or undefined while it runs. */
  get exitInfo(): ExitInfo | undefined {
    return this._waits.exitInfo;
  }

  /** The current whole frame (never half of a synchronized update). Frozen after dispose. */
  screen(): Screen {
    return this._waits.screen();
  }

  /** Resolves with the first truthy value `check` returns; checked now and after every frame. */
  waitFor<T>(check: Check<T>, opts: WaitOptions & { description?: string } = {}): Promise<T> {
    return this._waits.waitFor(check, opts);
  }

  /** Waits until the text or regex is on screen (or in `region` / `rows`). */
  waitForText(pattern: string | RegExp, opts: TextWaitOptions = {}): Promise<Screen> {
    return this._waits.waitForText(pattern, opts);
  }

  /** Waits until the text or regex is no longer on screen (or in `region` / `rows`). */
  waitForGone(pattern: string | RegExp, opts: TextWaitOptions = {}): Promise<Screen> {
    return this._waits.waitForGone(pattern, opts);
  }

  /** Waits until text and cursor have not changed for `quietMs`. */
  waitForStable(quietMs: number, opts: WaitOptions = {}): Promise<Screen> {
    return this._waits.waitForStable(quietMs, opts);
  }

  /** Waits until the cursor matches the given fields or predicate. */
  waitForCursor(want: Partial<Cursor> | ((c: Cursor) => boolean), opts: WaitOptions = {}): Promise<Screen> {
    return this._waits.waitForCursor(want, opts);
  }

  /** Waits for the program to exit; resolves with its exit info. */
  waitForExit(opts: Omit<WaitOptions, 'failOnExit'> = {}): Promise<ExitInfo> {
    return this._waits.waitForExit(opts);
  }

  /** Every terminal query the program made, with the answer it got. */
  get queries(): readonly QueryLogEntry[] {
    return this._emulator.queries.entries;
  }

  /** Runs after every parsed write (whole frames only). */
  onUpdate(listener: (screen: Screen) => void): Disposable {
    return this._emulator.onFrame(listener);
  }

  private _assertOpen(what: string): void {
    if (this._disposing) throw new SessionClosedError(`${what}: session is disposed`);
    const exit = this._waits.exitInfo;
    if (exit) throw new SessionClosedError(`${what}: program already exited (${describeExit(exit)})`);
  }

  private _send(data: string): void {
    this.cast.input(data);
    this._pty.write(data);
  }

  /** Raw bytes to the program. Returns false (and sends nothing) once it has exited. */
  write(data: string): boolean {
    if (this._waits.exitInfo || this._disposing) return false;
    this._send(data);
    return true;
  }

  /**
   * Types text one character at a time, `delayMs` apart, or after character i `delaysMs[i]` (a
   * person's uneven pace); `onKey(i)` is told as each one goes out.
   */
  async type(text: string, opts: { delayMs?: number; delaysMs?: readonly number[]; onKey?: (i: number) => void } = {}): Promise<void> {
    for (const [i, ch] of [...text].entries()) {
      this._assertOpen('type()');
      this._send(ch);
      opts.onKey?.(i);
      const delayMs = opts.delaysMs ? (opts.delaysMs[i] ?? 0) : opts.delayMs;
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    }
  }

  /** Presses a named key ("Enter", "Up", "Ctrl+c", …); arrows honour DECCKM. */
  // A promise like type()'s, rejected (not thrown) when the program has exited.
  press(key: string): Promise<void> {
    return settled(() => {
      this._assertOpen(`press(${JSON.stringify(key)})`);
      this._send(keyBytes(key, { applicationCursorKeys: this._emulator.modes.applicationCursorKeys }));
    });
  }

  /** Pastes text, bracketed when the program enabled mode 2004. */
  paste(text: string): Promise<void> {
    return settled(() => {
      this._assertOpen('paste()');
      this._send(pasteBytes(text, this._emulator.modes.bracketedPaste));
    });
  }

  /** Resizes pty and emulator together, and records it in the cast. */
  resize(cols: number, rows: number): void {
    if (this._disposing) return;
    this._pty.resize(cols, rows);
    this._emulator.resize(cols, rows);
    this.cast.resize(cols, rows);
  }

  /** Adds an "m" marker to the asciicast. */
  mark(label: string): void {
    this.cast.marker(label);
  }

  /** The screen as text, ANSI, HTML and SVG, plus the scrollback text. */
  snapshot(): Snapshot {
    return takeSnapshot(this._emulator, this.screen().text);
  }

  /** Writes <basename>.txt/.ansi/.html/.svg into `dir` and returns their paths. */
  writeEvidence(dir: string, basename: string): Promise<EvidencePaths> {
    return writeSnapshot(this.snapshot(), dir, basename);
  }

  /**
   * Kills the process group (SIGTERM, SIGKILL after `killGraceMs`), reaps it, and reports
   * descendants still alive. Idempotent; pending waits reject with reason 'disposed'.
   */
  dispose(opts: { killLeaked?: boolean; graceMs?: number } = {}): Promise<DisposeResult> {
    this._disposing ??= (async () => {
      if (this._sampler) clearInterval(this._sampler);
      this._waits.markDisposed();
      if (this._paused) this._pty.resume();
      const result = await teardown({
        pgid: this.pid,
        tracker: this._tracker,
        rootExited: () => this._waits.exitInfo !== undefined,
        graceMs: opts.graceMs ?? 2000,
        killLeaked: opts.killLeaked ?? false,
      });
      for (const s of this._subs.splice(0)) s.dispose();
      await Promise.all([this.cast.close(), new Promise<void>((r) => (this._raw ? this._raw.end(r) : r()))]);
      this._emulator.dispose();
      live.delete(this);
      return result;
    })();
    return this._disposing;
  }
}

/** Runs synchronous work as a promise: its error rejects the promise instead of being thrown. */
function settled(work: () => void): Promise<void> {
  try {
    work();
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
