// Renders the viewport's cells to SVG: colours (16/256/truecolor), bold, dim, italic, underline,
// overline, strikethrough, blink, inverse, invisible, and wide chars, on the grid of palette.ts.
import type { Terminal } from '@xterm/headless';
import {
  BLINK_CSS,
  CELL_H,
  CELL_W,
  DEFAULT_BG,
  DEFAULT_FG,
  escapeMarkup,
  FONT_FAMILY,
  FONT_SIZE_PX,
  textDecoration,
  viewportRows,
  type CellStyle,
  type DrawnCell,
} from './palette.js';

export { paletteColor } from './palette.js';

const px = (cells: number): string => (cells * CELL_W).toFixed(1);

function textAttrs(s: CellStyle): string {
  let a = `fill="${s.fg}"`;
  if (s.bold) a += ' font-weight="bold"';
  if (s.italic) a += ' font-style="italic"';
  const decoration = textDecoration(s);
  if (decoration) a += ` text-decoration="${decoration}"`;
  if (s.blink) a += ' class="blink"';
  return a;
}

// A glyph that is wide or more than one UTF-16 unit gets its own <text> squeezed into its cells:
// an x list addresses characters, and which unit counts as one differs between SVG versions.
const standsAlone = (c: DrawnCell): boolean => c.width > 1 || c.chars.length > 1;

/**
 * One <rect> per run of equal background, one <text> per run of equal style with an x for every
 * character, so glyphs sit on the grid whatever font the viewer picks.
 */
export function renderSvg(term: Terminal, opts: { cursor?: boolean } = {}): string {
  const width = px(term.cols);
  const height = term.rows * CELL_H;
  const rects: string[] = [];
  const texts: string[] = [];
  for (const row of viewportRows(term)) {
    const top = row.y * CELL_H;
    for (const b of row.backgrounds) rects.push(`<rect x="${px(b.x0)}" y="${top}" width="${px(b.x1 - b.x0)}" height="${CELL_H}" fill="${b.bg}"/>`);
    let run: { attrs: string; xs: number[]; text: string; next: number } | undefined;
    const flush = (): void => {
      if (run) texts.push(`<text x="${run.xs.map(px).join(' ')}" y="${top}" ${run.attrs}>${escapeMarkup(run.text)}</text>`);
      run = undefined;
    };
    for (const c of row.cells) {
      const attrs = textAttrs(c.style);
      if (standsAlone(c)) {
        flush();
        texts.push(`<text x="${px(c.x)}" y="${top}" textLength="${px(c.width)}" lengthAdjust="spacingAndGlyphs" ${attrs}>${escapeMarkup(c.chars)}</text>`);
        continue;
      }
      // A gap (blank cells) ends a run too: a run's decoration must not underline the blanks.
      if (!run || run.attrs !== attrs || run.next !== c.x) {
        flush();
        run = { attrs, xs: [], text: '', next: c.x };
      }
      run.xs.push(c.x);
      run.text += c.chars;
      run.next = c.x + 1;
    }
    flush();
  }
  const buf = term.buffer.active;
  const cursor =
    opts.cursor === false
      ? []
      : [
          `<rect x="${px(buf.cursorX)}" y="${buf.cursorY * CELL_H}" width="${CELL_W}" height="${CELL_H}" fill="none" stroke="${DEFAULT_FG}" stroke-opacity="0.7"/>`,
        ];
  return `${[
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<style>${BLINK_CSS}</style>`,
    `<rect width="100%" height="100%" fill="${DEFAULT_BG}"/>`,
    // Backgrounds go right after the page background, under every glyph.
    ...rects,
    `<g font-family="${FONT_FAMILY.replace(/"/g, '&quot;')}" font-size="${FONT_SIZE_PX}" xml:space="preserve" dominant-baseline="text-before-edge">`,
    ...texts,
    '</g>',
    ...cursor,
    '</svg>',
  ].join('\n')}\n`;
}
