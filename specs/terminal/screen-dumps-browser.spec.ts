/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (the page functions below run in Chromium: they use the DOM's types)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../../src/terminal/emulator.js';
import { renderHtml } from '../../src/terminal/evidence/html.js';
import { CELL_H, CELL_W, DEFAULT_BG, DEFAULT_FG, paletteColor, viewportRows, type ViewportRow } from '../../src/terminal/evidence/palette.js';
import { renderSvg } from '../../src/terminal/evidence/svg.js';
import { CHROMIUM_BIN, CHROMIUM_NOTE, launchChromium } from './chromium.js';

// Both screen dumps opened in real Chromium: every glyph must sit at column × cell width on its
// row (CJK and emoji included, and the borders after them), with the colours, backgrounds and
// decorations the terminal gave the cell, the same in the HTML and the SVG.

const COLS = 40;
const ROWS = 12;
const ESC = '\x1b';
const FIXTURE = [
  `┌${'─'.repeat(COLS - 2)}┐`,
  `│中文字 wide 日本語${' '.repeat(COLS - 20)}│`,
  `│🙂 emoji 👍 ok${' '.repeat(COLS - 16)}│`,
  `│${ESC}[1mbold${ESC}[0m ${ESC}[2mdim${ESC}[0m ${ESC}[3mital${ESC}[0m ${ESC}[4munder${ESC}[0m ${ESC}[5mblink${ESC}[0m ${ESC}[7minv${ESC}[0m ${ESC}[8munseen${ESC}[0m│`,
  `│${ESC}[9mstrike${ESC}[0m ${ESC}[31mred${ESC}[0m ${ESC}[92mgreen${ESC}[0m ${ESC}[44mblue bg${ESC}[0m ${ESC}[1;33mbold yel${ESC}[0m│`,
  `│${ESC}[38;5;208m256 fg${ESC}[0m ${ESC}[48;5;22m256 bg${ESC}[0m ${ESC}[38;5;245;48;5;17mgrey/navy${ESC}[0m${' '.repeat(COLS - 26)}│`,
  `│${ESC}[38;2;10;200;30mtruecolor${ESC}[0m ${ESC}[48;2;40;40;90mtrue bg${ESC}[0m ${ESC}[2;7;38;2;200;100;0minv dim${ESC}[0m${' '.repeat(COLS - 27)}│`,
  `│a中b文c字d 🙂e │ mixed after wide${' '.repeat(COLS - 35)}│`,
  `├${'─'.repeat(18)}┬${'─'.repeat(COLS - 21)}┤`,
  `│${ESC}[4;9mboth${ESC}[0m ${ESC}[1;3;4mall three${ESC}[0m │${' '.repeat(COLS - 21)}│`,
  `└${'─'.repeat(18)}┴${'─'.repeat(COLS - 21)}┘`,
].join('\r\n');

interface Glyph {
  row: number;
  x: number;
  right: number;
  text: string;
  color: string;
  decoration: string;
}
interface Paint {
  row: number;
  x: number;
  width: number;
  color: string;
}
interface Measured {
  glyphs: Glyph[];
  backgrounds: Paint[];
  charset: string;
  doctype: boolean;
  requests: string[];
}

const rgb = (hex: string): string => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

let expectedRows: ViewportRow[] = [];
let files: { html: string; svg: string; htmlText: string; svgText: string } | undefined;
let page: Page | undefined;
// Undone in reverse: the browser first, then the folder its pages came from.
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  const emulator = new Emulator({ cols: COLS, rows: ROWS, scrollback: 0, clock: () => 0 });
  await new Promise<void>((resolve) => emulator.write(new TextEncoder().encode(FIXTURE), resolve));
  expectedRows = viewportRows(emulator.term);
  const dir = mkdtempSync(join(tmpdir(), 'dumps-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const htmlText = renderHtml(emulator.term, { cursor: false });
  const svgText = renderSvg(emulator.term, { cursor: false });
  emulator.dispose();
  files = { html: join(dir, 'screen.html'), svg: join(dir, 'screen.svg'), htmlText, svgText };
  writeFileSync(files.html, htmlText);
  writeFileSync(files.svg, svgText);
  if (!CHROMIUM_BIN) return;
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  page = await browser.newPage();
});
afterAll(async () => {
  for (const undo of cleanups.reverse()) await undo();
});

/** Opens a dump from its file, as a person does, and reads where Chromium drew each glyph and background. */
async function measure(file: string, kind: 'html' | 'svg'): Promise<Measured> {
  const requests: string[] = [];
  const onRequest = (r: { url(): string }) => void requests.push(r.url());
  page!.on('request', onRequest);
  const url = pathToFileURL(file).href;
  await page!.goto(url);
  await page!.evaluate(() => document.fonts.ready.then(() => undefined));
  page!.off('request', onRequest);
  const measured = await page!.evaluate(
    ({ kind, cellH }) => {
      const glyphs: Glyph[] = [];
      const backgrounds: Paint[] = [];
      const rowOf = (top: number, originY: number) => Math.round((top - originY) / cellH);
      if (kind === 'html') {
        const screen = document.querySelector('.wg-screen')!.getBoundingClientRect();
        for (const el of document.querySelectorAll<HTMLElement>('.wg-screen > span')) {
          const node = el.firstChild as Text;
          const style = getComputedStyle(el);
          // One glyph per UTF-16 unit in a run of ASCII; a placed cell is one glyph whatever its length.
          const pieces = el.classList.contains('run') ? [...node.data].map((_, i) => [i, i + 1]) : [[0, node.data.length]];
          for (const [from, to] of pieces) {
            const range = document.createRange();
            range.setStart(node, from!);
            range.setEnd(node, to!);
            const box = range.getBoundingClientRect();
            glyphs.push({
              row: rowOf(box.top, screen.top),
              x: box.left - screen.left,
              right: box.right - screen.left,
              text: node.data.slice(from, to),
              color: style.color,
              decoration: style.textDecorationLine,
            });
          }
        }
        for (const el of document.querySelectorAll<HTMLElement>('.wg-screen > .bg')) {
          const box = el.getBoundingClientRect();
          backgrounds.push({ row: rowOf(box.top, screen.top), x: box.left - screen.left, width: box.width, color: getComputedStyle(el).backgroundColor });
        }
      } else {
        for (const el of document.querySelectorAll<SVGTextElement>('text')) {
          const style = getComputedStyle(el);
          const text = el.textContent ?? '';
          const pieces = el.hasAttribute('textLength') ? [[0, text.length]] : [...text].map((_, i) => [i, i + 1]);
          for (const [from, to] of pieces) {
            const first = el.getExtentOfChar(from!);
            const last = el.getExtentOfChar(to! - 1);
            glyphs.push({
              row: rowOf(first.y, 0),
              x: first.x,
              right: last.x + last.width,
              text: text.slice(from, to),
              color: style.fill,
              decoration: style.textDecorationLine,
            });
          }
        }
        // The first rect is the page background.
        for (const el of [...document.querySelectorAll<SVGRectElement>('svg > rect')].slice(1)) {
          const box = el.getBBox();
          backgrounds.push({ row: rowOf(box.y, 0), x: box.x, width: box.width, color: getComputedStyle(el).fill });
        }
      }
      return { glyphs, backgrounds, charset: document.characterSet, doctype: document.doctype?.name === 'html' };
    },
    { kind, cellH: CELL_H },
  );
  return { ...measured, requests: requests.filter((r) => r !== url) };
}

const expectedGlyphs = () =>
  expectedRows.flatMap((r) =>
    r.cells.map((c) => ({
      row: r.y,
      col: c.x,
      width: c.width,
      text: c.chars,
      color: rgb(c.style.fg),
      strike: c.style.strikethrough,
      underline: c.style.underline,
    })),
  );

describe.each(['html', 'svg'] as const)('the %s screen dump in Chromium', (kind) => {
  it('puts every glyph at column × cell width, with its cell’s colour and decorations', async (ctx) => {
    if (!page) return ctx.skip(CHROMIUM_NOTE);
    const m = await measure(files![kind], kind);
    const want = expectedGlyphs();
    const byPlace = (a: { row: number; x: number }, b: { row: number; x: number }) => a.row - b.row || a.x - b.x;
    const got = [...m.glyphs].sort(byPlace);
    // Nothing dropped, nothing added, in the terminal's order.
    expect(got.map((g) => `${g.row}:${g.text}`)).toEqual(want.map((w) => `${w.row}:${w.text}`));
    const worst = { dx: 0, at: '' };
    got.forEach((g, i) => {
      const w = want[i]!;
      const dx = Math.abs(g.x - w.col * CELL_W);
      if (dx > worst.dx) Object.assign(worst, { dx, at: `row ${w.row} col ${w.col} ${JSON.stringify(w.text)}` });
      expect(dx, `x of ${JSON.stringify(w.text)} at row ${w.row} col ${w.col}: ${g.x}`).toBeLessThanOrEqual(1);
      expect(g.color, `colour of ${JSON.stringify(w.text)} at row ${w.row}`).toBe(w.color);
      expect(g.decoration.includes('line-through'), `strikethrough of ${JSON.stringify(w.text)}`).toBe(w.strike);
      expect(g.decoration.includes('underline'), `underline of ${JSON.stringify(w.text)}`).toBe(w.underline);
    });
    // The right border of the CJK and emoji rows: where a flowing <pre> drifted by two cells.
    for (const row of [1, 2, 7]) {
      const border = got.filter((g) => g.row === row && g.text === '│').at(-1)!;
      expect(border.x).toBeCloseTo((COLS - 1) * CELL_W, 0);
    }
    // Wide glyphs start on their column and end within their two cells (a pixel of overhang allowed).
    for (const [i, w] of want.entries()) if (w.width === 2) expect(got[i]!.right, `${w.text} at row ${w.row}`).toBeLessThanOrEqual((w.col + 2) * CELL_W + 1);
    console.log(`${kind}: ${got.length} glyphs on the grid, worst x offset ${worst.dx.toFixed(3)} px (${worst.at}); cell ${CELL_W}×${CELL_H} px`);
    expect(m.requests).toEqual([]);
  });

  it('paints every background run the terminal has, in the shared palette', async (ctx) => {
    if (!page) return ctx.skip(CHROMIUM_NOTE);
    const m = await measure(files![kind], kind);
    const want = expectedRows.flatMap((r) => r.backgrounds.map((b) => ({ row: r.y, x: b.x0 * CELL_W, width: (b.x1 - b.x0) * CELL_W, color: rgb(b.bg) })));
    expect(want.length).toBeGreaterThanOrEqual(6); // blue, 256, navy, truecolor, inverse, inverse+dim
    expect(want).toContainEqual(expect.objectContaining({ color: rgb(DEFAULT_FG) })); // plain inverse: the default fg as background
    expect(want).toContainEqual(expect.objectContaining({ color: rgb(paletteColor(4)) }));
    const got = [...m.backgrounds].sort((a, b) => a.row - b.row || a.x - b.x);
    expect(got.map((g) => `${g.row}:${g.color}`)).toEqual(want.map((w) => `${w.row}:${w.color}`));
    got.forEach((g, i) => {
      expect(g.x).toBeCloseTo(want[i]!.x, 0);
      expect(g.width).toBeCloseTo(want[i]!.width, 0);
    });
  });
});

describe('the dumps as documents', () => {
  it('the HTML has a doctype and says UTF-8, so a browser opening the file reads CJK and box drawing right', async (ctx) => {
    expect(files!.htmlText.startsWith('<!DOCTYPE html>\n')).toBe(true);
    expect(files!.htmlText).toContain('<meta charset="utf-8">');
    if (!page) return ctx.skip(CHROMIUM_NOTE);
    const m = await measure(files!.html, 'html');
    expect(m.charset).toBe('UTF-8');
    expect(m.doctype).toBe(true);
  });

  it('both forms share one palette: default colours, inverse and strikethrough written the same way', () => {
    for (const text of [files!.htmlText, files!.svgText]) {
      expect(text).toContain(DEFAULT_FG);
      expect(text).toContain(DEFAULT_BG);
      expect(text).not.toContain('#ffffff'); // the serializer's default foreground, gone
      expect(text).toContain('line-through');
    }
    // The SGR 8 text is not drawn in either form; its blanks are.
    expect(files!.htmlText).not.toContain('unseen');
    expect(files!.svgText).not.toContain('unseen');
  });
});
