// The one palette and cell geometry of every screen dump (SVG and HTML), and how a cell's
// attributes become colours and decorations. Both renderers resolve cells here, so the two forms
// of one screen cannot disagree on a colour, an inverse cell or a dimmed one.
import type { IBufferCell, Terminal } from '@xterm/headless';

/** Width of one terminal cell in px: 0.6em of a 14px monospace font. */
export const CELL_W = 8.4;
/** Height of one terminal row in px. */
export const CELL_H = 17;
export const FONT_SIZE_PX = 14;
export const FONT_FAMILY = `ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace`;

export const DEFAULT_FG = '#e5e5e5';
export const DEFAULT_BG = '#000000';
/** How much of the foreground a dim cell keeps, blended over its background. */
export const DIM_MIX = 0.5;

// xterm.js's default theme for the 16 ANSI colours.
const ANSI16 = [
  '#2e3436',
  '#cc0000',
  '#4e9a06',
  '#c4a000',
  '#3465a4',
  '#75507b',
  '#06989a',
  '#d3d7cf',
  '#555753',
  '#ef2929',
  '#8ae234',
  '#fce94f',
  '#729fcf',
  '#ad7fa8',
  '#34e2e2',
  '#eeeeec',
];
const hex = (n: number): string => Math.round(n).toString(16).padStart(2, '0');

/** Colour of palette index 0–255: 16 ANSI, 6×6×6 cube, 24 greys. */
export function paletteColor(i: number): string {
  if (i < 16) return ANSI16[i]!;
  if (i < 232) {
    const levels = [0, 0x5f, 0x87, 0xaf, 0xd7, 0xff];
    const n = i - 16;
    return `#${hex(levels[Math.floor(n / 36)]!)}${hex(levels[Math.floor(n / 6) % 6]!)}${hex(levels[n % 6]!)}`;
  }
  const g = 8 + (i - 232) * 10;
  return `#${hex(g)}${hex(g)}${hex(g)}`;
}

const rgbHex = (n: number): string => `#${n.toString(16).padStart(6, '0')}`;

/** `fg` blended over `bg`, keeping `amount` of `fg`. */
function mix(fg: string, bg: string, amount: number): string {
  const channel = (c: string, i: number) => parseInt(c.slice(1 + 2 * i, 3 + 2 * i), 16);
  return `#${[0, 1, 2].map((i) => hex(channel(fg, i) * amount + channel(bg, i) * (1 - amount))).join('')}`;
}

/** A cell as it is painted: inverse and dim already applied to the colours. */
export interface CellStyle {
  fg: string;
  bg: string;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  strikethrough: boolean;
  overline: boolean;
  blink: boolean;
  /** SGR 8: the background is painted, the glyph is not. */
  invisible: boolean;
}

export function cellStyle(c: IBufferCell): CellStyle {
  let fg = c.isFgRGB() ? rgbHex(c.getFgColor()) : c.isFgPalette() ? paletteColor(c.getFgColor()) : DEFAULT_FG;
  let bg = c.isBgRGB() ? rgbHex(c.getBgColor()) : c.isBgPalette() ? paletteColor(c.getBgColor()) : DEFAULT_BG;
  if (c.isInverse()) [fg, bg] = [bg, fg];
  if (c.isDim()) fg = mix(fg, bg, DIM_MIX);
  return {
    fg,
    bg,
    bold: !!c.isBold(),
    italic: !!c.isItalic(),
    underline: !!c.isUnderline(),
    strikethrough: !!c.isStrikethrough(),
    overline: !!c.isOverline(),
    blink: !!c.isBlink(),
    invisible: !!c.isInvisible(),
  };
}

/** The CSS/SVG `text-decoration` of a style, or undefined for none. */
export function textDecoration(s: CellStyle): string | undefined {
  const lines = [s.underline && 'underline', s.overline && 'overline', s.strikethrough && 'line-through'].filter(Boolean);
  return lines.length ? lines.join(' ') : undefined;
}

/** Blinking text (SGR 5) fades out and in, as a terminal shows it; CSS shared by both forms. */
export const BLINK_CSS = '.blink{animation:wg-blink 1s step-end infinite}@keyframes wg-blink{50%{opacity:0}}';

/** One drawn cell: column, width in cells (2 for CJK and emoji), its characters and style. */
export interface DrawnCell {
  x: number;
  width: number;
  chars: string;
  style: CellStyle;
}

/** A run of cells on one row sharing a background, to paint before any glyph. */
export interface BackgroundRun {
  x0: number;
  x1: number;
  bg: string;
}

export interface ViewportRow {
  y: number;
  cells: DrawnCell[];
  backgrounds: BackgroundRun[];
}

/**
 * The viewport as rows of drawn cells (blank and invisible glyphs left out) and background runs
 * other than the default. The right half of a wide character is skipped: it belongs to its left half.
 */
export function viewportRows(term: Terminal): ViewportRow[] {
  const buf = term.buffer.active;
  const cell = buf.getNullCell();
  const rows: ViewportRow[] = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buf.getLine(buf.baseY + y); // the live screen, as the text dump reads it
    const row: ViewportRow = { y, cells: [], backgrounds: [] };
    rows.push(row);
    if (!line) continue;
    let bgRun: BackgroundRun | undefined;
    for (let x = 0; x < term.cols; x++) {
      line.getCell(x, cell);
      const width = cell.getWidth();
      if (width === 0) continue;
      const style = cellStyle(cell);
      if (!bgRun || bgRun.bg !== style.bg) {
        bgRun = { x0: x, x1: x, bg: style.bg };
        row.backgrounds.push(bgRun);
      }
      bgRun.x1 = x + width;
      const chars = cell.getChars();
      if (style.invisible || !chars || chars === ' ') continue;
      row.cells.push({ x, width, chars, style });
    }
    row.backgrounds = row.backgrounds.filter((b) => b.bg !== DEFAULT_BG);
  }
  return rows;
}

/** Escapes text for XML and HTML content and attribute values. */
export function escapeMarkup(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
