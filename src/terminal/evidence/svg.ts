// Renders the viewport's cells to SVG: colours (16/256/truecolor), bold, italic, inverse, wide chars.
import type { IBufferCell, Terminal } from '@xterm/headless';

const CELL_W = 8.4; // 0.6em of a 14px monospace font
const CELL_H = 17;
const FONT = `font-family="ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="14"`;
const DEFAULT_FG = '#e5e5e5';
const DEFAULT_BG = '#000000';
// xterm.js's default theme for the 16 ANSI colours.
const ANSI16 = [
  '#2e3436', '#cc0000', '#4e9a06', '#c4a000', '#3465a4', '#75507b', '#06989a', '#d3d7cf',
  '#555753', '#ef2929', '#8ae234', '#fce94f', '#729fcf', '#ad7fa8', '#34e2e2', '#eeeeec',
];
const hex = (n: number): string => n.toString(16).padStart(2, '0');

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

function fgOf(c: IBufferCell): string | undefined {
  if (c.isFgRGB()) return `#${c.getFgColor().toString(16).padStart(6, '0')}`;
  if (c.isFgPalette()) return paletteColor(c.getFgColor());
  return undefined;
}
function bgOf(c: IBufferCell): string | undefined {
  if (c.isBgRGB()) return `#${c.getBgColor().toString(16).padStart(6, '0')}`;
  if (c.isBgPalette()) return paletteColor(c.getBgColor());
  return undefined;
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

interface Style { fg: string; bg: string; bold: boolean; italic: boolean; underline: boolean; dim: boolean; invisible: boolean }

function styleOf(c: IBufferCell): Style {
  let fg = fgOf(c) ?? DEFAULT_FG;
  let bg = bgOf(c) ?? DEFAULT_BG;
  if (c.isInverse()) [fg, bg] = [bg, fg];
  return { fg, bg, bold: !!c.isBold(), italic: !!c.isItalic(), underline: !!c.isUnderline(), dim: !!c.isDim(), invisible: !!c.isInvisible() };
}

function textAttrs(s: Style): string {
  let a = `fill="${s.fg}"`;
  if (s.bold) a += ' font-weight="bold"';
  if (s.italic) a += ' font-style="italic"';
  if (s.underline) a += ' text-decoration="underline"';
  if (s.dim) a += ' fill-opacity="0.6"';
  return a;
}

/**
 * One <rect> per run of equal background, one <text> per run of equal style with an x for every
 * character, so glyphs sit on the grid whatever font the viewer picks. Wide and multi-code-unit
 * cells get their own <text> squeezed into their cells with textLength.
 */
export function renderSvg(term: Terminal, opts: { cursor?: boolean } = {}): string {
  const buf = term.buffer.active;
  const cols = term.cols;
  const rows = term.rows;
  const cell = buf.getNullCell();
  const out: string[] = [];
  const rects: string[] = [];
  const width = (cols * CELL_W).toFixed(1);
  const height = rows * CELL_H;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="${DEFAULT_BG}"/>`,
    `<g ${FONT} xml:space="preserve" dominant-baseline="text-before-edge">`,
  );
  for (let y = 0; y < rows; y++) {
    const line = buf.getLine(buf.baseY + y);
    if (!line) continue;
    const top = y * CELL_H;
    let run: { style: Style; key: string; xs: number[]; text: string } | undefined;
    const flush = (): void => {
      if (run && run.text.trim()) {
        out.push(`<text x="${run.xs.map((x) => (x * CELL_W).toFixed(1)).join(' ')}" y="${top}" ${textAttrs(run.style)}>${esc(run.text)}</text>`);
      }
      run = undefined;
    };
    let bgRun: { bg: string; x0: number; x1: number } | undefined;
    const flushBg = (): void => {
      if (bgRun && bgRun.bg !== DEFAULT_BG) {
        rects.push(`<rect x="${(bgRun.x0 * CELL_W).toFixed(1)}" y="${top}" width="${((bgRun.x1 - bgRun.x0) * CELL_W).toFixed(1)}" height="${CELL_H}" fill="${bgRun.bg}"/>`);
      }
      bgRun = undefined;
    };
    for (let x = 0; x < cols; x++) {
      line.getCell(x, cell);
      const w = cell.getWidth();
      if (w === 0) continue; // right half of a wide char, drawn with its left half
      const s = styleOf(cell);
      if (!bgRun || bgRun.bg !== s.bg) {
        flushBg();
        bgRun = { bg: s.bg, x0: x, x1: x };
      }
      bgRun.x1 = x + w;
      const chars = s.invisible ? '' : cell.getChars();
      if (!chars || chars === ' ') {
        flush();
        continue;
      }
      if (w === 2 || chars.length > 1) {
        flush();
        out.push(`<text x="${(x * CELL_W).toFixed(1)}" y="${top}" textLength="${(w * CELL_W).toFixed(1)}" lengthAdjust="spacingAndGlyphs" ${textAttrs(s)}>${esc(chars)}</text>`);
        continue;
      }
      const key = textAttrs(s);
      if (!run || run.key !== key) {
        flush();
        run = { style: s, key, xs: [], text: '' };
      }
      run.xs.push(x);
      run.text += chars;
    }
    flush();
    flushBg();
  }
  out.push('</g>');
  if (opts.cursor !== false) {
    out.push(`<rect x="${(buf.cursorX * CELL_W).toFixed(1)}" y="${buf.cursorY * CELL_H}" width="${CELL_W}" height="${CELL_H}" fill="none" stroke="${DEFAULT_FG}" stroke-opacity="0.7"/>`);
  }
  out.push('</svg>');
  // Backgrounds go right after the page background, under every glyph.
  out.splice(2, 0, ...rects);
  return `${out.join('\n')}\n`;
}
