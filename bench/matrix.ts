// The matrix on one machine: wall time of a sweep of real wg builds at --jobs 1 and --jobs 2,
// side by side in one run (nex-local, terse replies sent at once, so the time is wg's setup, the
// TUI and teardown). The builds come from WG_E2E_MATRIX_BUILDS (colon-separated paths); without
// them the bench says so loudly and measures nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMatrix } from '../src/smoke/matrix.js';

export async function runMatrixBench(): Promise<void> {
  const builds = (process.env.WG_E2E_MATRIX_BUILDS ?? '').split(':').filter(Boolean);
  if (builds.length === 0) {
    console.log('matrix: SKIPPED — no builds (set WG_E2E_MATRIX_BUILDS=/path/wg-a:/path/wg-b:… to time a sweep at --jobs 1 and 2)');
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'wg-e2e-bench-matrix-'));
  try {
    const wall: Record<number, number> = {};
    const verdicts: Record<number, string> = {};
    for (const jobs of [1, 2]) {
      const started = performance.now();
      const { run } = await runMatrix({
        wgs: builds,
        scenarios: ['nex-local'],
        repeat: 1,
        jobs,
        artifactsDir: join(root, `jobs-${jobs}`),
        runArgs: ['--replies', 'echo', '--pace', 'instant'],
      });
      wall[jobs] = performance.now() - started;
      const messages = run.scenarios.flatMap((s) => s.messages);
      verdicts[jobs] = `${messages.filter((m) => m.passed).length}/${messages.length} replied`;
      // Which cells failed, and why: a race of wg's own under load must not pass for the harness's.
      for (const s of run.scenarios) {
        const first = s.messages.find((m) => !m.passed && m.verdict !== 'not-sent');
        if (first || s.status === 'setup-failed')
          console.log(
            `  --jobs ${jobs} ${s.name}: ${first ? `${first.index}/${first.total} ${first.verdict}${first.cause ? ` (cause: ${first.cause.kind} — ${first.cause.text.slice(0, 160)})` : ''}` : `setup failed: ${s.reason ?? ''}`}`,
          );
      }
    }
    const [one, two] = [wall[1] as number, wall[2] as number];
    console.log(
      `matrix: ${builds.length} builds × nex-local: --jobs 1 ${(one / 1000).toFixed(1)}s (${verdicts[1]}), --jobs 2 ${(two / 1000).toFixed(1)}s (${verdicts[2]}); speed-up ${(one / two).toFixed(2)}×`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
