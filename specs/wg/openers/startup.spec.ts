import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planJitter } from '../../../src/smoke/jitter/schedule.js';
import { linesOf, runOnStandIn } from './stand-in.js';

// `--startup` and `--jitter` on the stand-in of the April nex pane, whose daemon runs the chat's
// handler: here the handler takes its lock 3 s after the daemon is up, and the call log says when,
// so the order of `wg tui` and the lock shows which startup the harness followed.

const SLOW_HANDLER = { extends: 'nex-pane', service: { handlerAfterMs: 3_000 } };
const LOCK = '(daemon) handler lock taken';

describe('--startup', () => {
  it("person (the default): `wg tui` starts as `wg service start` returns, before the daemon's handler has its lock", async () => {
    const r = await runOnStandIn(SLOW_HANDLER, { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    const service = r.calls.indexOf('service start');
    const tui = r.calls.findIndex((c) => c.startsWith('tui'));
    const lock = r.calls.indexOf(LOCK);
    expect(service).toBeGreaterThan(-1);
    expect(tui).toBe(service + 1);
    // The lock came later, or not at all before teardown stopped the daemon.
    expect(lock === -1 || lock > tui).toBe(true);
  });

  it("settled: `wg tui` waits for the daemon's handler to hold its lock", async () => {
    const r = await runOnStandIn(SLOW_HANDLER, { scenario: ['nex-local'], startup: 'settled' });
    expect(r.exitCode).toBe(0);
    expect(r.calls.slice(1, 4)).toEqual(['service start', LOCK, 'tui --trace nex-local/wg-trace.jsonl']);
  });
});

describe('--jitter', () => {
  it("prints the seed on a jittered run's FAIL line, keeps it in run.json, and writes the schedule with what happened to jitter.json", async () => {
    const r = await runOnStandIn({ extends: 'nex-pane', tui: { modes: 'die' } }, { scenario: ['nex-local'], jitter: '7' });
    expect(r.exitCode).toBe(1);
    expect(linesOf(r, 'FAIL')).toEqual([expect.stringMatching(/^FAIL nex-local 1\/1 "hi" pane-died: .* \[jitter seed 7\]$/)]);
    const run = JSON.parse(await readFile(join(r.artifacts, 'run.json'), 'utf8')) as { scenarios: Array<{ jitter?: { seed: number } }> };
    expect(run.scenarios[0]?.jitter).toEqual({ seed: 7 });
    const jitter = JSON.parse(await readFile(join(r.artifacts, 'nex-local', 'jitter.json'), 'utf8')) as {
      seed: number;
      schedule: unknown;
      events: Array<{ what: string; turn?: number; plannedMs?: number; actualMs?: number }>;
    };
    const planned = planJitter({ seed: 7, messages: ['hi'], cols: 160, rows: 48, cpu: false });
    expect(jitter.seed).toBe(7);
    expect(jitter.schedule).toEqual(planned);
    // The TUI started after the planned gap, and "hi" went out with its planned gap between the keys.
    const tuiStart = jitter.events.find((e) => e.what === 'tui-start');
    expect(tuiStart?.plannedMs).toBe(planned.tuiDelayMs);
    expect(tuiStart?.actualMs).toBeGreaterThanOrEqual(planned.tuiDelayMs - 1);
    const second = jitter.events.find((e) => e.what === 'key' && e.turn === 1);
    expect(second?.plannedMs).toBe(planned.turns[0]?.keyDelaysMs[0]);
    expect(second?.actualMs).toBeGreaterThanOrEqual((planned.turns[0]?.keyDelaysMs[0] ?? 0) - 1);
    expect(jitter.events.map((e) => e.what)).toContain('enter');
  });

  it('with --repeat and random: each run its own seed, and the REPEAT line names the first failing one', async () => {
    const r = await runOnStandIn({ extends: 'nex-pane', tui: { modes: 'die' } }, { scenario: ['nex-local'], jitter: 'random', repeat: '2' });
    const seeds = r.run.scenarios.map((s) => s.jitter?.seed);
    expect(seeds).toHaveLength(2);
    expect(seeds[0]).not.toBe(seeds[1]);
    expect(linesOf(r, 'FAIL')).toEqual([
      expect.stringMatching(new RegExp(`^FAIL nex-local#1 .*\\[jitter seed ${seeds[0]}\\]$`)),
      expect.stringMatching(new RegExp(`^FAIL nex-local#2 .*\\[jitter seed ${seeds[1]}\\]$`)),
    ]);
    expect(linesOf(r, 'REPEAT')).toEqual([expect.stringMatching(new RegExp(`0/2 passed .*; first failure run 1 \\(jitter seed ${seeds[0]}\\): pane-died`))]);
  });
});
