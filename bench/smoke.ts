// The smoke's own costs on a real wg: the settle delay per message (the turn visibly over → the
// verdict) and the harness's overhead on a whole run (wall time minus the time wg, the endpoint
// and the typing pace took). Needs a wg: WG_BIN or PATH; without one it says so and measures nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeRunOptions } from '../src/smoke/options.js';
import { runSmoke } from '../src/smoke/run.js';
import { whichOnPath } from '../src/wg/binary.js';

export interface SmokeBenchResult {
  wg?: string;
  runs: number;
  settleDelaysMs: number[];
  overheadRatios: number[];
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export async function runSmokeBench(options: { runs?: number } = {}): Promise<SmokeBenchResult> {
  const wg = process.env.WG_BIN || (await whichOnPath('wg'));
  const result: SmokeBenchResult = { wg, runs: 0, settleDelaysMs: [], overheadRatios: [] };
  console.log('\n== smoke: settle delay per message and harness overhead per run ==');
  if (!wg) {
    console.log('SKIPPED — no wg binary (set WG_BIN=/path/to/wg or put wg on PATH)');
    return result;
  }
  for (let i = 0; i < (options.runs ?? 3); i++) {
    // The evidence of a timing run is not kept: its folder goes with the run.
    const artifacts = await mkdtemp(join(tmpdir(), 'wg-tui-e2e-bench-'));
    const run = await runSmoke(normalizeRunOptions({ scenario: ['nex-local'], wg, isolate: true, artifacts }, {}), {}).finally(() =>
      rm(artifacts, { recursive: true, force: true }),
    );
    for (const scenario of run.scenarios) {
      result.runs++;
      for (const m of scenario.messages) if (m.verdictDelayMs !== undefined) result.settleDelaysMs.push(m.verdictDelayMs);
      if (scenario.waitedMs !== undefined) result.overheadRatios.push(1 - scenario.waitedMs / scenario.durationMs);
      const phases = Object.entries(scenario.phases ?? {})
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}s`)
        .join(', ');
      console.log(`run ${i + 1}: ${scenario.status}, ${(scenario.durationMs / 1000).toFixed(1)}s wall; ${phases}`);
    }
  }
  const delays = [...result.settleDelaysMs].sort((a, b) => a - b);
  const ratios = [...result.overheadRatios].sort((a, b) => a - b);
  console.log(`wg: ${wg}`);
  console.log(
    `settle delay (turn visibly over → verdict), ${delays.length} messages: p50 ${pct(delays, 50).toFixed(1)} ms, max ${(delays.at(-1) ?? NaN).toFixed(1)} ms (goal ≤ 250 ms)`,
  );
  console.log(`harness overhead per run: ${ratios.map((r) => `${(r * 100).toFixed(1)}%`).join(', ')} (goal < 5%)`);
  return result;
}
