// The terminal engine's benchmark: detection latency, read cost, throughput, memory. See
// /work/shared/reference/perf-baseline.md for the method; goals are ratios within one run.
import { ptyBackendName } from '../src/terminal/index.js';
import { ptyFloor, sessionDetectors, tmuxCaptureCost, tmuxDetectors, type Latencies } from './terminal-latency.js';
import { memoryAfterStreaming, ratatuiFrame, screenReadCost, throughput, type MemoryResult, type ThroughputResult } from './terminal-throughput.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchTempDir } from './temp.js';

export interface LatencyRow {
  detector: string;
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
export interface TerminalBenchResult {
  date: string;
  backend: string | undefined;
  latency: LatencyRow[];
  ratios: Record<string, { p50: number; p99: number; goal: number; met: boolean }>;
  readCost: { headlessPlainUs: number; headlessWideUs: number; tmuxCaptureUs: number; ratio: number; met: boolean };
  throughput: ThroughputResult & { met: boolean };
  memory: MemoryResult;
  totalSeconds: number;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const r2 = (x: number): number => Math.round(x * 100) / 100;

function rows(l: Latencies): LatencyRow[] {
  return Object.entries(l).map(([detector, xs]) => ({
    detector,
    n: xs.length,
    p50: r2(pct(xs, 50)),
    p90: r2(pct(xs, 90)),
    p99: r2(pct(xs, 99)),
    max: r2(pct(xs, 100)),
  }));
}

/** Runs everything (about 1.5–2 minutes) and prints one table per part. */
export async function runTerminalBench(opts: { markers?: number; slowMarkers?: number } = {}): Promise<TerminalBenchResult> {
  const t0 = performance.now();
  const markers = opts.markers ?? 205; // 5 warm-up markers are dropped → 200 measured
  const slowMarkers = opts.slowMarkers ?? 65; // the 1 s tmux poller is read for the first 65 only
  const log = (s: string): void => console.log(s);
  log(`terminal bench ${new Date().toISOString()} — ${markers - 5} markers (C1000: ${slowMarkers - 5})`);

  const latency = [
    ...rows(await sessionDetectors(markers, true, true)),
    ...rows(await sessionDetectors(markers, false, false)),
    ...rows(await ptyFloor(markers)),
    ...rows(await tmuxDetectors(markers, slowMarkers)),
  ];
  console.table(latency);
  const a = latency[0]!;
  const ratios: TerminalBenchResult['ratios'] = {};
  for (const [name, goal] of [
    ['B50 poll', 15],
    ['C100 tmux', 30],
    [`C1000 tmux (first ${slowMarkers})`, 300],
  ] as const) {
    const row = latency.find((r) => r.detector === name)!;
    const p50 = r2(row.p50 / a.p50);
    const p99 = r2(row.p99 / a.p99);
    ratios[`${name} / A`] = { p50, p99, goal, met: p50 >= goal && p99 >= goal };
  }
  console.table(ratios);

  const frameFile = join(benchTempDir('bench-frame-'), 'frame.txt');
  writeFileSync(frameFile, ratatuiFrame(1, false));
  const reads = await screenReadCost(300);
  const caps = await tmuxCaptureCost(100, frameFile);
  const readCost = {
    headlessPlainUs: r2(pct(reads.plain.slice(20), 50)),
    headlessWideUs: r2(pct(reads.wide.slice(20), 50)),
    tmuxCaptureUs: r2(pct(caps, 50)),
    ratio: 0,
    met: false,
  };
  readCost.ratio = r2(readCost.tmuxCaptureUs / Math.max(readCost.headlessPlainUs, readCost.headlessWideUs));
  readCost.met = readCost.ratio >= 20;
  console.table({ 'screen read (p50 µs)': readCost });

  const tp = await throughput(1000);
  const tpResult = { ...tp, met: tp.e2eFps >= 1000 && tp.emulatorVsRaw >= 0.9 };
  console.table(Object.fromEntries(Object.entries(tpResult).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 100) / 100 : v])));

  const memory = await memoryAfterStreaming(10_000);
  console.table(memory);
  const totalSeconds = Math.round((performance.now() - t0) / 1000);
  log(`terminal bench done in ${totalSeconds} s (pty backend: ${ptyBackendName()})`);
  return { date: new Date().toISOString(), backend: ptyBackendName(), latency, ratios, readCost, throughput: tpResult, memory, totalSeconds };
}

// Run directly: `npx tsx bench/terminal.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runTerminalBench();
  console.log(JSON.stringify(result, null, 2));
}
