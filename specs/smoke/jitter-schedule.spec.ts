import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/smoke/jitter/prng.js';
import { planJitter, requestPace, type ScheduleInput } from '../../src/smoke/jitter/schedule.js';
import { DEFAULT_MESSAGES } from '../../src/smoke/options.js';

// The jitter schedule is a pure function of its seed: the same seed plans the same run (what makes
// a FAIL line's seed worth printing), other seeds plan other runs, and every planned time stays in
// the bounds the budgets allow.

const input = (seed: number, over: Partial<ScheduleInput> = {}): ScheduleInput => ({
  seed,
  messages: DEFAULT_MESSAGES,
  cols: 160,
  rows: 48,
  cpu: false,
  ...over,
});

describe('the seeded generator', () => {
  it('gives the same numbers for the same seed and label, others for another seed or label', () => {
    const draw = (seed: number, label: string) => Array.from({ length: 8 }, seededRandom(seed, label));
    expect(draw(42, 'a')).toEqual(draw(42, 'a'));
    expect(draw(42, 'a')).not.toEqual(draw(43, 'a'));
    expect(draw(42, 'a')).not.toEqual(draw(42, 'b'));
    // Seeds past 32 bits are their own seeds, not wrapped onto small ones.
    expect(draw(2 ** 32 + 5, 'a')).not.toEqual(draw(5, 'a'));
  });

  it('draws evenly in [0, 1)', () => {
    const random = seededRandom(7, 'spread');
    const draws = Array.from({ length: 20_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const tenths = Array.from({ length: 10 }, (_, k) => draws.filter((x) => x >= k / 10 && x < (k + 1) / 10).length);
    for (const n of tenths) expect(Math.abs(n - 2_000)).toBeLessThan(200);
  });
});

describe('the jitter schedule', () => {
  it('is the same for the same seed, and differs for another', () => {
    expect(planJitter(input(1234))).toEqual(planJitter(input(1234)));
    expect(planJitter(input(1234))).not.toEqual(planJitter(input(1235)));
    expect(JSON.stringify(planJitter(input(99, { cpu: true })))).toBe(JSON.stringify(planJitter(input(99, { cpu: true }))));
  });

  it("plans each part from its own stream: message 1's typing and the requests' pace do not move when messages are added", () => {
    const one = planJitter(input(5, { messages: ['hi'] }));
    const five = planJitter(input(5));
    expect(five.turns[0]?.keyDelaysMs).toEqual(one.turns[0]?.keyDelaysMs);
    expect(five.turns[0]?.enterGapMs).toBe(one.turns[0]?.enterGapMs);
    expect(five.requests.slice(0, 2)).toEqual(one.requests);
    // A request past the planned ones follows the same seed.
    expect(requestPace(5, 40)).toEqual(requestPace(5, 40));
  });

  it('types every character, one gap between each two, inside the bounds of a person', () => {
    for (let seed = 0; seed < 200; seed++) {
      const plan = planJitter(input(seed, { cpu: true }));
      expect(plan.tuiDelayMs).toBeGreaterThanOrEqual(0);
      expect(plan.tuiDelayMs).toBeLessThanOrEqual(3_000);
      plan.turns.forEach((turn, i) => {
        expect(turn.keyDelaysMs).toHaveLength([...(DEFAULT_MESSAGES[i] ?? '')].length - 1);
        for (const gap of turn.keyDelaysMs) expect(gap >= 12 && gap <= 1_400).toBe(true);
        expect(turn.enterGapMs >= 30 && turn.enterGapMs <= 2_000).toBe(true);
        if (turn.resize) {
          expect(turn.resize.cols).toBeGreaterThanOrEqual(40);
          expect(turn.resize.rows).toBeGreaterThanOrEqual(10);
          expect(turn.resize.afterShare > 0 && turn.resize.afterShare < 1).toBe(true);
        }
        if (turn.cpu) expect(turn.cpu.durationMs).toBeLessThanOrEqual(4_000);
      });
      // Every run resizes at least once while a reply streams.
      expect(plan.turns.some((t) => t.resize)).toBe(true);
      for (const r of plan.requests) expect(r.ttftMs >= 30 && r.ttftMs <= 6_000).toBe(true);
    }
  });

  it('varies what it plans across seeds (bursts, pauses, an immediate start, long first tokens)', () => {
    const plans = Array.from({ length: 100 }, (_, seed) => planJitter(input(seed, { cpu: true })));
    const gaps = plans.flatMap((p) => p.turns.flatMap((t) => t.keyDelaysMs));
    expect(gaps.some((g) => g < 50)).toBe(true);
    expect(gaps.some((g) => g > 350)).toBe(true);
    expect(plans.some((p) => p.tuiDelayMs === 0)).toBe(true);
    expect(plans.some((p) => p.tuiDelayMs > 1_000)).toBe(true);
    expect(plans.some((p) => p.requests.some((r) => r.ttftMs > 2_500))).toBe(true);
    expect(plans.some((p) => p.turns.some((t) => t.cpu))).toBe(true);
    // No busy loops unless asked for.
    expect(planJitter(input(3)).turns.every((t) => t.cpu === undefined)).toBe(true);
  });
});
