// Parse throughput (raw @xterm/headless vs our Emulator vs end to end through the pty),
// screen read cost, and memory after streaming 10,000 screens.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import xtermHeadless from '@xterm/headless';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { Emulator } from '../src/terminal/emulator.js';
import { TerminalSession } from '../src/terminal/index.js';
import { CHILD } from './terminal-latency.js';
import { benchTempDir } from './temp.js';

const COLS = 120;
const ROWS = 40;
const WORDS = ['● build', '✓ ok', '▶ run', '⠋ wait', 'reply', 'stream', 'token', 'status'];
const WIDE = ['日本語', '🙂', '中文', '👍'];

/** One full 120×40 ratatui-like frame: CUP per row, 256/truecolor/bold/reverse spans, box drawing. */
export function ratatuiFrame(i: number, wide: boolean): string {
  let s = '';
  for (let r = 0; r < ROWS; r++) {
    s += `\x1b[${r + 1};1H\x1b[38;5;${(i + r) % 256}m│\x1b[0m`;
    let cells = 2;
    let k = 0;
    let body = '';
    while (cells < COLS - 12) {
      const w = wide && (i + r + k) % 12 === 0 ? WIDE[(k + r) % WIDE.length]! : WORDS[(i + k + r) % WORDS.length]!;
      const width = [...w].reduce((n, ch) => n + (ch.codePointAt(0)! > 0x2e80 ? 2 : 1), 0);
      if (cells + width + 1 > COLS - 12) break;
      const sgr =
        k % 4 === 0 ? `38;2;${(r * 6) % 256};${(i * 3) % 256};200` : k % 4 === 1 ? `1;48;5;${236 + (k % 8)}` : k % 4 === 2 ? '7' : `38;5;${(k * 7) % 256}`;
      body += `\x1b[${sgr}m${w}\x1b[0m `;
      cells += width + 1;
      k++;
    }
    s += body + ' '.repeat(COLS - 12 - cells) + `\x1b[48;5;24m ${String(i).padStart(8, '0')} \x1b[0m│`;
  }
  return s;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function chunks(data: Buffer, size = 4096): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 0; o < data.length; o += size) out.push(data.subarray(o, o + size));
  return out;
}

function timeRaw(parts: Buffer[]): Promise<number> {
  const term = new xtermHeadless.Terminal({ cols: COLS, rows: ROWS, scrollback: 1000, allowProposedApi: true });
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  const t0 = performance.now();
  return new Promise((resolve) => {
    parts.forEach((p, idx) => term.write(p, idx === parts.length - 1 ? () => resolve(performance.now() - t0) : undefined));
  }).finally(() => term.dispose()) as Promise<number>;
}

function timeEmulator(parts: Buffer[]): Promise<number> {
  const emu = new Emulator({ cols: COLS, rows: ROWS, scrollback: 1000, clock: () => 0 });
  let frames = 0;
  emu.onFrame(() => frames++); // a listener, as a session with a pending wait has
  const t0 = performance.now();
  return new Promise<number>((resolve) => {
    parts.forEach((p, idx) => emu.write(p, idx === parts.length - 1 ? () => resolve(performance.now() - t0) : undefined));
  }).finally(() => emu.dispose());
}

export interface ThroughputResult {
  bytesPerFrame: number;
  rawFps: number;
  emulatorFps: number;
  emulatorVsRaw: number;
  e2eFps: number;
  wideRawFps: number;
  wideEmulatorFps: number;
}

/** Parse-only rates are the median of 5 reps after one warm-up; e2e is one pass through the pty. */
export async function throughput(frames = 1000): Promise<ThroughputResult> {
  const data = Buffer.from(Array.from({ length: frames }, (_, i) => ratatuiFrame(i, false)).join(''));
  const wide = Buffer.from(Array.from({ length: frames }, (_, i) => ratatuiFrame(i, true)).join(''));
  const parts = chunks(data);
  const wideParts = chunks(wide);
  await timeRaw(parts);
  await timeEmulator(parts);
  const raw: number[] = [],
    emu: number[] = [],
    wraw: number[] = [],
    wemu: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    raw.push(await timeRaw(parts));
    emu.push(await timeEmulator(parts));
    wraw.push(await timeRaw(wideParts));
    wemu.push(await timeEmulator(wideParts));
  }
  const file = join(mkdtempSync(join(tmpdir(), 'bench-tp-')), 'frames.bin');
  writeFileSync(file, Buffer.concat([Buffer.from('\x1b[?1049h'), data]));
  const s = await TerminalSession.spawn({ file: process.execPath, args: [CHILD, 'frames', file], processSampleMs: 0 });
  const t0 = performance.now();
  await s.waitForText('BENCH-END', { timeoutMs: 60_000 });
  const e2eMs = performance.now() - t0;
  await s.dispose();
  const fps = (ms: number): number => (frames * 1000) / ms;
  return {
    bytesPerFrame: Math.round(data.length / frames),
    rawFps: fps(median(raw)),
    emulatorFps: fps(median(emu)),
    emulatorVsRaw: median(raw) / median(emu),
    e2eFps: fps(e2eMs),
    wideRawFps: fps(median(wraw)),
    wideEmulatorFps: fps(median(wemu)),
  };
}

/** µs of one screen() read right after a new full frame was parsed. */
export async function screenReadCost(reps: number): Promise<{ plain: number[]; wide: number[] }> {
  const out = { plain: [] as number[], wide: [] as number[] };
  for (const kind of ['plain', 'wide'] as const) {
    const emu = new Emulator({ cols: COLS, rows: ROWS, scrollback: 1000, clock: () => 0 });
    for (let i = 0; i < reps; i++) {
      await new Promise<void>((r) => emu.write(Buffer.from(ratatuiFrame(i, kind === 'wide')), r));
      const t0 = process.hrtime.bigint();
      const sc = emu.screen();
      if (!sc.text) throw new Error('empty read');
      out[kind].push(Number(process.hrtime.bigint() - t0) / 1e3);
    }
    emu.dispose();
  }
  return out;
}

/** A GC handle without --expose-gc on the command line (bench only). */
function gc(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}

export interface MemoryResult {
  screens: number;
  mbStreamed: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  scrollbackLines: number;
  castTruncated: boolean;
}

/** Writes `screens` full screens of scrolling coloured text to a file; returns its size. */
function writeScreens(file: string, screens: number): number {
  const line = (i: number, r: number): string =>
    `\x1b[3${r % 8}m${String(i).padStart(6, '0')}:${String(r).padStart(2, '0')}\x1b[0m ${'m'.repeat(COLS - 12)}\r\n`;
  const body = Array.from({ length: screens }, (_, i) => Array.from({ length: ROWS }, (_, r) => line(i, r)).join('')).join('');
  writeFileSync(file, body);
  return body.length;
}

/** Streams `screens` full screens through a session with default settings (1000-line scrollback,
 * in-memory cast capped at 64 MiB). Heap is measured after a forced GC, before and after. */
export async function memoryAfterStreaming(screens = 10_000): Promise<MemoryResult> {
  const file = join(benchTempDir('bench-mem-'), 'screens.bin');
  const bytes = writeScreens(file, screens);
  const mb = (n: number): number => Math.round((n / 1048576) * 10) / 10;
  gc();
  const before = process.memoryUsage();
  const s = await TerminalSession.spawn({ file: process.execPath, args: [CHILD, 'frames', file], processSampleMs: 0 });
  await s.waitForText('BENCH-END', { timeoutMs: 120_000 });
  const scrollbackLines = s.snapshot().scrollback.split('\n').length;
  gc();
  const after = process.memoryUsage();
  const castTruncated = s.cast.truncated;
  await s.dispose();
  return {
    screens,
    mbStreamed: mb(bytes),
    heapBeforeMb: mb(before.heapUsed),
    heapAfterMb: mb(after.heapUsed),
    rssBeforeMb: mb(before.rss),
    rssAfterMb: mb(after.rss),
    scrollbackLines,
    castTruncated,
  };
}
