// Detection latency "marker written → harness knows": event wait vs 50 ms poll vs tmux polls.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadPtyBackend } from '../src/terminal/pty.js';
import { TerminalSession } from '../src/terminal/index.js';
import { benchTempDir } from './temp.js';

const run = promisify(execFile);
export const CHILD = fileURLToPath(new URL('./terminal-child.mjs', import.meta.url));
const MARKER = /READY-(\d{5})\./g;
const WARMUP = 5;

/** Latencies (ms) per detector, warm-up markers dropped. */
export type Latencies = Record<string, number[]>;

const pad = (n: number): string => String(n).padStart(5, '0');

function readStamps(file: string): Map<number, bigint> {
  const m = new Map<number, bigint>();
  for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
    const [n, t] = line.split(' ');
    m.set(Number(n), BigInt(t!));
  }
  return m;
}

/** ms between the child's stamp and ours, for markers after the warm-up. */
function latencies(seen: Map<number, bigint>, stamps: Map<number, bigint>): number[] {
  const out: number[] = [];
  for (const [n, t] of seen) {
    const w = stamps.get(n);
    if (n > WARMUP && w !== undefined) out.push(Number(t - w) / 1e6);
  }
  return out;
}

/** Records the first time each marker is seen in `text`. */
function scan(text: string, seen: Map<number, bigint>, now: bigint): void {
  for (const m of text.matchAll(MARKER)) {
    const n = Number(m[1]);
    if (!seen.has(n)) seen.set(n, now);
  }
}

/** A: our waitForText, one marker after another; B50: a 50 ms poll of screen() on the same child. */
export async function sessionDetectors(n: number, fastParse: boolean, withPoll: boolean): Promise<Latencies> {
  const dir = benchTempDir('bench-lat-');
  const stampFile = join(dir, 'stamps');
  const s = await TerminalSession.spawn({ file: process.execPath, args: [CHILD, 'markers', String(n), stampFile], fastParse, processSampleMs: 0 });
  const event = new Map<number, bigint>();
  const poll = new Map<number, bigint>();
  let polling = withPoll;
  const tick = (): void => {
    if (!polling) return;
    scan(s.screen().text, poll, process.hrtime.bigint());
    setTimeout(tick, 50);
  };
  if (withPoll) setTimeout(tick, 50);
  for (let i = 1; i <= n; i++) {
    await s.waitForText(`READY-${pad(i)}.`, { timeoutMs: 10_000 });
    event.set(i, process.hrtime.bigint());
  }
  await s.waitForText('MARKERS-END', { timeoutMs: 10_000 });
  await new Promise((r) => setTimeout(r, 120));
  polling = false;
  await s.dispose();
  const stamps = readStamps(stampFile);
  const out: Latencies = { [fastParse ? 'A event (fastParse)' : 'A event (xterm timer)']: latencies(event, stamps) };
  if (withPoll) out['B50 poll'] = latencies(poll, stamps);
  return out;
}

/** The pty floor: raw node-pty onData, scanning bytes, no emulator at all. */
export async function ptyFloor(n: number): Promise<Latencies> {
  const dir = benchTempDir('bench-floor-');
  const stampFile = join(dir, 'stamps');
  const { mod } = await loadPtyBackend();
  const pty = mod.spawn(process.execPath, [CHILD, 'markers', String(n), stampFile], { cols: 120, rows: 40, name: 'xterm-256color' });
  const seen = new Map<number, bigint>();
  await new Promise<void>((resolve) => {
    pty.onData((d) => {
      scan(d, seen, process.hrtime.bigint());
      if (d.includes('MARKERS-END')) resolve();
    });
  });
  pty.kill('SIGKILL');
  return { 'pty floor (raw onData)': latencies(seen, readStamps(stampFile)) };
}

/** C100 and C1000: `tmux capture-pane` polled every 100 ms and 1 s, side by side on one child. */
export async function tmuxDetectors(n: number, slowMarkers: number): Promise<Latencies> {
  const dir = benchTempDir('bench-tmux-');
  const stampFile = join(dir, 'stamps');
  const sock = `wgte-bench-${process.pid}`;
  // The server's socket lives in the scratch folder, so it goes with it (tmux leaves sockets behind).
  const tmux = (...args: string[]): Promise<{ stdout: string }> =>
    run('tmux', ['-L', sock, '-f', '/dev/null', ...args], { env: { ...process.env, TMUX_TMPDIR: dir } });
  await tmux('new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', `${process.execPath} ${CHILD} markers ${n} ${stampFile}`);
  const fast = new Map<number, bigint>();
  const slow = new Map<number, bigint>();
  let done = false;
  const poller = async (period: number, seen: Map<number, bigint>, stopAt: number): Promise<void> => {
    while (!done && !seen.has(stopAt)) {
      const { stdout } = await tmux('capture-pane', '-p', '-t', 'b');
      scan(stdout, seen, process.hrtime.bigint());
      if (stdout.includes('MARKERS-END')) return;
      await new Promise((r) => setTimeout(r, period));
    }
  };
  try {
    await Promise.all([poller(100, fast, n), poller(1000, slow, slowMarkers)]);
  } finally {
    done = true;
    await tmux('kill-server').catch(() => undefined);
  }
  const stamps = readStamps(stampFile);
  return {
    'C100 tmux': latencies(fast, stamps),
    [`C1000 tmux (first ${slowMarkers})`]: latencies(new Map([...slow].filter(([k]) => k <= slowMarkers)), stamps),
  };
}

/** One `tmux capture-pane -p` of a full 120×40 pane, in µs (sync, as a shell loop would). */
export async function tmuxCaptureCost(reps: number, frameFile: string): Promise<number[]> {
  const sock = `wgte-cap-${process.pid}`;
  const socketDir = benchTempDir('bench-tmuxcap-');
  const { execFileSync } = await import('node:child_process');
  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-L', sock, '-f', '/dev/null', ...args], { encoding: 'utf8', env: { ...process.env, TMUX_TMPDIR: socketDir } });
  tmux('new-session', '-d', '-s', 'c', '-x', '120', '-y', '40', `cat ${frameFile}; sleep 600`);
  await new Promise((r) => setTimeout(r, 300));
  const out: number[] = [];
  try {
    for (let i = 0; i < reps; i++) {
      const t0 = process.hrtime.bigint();
      tmux('capture-pane', '-p', '-t', 'c');
      out.push(Number(process.hrtime.bigint() - t0) / 1e3);
    }
  } finally {
    tmux('kill-server');
  }
  return out;
}
