import { readFileSync } from 'node:fs';
import { tempDir } from '../setup/temp.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paletteColor } from '../../src/terminal/index.js';
import { fixture, T } from './helpers.js';

const tmp = (): string => tempDir('term-ev-');

describe('evidence', () => {
  it('snapshot gives text, ANSI, HTML and SVG with colours, inverse and wide chars', async () => {
    const s = await fixture('tui.mjs');
    await s.waitForText('READY', { timeoutMs: T });
    const snap = s.snapshot();
    expect(snap.text.split('\n')[1]).toBe(`│READY${' '.repeat(33)}│`);
    expect(snap.text).not.toMatch(/ +$/m);
    expect(snap.ansi).toContain('\x1b[');
    expect(snap.ansi).toContain('READY');
    expect(snap.html).toContain('READY');
    expect(snap.html).toMatch(/^<!DOCTYPE html>\n[^]*<meta charset="utf-8">/);
    // The HTML is drawn from the SVG's palette: the same truecolor, 256-colour and inverse cells.
    expect(snap.html).toContain('color:#0ac81e');
    expect(snap.html).toContain('background:#28285a');
    expect(snap.html).toContain(`color:${paletteColor(208)}`);
    expect(snap.html).toMatch(/width:25\.2px;background:#e5e5e5/); // inverse "inv"
    // SVG: truecolor fg/bg, 256-colour 208, bold red, inverse, and the emoji squeezed into two cells.
    expect(snap.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(snap.svg).toContain('fill="#0ac81e"'); // 38;2;10;200;30
    expect(snap.svg).toContain('fill="#28285a"'); // 48;2;40;40;90 background rect
    expect(snap.svg).toContain(`fill="${paletteColor(208)}"`);
    expect(snap.svg).toMatch(/fill="#cc0000" font-weight="bold">red</);
    expect(snap.svg).toMatch(/textLength="16.8" lengthAdjust="spacingAndGlyphs"[^>]*>🙂</);
    expect(snap.svg).toMatch(/<rect x="[\d.]+" y="\d+" width="25.2" height="17" fill="#e5e5e5"\/>/); // inverse "inv"
  });

  it('paletteColor covers the 16 ANSI colours, the cube and the greys', () => {
    expect(paletteColor(1)).toBe('#cc0000');
    expect(paletteColor(16)).toBe('#000000');
    expect(paletteColor(208)).toBe('#ff8700');
    expect(paletteColor(231)).toBe('#ffffff');
    expect(paletteColor(232)).toBe('#080808');
    expect(paletteColor(255)).toBe('#eeeeee');
  });

  it('writeEvidence writes .txt .ansi .html .svg', async () => {
    const s = await fixture('tui.mjs');
    await s.waitForText('READY', { timeoutMs: T });
    const dir = tmp();
    const paths = await s.writeEvidence(dir, 'msg-1-before');
    expect(readFileSync(paths.txt, 'utf8')).toContain('READY');
    expect(readFileSync(paths.ansi, 'utf8')).toContain('READY');
    expect(readFileSync(paths.html, 'utf8')).toContain('READY');
    expect(readFileSync(paths.svg, 'utf8')).toContain('READY');
  });

  it('records an asciicast v2 with header, o/i/r/m events, streamed to castPath, plus a raw byte log', async () => {
    const dir = tmp();
    const castPath = join(dir, 'session.cast');
    const rawLogPath = join(dir, 'raw.log');
    const s = await fixture('tui.mjs', [], { castPath, rawLogPath, cols: 80, rows: 24 });
    await s.waitForText('READY', { timeoutMs: T });
    s.mark('msg-1');
    await s.press('x');
    await s.waitForText('KEYS 78', { timeoutMs: T });
    s.resize(81, 24);
    await s.waitForText('SIZE 81x24', { timeoutMs: T });
    await s.dispose();
    const lines = readFileSync(castPath, 'utf8').trim().split('\n');
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({ version: 2, width: 80, height: 24, env: { TERM: 'xterm-256color' } });
    expect(header.timestamp).toBeGreaterThan(1_600_000_000);
    const events = lines.slice(1).map((l) => JSON.parse(l) as [number, string, string]);
    const codes = new Set(events.map((e) => e[1]));
    expect([...codes].sort()).toEqual(['i', 'm', 'o', 'r']);
    expect(events).toContainEqual([expect.any(Number), 'm', 'msg-1']);
    expect(events).toContainEqual([expect.any(Number), 'r', '81x24']);
    const times = events.map((e) => e[0]);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(s.cast.toString().trim()).toBe(lines.join('\n'));
    const raw = readFileSync(rawLogPath, 'latin1');
    expect(raw).toContain('\x1b[?1049h');
    expect(raw).toContain('\x1b[6n');
    const saved = join(dir, 'copy.cast');
    await s.cast.save(saved);
    expect(readFileSync(saved, 'utf8')).toBe(s.cast.toString());
  });

  it('keeps the scrollback text', async () => {
    const s = await fixture('stream.mjs', ['60', '1'], { rows: 10 });
    await s.waitForText('STREAM-END', { timeoutMs: T });
    const snap = s.snapshot();
    expect(snap.scrollback).toMatch(/^line-0001\nline-0002/);
    expect(snap.text).not.toContain('line-0001');
  });
});
