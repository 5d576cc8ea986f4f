// Renders the viewport's cells to a standalone HTML page that puts every cell where the terminal
// puts it. Flowing text (what a serializer to <pre> gives) drifts as soon as a glyph's advance is
// not exactly one cell: a CJK character from a fallback font is 14 px wide, not two 8.4 px cells,
// and the border after it moves. So every piece of text is absolutely placed at its column.
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

const px = (cells: number): string => `${+(cells * CELL_W).toFixed(2)}px`;

// Printable ASCII is in every monospace font, whose advance is `1ch`: a run of it gets
// letter-spacing of (cell width - 1ch), so each character lands on its own column. Any other
// glyph may come from a fallback font of another width and is placed on its own.
const inPrimaryFont = (c: DrawnCell): boolean => c.width === 1 && /^[\x21-\x7e]$/.test(c.chars);

function styleAttr(s: CellStyle, left: string, top: number, width?: string): string {
  let css = `left:${left};top:${top}px;color:${s.fg}`;
  if (width) css += `;width:${width}`;
  if (s.bold) css += ';font-weight:bold';
  if (s.italic) css += ';font-style:italic';
  const decoration = textDecoration(s);
  if (decoration) css += `;text-decoration:${decoration}`;
  return `style="${css}"`;
}

const CSS = [
  `html,body{margin:0;background:${DEFAULT_BG}}`,
  `.wg-screen{position:relative;overflow:hidden;background:${DEFAULT_BG};color:${DEFAULT_FG};font-family:${FONT_FAMILY};font-size:${FONT_SIZE_PX}px;line-height:${CELL_H}px;white-space:pre;font-kerning:none;font-variant-ligatures:none}`,
  `.wg-screen>*{position:absolute;height:${CELL_H}px}`,
  `.wg-screen>.run{letter-spacing:calc(${CELL_W}px - 1ch)}`,
  `.wg-screen>.cursor{box-sizing:border-box;border:1px solid ${DEFAULT_FG};opacity:.7}`,
  BLINK_CSS,
].join('\n');

/** The screen as an HTML document: doctype, UTF-8, the shared palette, one element per placed piece. */
export function renderHtml(term: Terminal, opts: { cursor?: boolean } = {}): string {
  const out: string[] = [];
  for (const row of viewportRows(term)) {
    const top = row.y * CELL_H;
    for (const b of row.backgrounds) out.push(`<div class="bg" style="left:${px(b.x0)};top:${top}px;width:${px(b.x1 - b.x0)};background:${b.bg}"></div>`);
  }
  for (const row of viewportRows(term)) {
    const top = row.y * CELL_H;
    let run: { cells: DrawnCell[]; key: string } | undefined;
    const flush = (): void => {
      if (!run) return;
      const first = run.cells[0]!;
      const cls = first.style.blink ? 'run blink' : 'run';
      out.push(`<span class="${cls}" ${styleAttr(first.style, px(first.x), top)}>${escapeMarkup(run.cells.map((c) => c.chars).join(''))}</span>`);
      run = undefined;
    };
    for (const c of row.cells) {
      if (!inPrimaryFont(c)) {
        flush();
        out.push(`<span class="${c.style.blink ? 'cell blink' : 'cell'}" ${styleAttr(c.style, px(c.x), top, px(c.width))}>${escapeMarkup(c.chars)}</span>`);
        continue;
      }
      const key = JSON.stringify(c.style);
      const last = run?.cells[run.cells.length - 1];
      if (!run || run.key !== key || last!.x + 1 !== c.x) {
        flush();
        run = { cells: [], key };
      }
      run.cells.push(c);
    }
    flush();
  }
  const buf = term.buffer.active;
  if (opts.cursor !== false) out.push(`<div class="cursor" style="left:${px(buf.cursorX)};top:${buf.cursorY * CELL_H}px;width:${px(1)}"></div>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>terminal screen ${term.cols}×${term.rows}</title>`,
    `<style>\n${CSS}\n</style>`,
    '</head>',
    '<body>',
    `<div class="wg-screen" style="width:${px(term.cols)};height:${term.rows * CELL_H}px">`,
    ...out,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
