// An immutable picture of the viewport at one parsed-write boundary.
import type { IBuffer, IBufferCell } from '@xterm/headless';
import type { Region } from './types.js';

/** Where a regex matched: viewport row and cell column (wide characters count two). */
export interface ScreenMatch {
  row: number;
  col: number;
  text: string;
  match: RegExpExecArray;
}

export interface Cursor {
  x: number;
  y: number;
  visible: boolean;
}

/** Rows as strings plus, for rows with non-ASCII text, the cell column of each string index. */
export class Screen {
  /** Viewport rows, trailing blanks trimmed. */
  readonly lines: readonly string[];
  /** `lines` joined with '\n', trailing empty lines dropped. */
  readonly text: string;

  constructor(
    lines: string[],
    private readonly _colMaps: ReadonlyArray<Uint16Array | undefined>,
    readonly cols: number,
    readonly rows: number,
    readonly cursor: Readonly<Cursor>,
    readonly altScreen: boolean,
    /** performance.now() when the picture was taken. */
    readonly at: number,
    /** Parsed-write counter; equal numbers mean the same picture. */
    readonly seq: number,
  ) {
    this.lines = Object.freeze(lines);
    let end = lines.length;
    while (end > 0 && lines[end - 1] === '') end--;
    this.text = lines.slice(0, end).join('\n');
    Object.freeze(this);
  }

  /** Cell column of string index `i` on `row` (identity for ASCII rows). */
  colOf(row: number, i: number): number {
    const map = this._colMaps[row];
    if (!map) return i;
    return i < map.length ? map[i]! : (map.length ? map[map.length - 1]! + 1 : 0) + (i - map.length);
  }

  /** String index of the first character at or after cell column `col` on `row`. */
  private _indexOf(row: number, col: number): number {
    const map = this._colMaps[row];
    if (!map) return col;
    let i = 0;
    while (i < map.length && map[i]! < col) i++;
    return i;
  }

  /** Text inside a rectangle (inclusive), one line per row, trailing blanks trimmed. */
  region(r: Region): string {
    const top = Math.max(0, r.top);
    const bottom = Math.min(this.rows - 1, r.bottom);
    const out: string[] = [];
    for (let row = top; row <= bottom; row++) {
      const line = this.lines[row] ?? '';
      out.push(line.slice(this._indexOf(row, r.left), this._indexOf(row, r.right + 1)).trimEnd());
    }
    return out.join('\n');
  }

  /** Text of rows `from`..`to` inclusive. */
  rowsText(from: number, to: number): string {
    return this.region({ top: from, bottom: to, left: 0, right: this.cols - 1 });
  }

  /** First match of `pattern` searched row by row (matches never span rows). */
  find(pattern: RegExp | string): ScreenMatch | undefined {
    const re = toRegExp(pattern);
    for (let row = 0; row < this.lines.length; row++) {
      re.lastIndex = 0;
      const m = re.exec(this.lines[row]!);
      if (m) return { row, col: this.colOf(row, m.index), text: m[0], match: m };
    }
    return undefined;
  }

  /** True when the text (whole screen, or a region) contains the string or matches the regex. */
  has(pattern: RegExp | string, region?: Region): boolean {
    const text = region ? this.region(region) : this.text;
    if (typeof pattern === 'string') return text.includes(pattern);
    pattern.lastIndex = 0;
    return pattern.test(text);
  }
}

/** Strings match literally; a regex is copied without the global/sticky flags so lastIndex is moot. */
export function toRegExp(pattern: RegExp | string): RegExp {
  if (typeof pattern === 'string') return new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
}

const ASCII = /^[\x20-\x7e]*$/;
const SURROGATE = /[\uD800-\uDFFF]/;

/** Reads the viewport of `buffer`. Rows with only ASCII take the fast path (no per-cell walk). */
export function captureScreen(buffer: IBuffer, cols: number, rows: number, cursorVisible: boolean, altScreen: boolean, seq: number, cell: IBufferCell): Screen {
  const lines: string[] = [];
  const maps: (Uint16Array | undefined)[] = [];
  for (let y = 0; y < rows; y++) {
    // baseY offset: the viewport, not the top of scrollback.
    const line = buffer.getLine(buffer.baseY + y);
    if (!line) {
      lines.push('');
      maps.push(undefined);
      continue;
    }
    // Untrimmed, every cell gives its characters ('' for the right half of a wide one). When
    // that is exactly one code unit per cell, string index = column and no cell walk is needed.
    const full = line.translateToString(false);
    if (ASCII.test(full) || (full.length === cols && !SURROGATE.test(full))) {
      // Trailing blanks trimmed, written spaces included.
      lines.push(full.replace(/ +$/, ''));
      maps.push(undefined);
      continue;
    }
    let s = '';
    const map: number[] = [];
    for (let x = 0; x < cols; x++) {
      line.getCell(x, cell);
      if (cell.getWidth() === 0) continue; // right half of a wide character
      const chars = cell.getChars() || ' ';
      for (let k = 0; k < chars.length; k++) map.push(x);
      s += chars;
    }
    const trimmed = s.replace(/ +$/, '');
    lines.push(trimmed);
    maps.push(Uint16Array.from(map.slice(0, trimmed.length)));
  }
  const cursor = { x: buffer.cursorX, y: buffer.cursorY, visible: cursorVisible };
  return new Screen(lines, maps, cols, rows, Object.freeze(cursor), altScreen, performance.now(), seq);
}
