// Where the detection latency goes (`npx tsx bench/latency-breakdown.ts [markers]`): for each marker
// the child writes, the time from its stamp to the pty's bytes reaching this process (delivery), to
// the frame that shows it (parse and screen capture, inside the same callback), to the wait that
// resolves on it (our wait machinery); the event loop's delay and the GC pauses over the run; and
// for the slowest deliveries, whether a GC ran in their window. The numbers behind the README's
// account of the p99 (a profile, not a guess).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { TerminalSession } from '../src/terminal/index.js';
import { CHILD } from './terminal-latency.js';

const n = Number(process.argv[2] ?? 300);
const WARMUP = 5;
const dir = mkdtempSync(join(tmpdir(), 'wg-e2e-latency-'));
const stampFile = join(dir, 'stamps');
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const gcs: Array<{ start: number; duration: number }> = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ start: e.startTime, duration: e.duration });
});
observer.observe({ entryTypes: ['gc'] });
const hr0 = process.hrtime.bigint();
const perf0 = performance.now();
const toPerf = (t: bigint): number => perf0 + Number(t - hr0) / 1e6;
const marker = /READY-(\d{5})\./g;

const session = await TerminalSession.spawn({ file: process.execPath, args: [CHILD, 'markers', String(n), stampFile], processSampleMs: 0 });
const frameAt = new Map<number, bigint>();
const dataAt = new Map<number, bigint>();
const firstSeen = (map: Map<number, bigint>, text: string): void => {
  const now = process.hrtime.bigint();
  for (const m of text.matchAll(marker)) if (!map.has(Number(m[1]))) map.set(Number(m[1]), now);
};
// The pty itself, for the delivery time (private: this is a profile, not an API).
(session as unknown as { _pty: { onData(f: (d: string | Uint8Array) => void): void } })._pty.onData((d) =>
  firstSeen(dataAt, typeof d === 'string' ? d : Buffer.from(d).toString('utf8')),
);
session.onUpdate((screen) => firstSeen(frameAt, screen.text));
const waitAt = new Map<number, bigint>();
for (let i = 1; i <= n; i++) {
  await session.waitForText(`READY-${String(i).padStart(5, '0')}.`, { timeoutMs: 10_000 });
  waitAt.set(i, process.hrtime.bigint());
}
loop.disable();
observer.disconnect();
await session.dispose({ killLeaked: true });

const stamps = new Map(
  readFileSync(stampFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([i, t]) => [Number(i), BigInt(t ?? '0')] as const),
);
rmSync(dir, { recursive: true, force: true });
const ms = (a: bigint | undefined, b: bigint | undefined): number | undefined => (a !== undefined && b !== undefined ? Number(b - a) / 1e6 : undefined);
const quantile = (xs: number[], p: number): string => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]?.toFixed(2) ?? '?';
const rows: Record<string, number[]> = { 'stamp → bytes here (delivery)': [], 'stamp → frame': [], 'frame → wait resolved': [], 'stamp → wait resolved': [] };
for (let i = WARMUP + 1; i <= n; i++) {
  const [s, d, f, w] = [stamps.get(i), dataAt.get(i), frameAt.get(i), waitAt.get(i)];
  const pairs: Array<[string, number | undefined]> = [
    ['stamp → bytes here (delivery)', ms(s, d)],
    ['stamp → frame', ms(s, f)],
    ['frame → wait resolved', ms(f, w)],
    ['stamp → wait resolved', ms(s, w)],
  ];
  for (const [k, v] of pairs) if (v !== undefined) rows[k]?.push(v);
}
console.table(Object.fromEntries(Object.entries(rows).map(([k, xs]) => [k, { p50: quantile(xs, 0.5), p99: quantile(xs, 0.99), max: quantile(xs, 1) }])));
console.log(
  `event loop delay: p50 ${(loop.percentile(50) / 1e6).toFixed(2)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(2)} ms, max ${(loop.max / 1e6).toFixed(2)} ms`,
);
console.log(
  `GC: ${gcs.length} pauses, ${gcs.reduce((a, g) => a + g.duration, 0).toFixed(1)} ms in all, the longest ${Math.max(0, ...gcs.map((g) => g.duration)).toFixed(2)} ms`,
);
const slowest = [...stamps.keys()]
  .filter((i) => i > WARMUP && dataAt.has(i))
  .map((i) => ({ i, took: ms(stamps.get(i), dataAt.get(i)) ?? 0, from: toPerf(stamps.get(i) ?? 0n), to: toPerf(dataAt.get(i) ?? 0n) }))
  .sort((a, b) => b.took - a.took)
  .slice(0, 5);
for (const x of slowest) {
  const during = gcs.filter((g) => g.start + g.duration >= x.from && g.start <= x.to).map((g) => `${g.duration.toFixed(2)} ms`);
  console.log(`slow delivery: marker ${x.i} took ${x.took.toFixed(2)} ms; GC in its window: ${during.join(', ') || 'none'}`);
}
