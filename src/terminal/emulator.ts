// @xterm/headless with Unicode 11 widths: parses pty bytes, answers queries, emits whole frames.
import xtermHeadless from '@xterm/headless';
import type { IBufferCell, Terminal as XTerm } from '@xterm/headless';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { SerializeAddon } from '@xterm/addon-serialize';
import { QueryLog } from './query-log.js';
import { captureScreen, type Screen } from './screen.js';
import type { Disposable } from './types.js';

const { Terminal } = xtermHeadless;
/** Shortest gap between two screen checks during a burst of writes. */
const MIN_FRAME_GAP_MS = 2;

export interface EmulatorOptions {
  cols: number;
  rows: number;
  scrollback: number;
  /** ms since session start, for the query log. */
  clock: () => number;
  /** Longest a DEC 2026 synchronized update may hold frames back (real terminals cap it too). */
  syncCapMs?: number;
  /** Parse each chunk as it arrives instead of after xterm's setTimeout(0); see `_parseNow`. */
  fastParse?: boolean;
}

/**
 * Owns the xterm instance. `onFrame` fires after a write has been parsed and no synchronized
 * update is open, so listeners never see half a frame.
 */
export class Emulator {
  /** The xterm instance, for the evidence renderers (read only); everything else goes through the methods below. */
  readonly term: XTerm;
  readonly queries: QueryLog;
  private readonly _serialize = new SerializeAddon();
  private readonly _frameListeners = new Set<(screen: Screen) => void>();
  private readonly _answerListeners = new Set<(data: string) => void>();
  private readonly _disposables: Disposable[] = [];
  private readonly _cell: IBufferCell;
  private _pending = 0;
  private _seq = 0;
  private _cache: Screen | undefined;
  /** The last whole frame, kept while a synchronized update is open. */
  private _frozen: Screen | undefined;
  private _syncTimer: NodeJS.Timeout | undefined;
  private _cursorVisible = true;
  private _lastEmit = 0;
  private _trailing: NodeJS.Timeout | undefined;
  private _disposed = false;
  private readonly _syncCapMs: number;
  private readonly _fastParse: boolean;

  constructor(opts: EmulatorOptions) {
    this._syncCapMs = opts.syncCapMs ?? 1000;
    this._fastParse = opts.fastParse ?? true;
    this.term = new Terminal({ cols: opts.cols, rows: opts.rows, scrollback: opts.scrollback, allowProposedApi: true });
    this.term.loadAddon(new Unicode11Addon());
    // ratatui measures emoji and CJK as two cells; xterm's default Unicode 6 table says one.
    this.term.unicode.activeVersion = '11';
    this.term.loadAddon(this._serialize);
    this._cell = this.term.buffer.active.getNullCell();
    this.queries = new QueryLog(this.term, opts.clock);
    this._disposables.push(
      this.term.onData((data) => {
        if (data === '') return; // the empty input() of _parseNow
        this.queries.answer(data);
        for (const l of this._answerListeners) l(data);
      }),
      // Track DECTCEM and catch the start of a synchronized update *before* xterm applies it.
      this.term.parser.registerCsiHandler({ prefix: '?', final: 'h' }, (p) => this._decMode(p, true)),
      this.term.parser.registerCsiHandler({ prefix: '?', final: 'l' }, (p) => this._decMode(p, false)),
      // Once per parse batch, not per chunk: chunks parsed in one batch are one moment in time, and
      // reading the screen per 4 KiB chunk would halve throughput under floods.
      this.term.onWriteParsed(() => this._afterParse()),
    );
  }

  private _decMode(params: (number | number[])[], set: boolean): boolean {
    for (const p of params) {
      if (p === 25) this._cursorVisible = set;
      if (p === 2026 && set && !this.term.modes.synchronizedOutputMode) this._frozen = this._capture();
    }
    return false;
  }

  /** Bytes not parsed yet; the session pauses the pty above a high-water mark. */
  get pendingBytes(): number {
    return this._pending;
  }

  /** Feeds program output; `parsed` runs once xterm has applied it to the buffer. */
  write(data: Uint8Array, parsed?: () => void): void {
    if (this._disposed) return;
    this._parseNow();
    this._pending += data.length;
    this.term.write(data, () => {
      this._pending -= data.length;
      this._seq++;
      this._cache = undefined;
      this.queries.chunkDone();
      parsed?.();
    });
  }

  /**
   * xterm's WriteBuffer defers parsing with setTimeout(0) (clamped to ≥1 ms in Node) unless the
   * last thing that happened was user input, in which case it parses synchronously to cut echo
   * latency. `input('', true)` is the public way to say "user input happened"; it sends nothing
   * (the empty onData is dropped above). If xterm changes this, we just fall back to the timer.
   */
  private _parseNow(): void {
    if (this._fastParse && this._pending === 0) this.term.input('', true);
  }

  /** Resolves once everything written so far is parsed. */
  flush(): Promise<void> {
    return new Promise((resolve) => (this._disposed ? resolve() : this.term.write('', resolve)));
  }

  private _afterParse(): void {
    if (this.term.modes.synchronizedOutputMode) {
      this._syncTimer ??= setTimeout(() => {
        // The program never closed its update: show what there is, as real terminals do.
        this._syncTimer = undefined;
        this._frozen = undefined;
        this._emitFrame();
      }, this._syncCapMs);
      return;
    }
    if (this._syncTimer) clearTimeout(this._syncTimer);
    this._syncTimer = undefined;
    this._frozen = undefined;
    // Under a flood every small chunk is its own parse, and reading the screen after each would
    // cost as much as parsing. The first write after a quiet spell is checked at once; writes
    // within MIN_FRAME_GAP_MS of the last check are coalesced into one trailing check.
    const since = performance.now() - this._lastEmit;
    if (since < MIN_FRAME_GAP_MS) {
      this._trailing ??= setTimeout(() => {
        this._trailing = undefined;
        if (!this.term.modes.synchronizedOutputMode) this._emitFrame();
      }, MIN_FRAME_GAP_MS - since);
      return;
    }
    this._emitFrame();
  }

  private _emitFrame(): void {
    if (this._trailing) clearTimeout(this._trailing);
    this._trailing = undefined;
    this._lastEmit = performance.now();
    if (this._frameListeners.size === 0) return;
    const s = this.screen();
    for (const l of this._frameListeners) l(s);
  }

  /** Fires after each parse batch (≥1 write) outside synchronized updates. */
  onFrame(listener: (screen: Screen) => void): Disposable {
    this._frameListeners.add(listener);
    return { dispose: () => this._frameListeners.delete(listener) };
  }

  /** Fires with every reply xterm sends towards the program (query answers). */
  onAnswer(listener: (data: string) => void): Disposable {
    this._answerListeners.add(listener);
    return { dispose: () => this._answerListeners.delete(listener) };
  }

  /** The current whole frame (the pre-update frame while a synchronized update is open). */
  screen(): Screen {
    if (this._frozen) return this._frozen;
    return (this._cache ??= this._capture());
  }

  private _capture(): Screen {
    const buf = this.term.buffer.active;
    return captureScreen(buf, this.term.cols, this.term.rows, this._cursorVisible, buf.type === 'alternate', this._seq, this._cell);
  }

  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
    this._cache = undefined;
  }

  /** The input modes the program set that change what a key sends. */
  get modes(): { applicationCursorKeys: boolean; bracketedPaste: boolean } {
    const m = this.term.modes;
    return { applicationCursorKeys: m.applicationCursorKeysMode, bracketedPaste: m.bracketedPasteMode };
  }

  /** Every line of the normal buffer, scrollback included, rows the program wrapped joined back, trailing blanks trimmed. */
  historyLines(): string[] {
    const buffer = this.term.buffer.normal;
    const lines: string[] = [];
    for (let y = 0; y < buffer.length; y++) {
      const line = buffer.getLine(y);
      if (!line) continue;
      const text = line.translateToString(true);
      if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  /** The viewport as ANSI (SGR + text) that recreates it when printed. */
  ansi(): string {
    return this._serialize.serialize({ scrollback: 0 });
  }

  /** Scrollback above the viewport (normal buffer), trailing blanks trimmed. */
  scrollbackText(): string {
    const buf = this.term.buffer.normal;
    const out: string[] = [];
    for (let y = 0; y < buf.baseY; y++) out.push(buf.getLine(y)?.translateToString(true) ?? '');
    return out.join('\n');
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    if (this._syncTimer) clearTimeout(this._syncTimer);
    if (this._trailing) clearTimeout(this._trailing);
    this._frameListeners.clear();
    this._answerListeners.clear();
    for (const d of this._disposables.splice(0)) d.dispose();
    this.queries.dispose();
    // The xterm instance itself stays readable so evidence can be taken after dispose; GC frees it.
  }
}
