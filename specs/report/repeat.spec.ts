import { describe, expect, it } from 'vitest';
import { formatMessageLine, formatRepeatLine } from '../../src/report/lines.js';
import { summarizeRepeats, wilsonInterval, type MessageResult, type ScenarioResult } from '../../src/report/model.js';

// --repeat: a verdict per message per run, and per message the passes with a 95% Wilson interval.

const message = (index: number, passed: boolean, verdict = passed ? 'replied' : 'stalled'): MessageResult => ({
  scenario: 'nex-local',
  index,
  total: 2,
  text: index === 1 ? 'hi' : 'tell me a short joke',
  verdict: verdict as MessageResult['verdict'],
  passed,
  signal: 's',
  retries: [],
  after: { txt: `nex-local/run-x/msg-${index}-after.txt`, ansi: '', html: '', svg: '' },
});
const run = (k: number, second: boolean): ScenarioResult => ({
  name: 'nex-local',
  run: { index: k, of: 5 },
  status: second ? 'passed' : 'failed',
  findings: [],
  messages: [message(1, true), message(2, second)],
  durationMs: 0,
});

describe('repeat summaries', () => {
  it('computes the Wilson score interval (z = 1.96)', () => {
    const close = ([a, b]: [number, number], [c, d]: [number, number]) => expect([a, b].map((x) => x.toFixed(3))).toEqual([c, d].map((x) => x.toFixed(3)));
    close(wilsonInterval(5, 5), [0.566, 1]);
    close(wilsonInterval(0, 5), [0, 0.434]);
    close(wilsonInterval(4, 5), [0.376, 0.964]);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });

  it('counts each message over the runs and keeps the first failing run', () => {
    const scenarios = [run(1, true), run(2, true), run(3, false), run(4, true), run(5, false)];
    const [first, second] = summarizeRepeats(scenarios);
    expect(first).toMatchObject({ index: 1, passed: 5, runs: 5 });
    expect(second).toMatchObject({ index: 2, passed: 3, runs: 5, firstFailure: { run: 3, verdict: 'stalled' } });
    expect(formatRepeatLine(second!)).toBe(
      'REPEAT nex-local 2 "tell me a short joke" 3/5 passed (95% 23%–88%); first failure run 3: stalled (nex-local/run-x/msg-2-after.txt)',
    );
    expect(formatMessageLine(scenarios[2]!, scenarios[2]!.messages[1]!)).toMatch(/^FAIL nex-local#3 2\/2 "tell me a short joke" stalled/);
  });

  it("under --jitter: each FAIL line ends with its run's seed and the REPEAT line names the first failing seed", () => {
    const seeded = (k: number, second: boolean, seed: number): ScenarioResult => ({ ...run(k, second), jitter: { seed } });
    const scenarios = [seeded(1, true, 11), seeded(2, false, 22), seeded(3, false, 33)];
    const [, second] = summarizeRepeats(scenarios);
    expect(second?.firstFailure).toMatchObject({ run: 2, seed: 22 });
    expect(formatRepeatLine(second!)).toMatch(/; first failure run 2 \(jitter seed 22\): stalled/);
    expect(formatMessageLine(scenarios[2]!, scenarios[2]!.messages[1]!)).toMatch(/^FAIL nex-local#3 2\/2 .* \[jitter seed 33\]$/);
    // A pass names no seed: only a failure is rerun.
    expect(formatMessageLine(scenarios[0]!, scenarios[0]!.messages[0]!)).not.toMatch(/seed/);
  });
});
