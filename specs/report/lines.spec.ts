import { describe, expect, it } from 'vitest';
import { formatJunit } from '../../src/report/junit.js';
import { formatCauseLine, formatMessageLine, formatRunLines, formatSummaryLine } from '../../src/report/lines.js';
import { countResults, exitCodeFor, type MessageResult, type RunResult, type ScenarioResult } from '../../src/report/model.js';

const message = (over: Partial<MessageResult>): MessageResult => ({
  scenario: 'nex-local',
  index: 1,
  total: 5,
  text: 'hi',
  verdict: 'replied',
  passed: true,
  signal: 'screen: reply then prompt back',
  retries: [],
  firstGlyphMs: 400,
  settledMs: 1900,
  ...over,
});
const scenario = (over: Partial<ScenarioResult>): ScenarioResult => ({
  name: 'nex-local',
  status: 'passed',
  findings: [],
  messages: [],
  durationMs: 1000,
  ...over,
});
const run = (scenarios: ScenarioResult[]): RunResult => ({ scenarios, startedAt: '2026-11-25T00:00:00Z', durationMs: 1 });

describe('greppable lines', () => {
  it('prints PASS with both timings', () => {
    expect(formatMessageLine(scenario({}), message({}))).toBe('PASS nex-local 1/5 "hi" replied in 1.9s (first glyph 0.4s)');
  });

  it('prints FAIL with the verdict, the error and the deciding signal', () => {
    const line = formatMessageLine(
      scenario({}),
      message({ verdict: 'pane-died', passed: false, detail: 'API error 400: LoRA', settledMs: 1300, signal: 'screen: chat pane gone' }),
    );
    expect(line).toBe('FAIL nex-local 1/5 "hi" pane-died: API error 400: LoRA after 1.3s (signal: screen: chat pane gone)');
  });

  it('prints a cause line under a FAIL, with what was seen when the cause is unknown; none under a PASS or a not-sent', () => {
    const app = message({
      verdict: 'no-reply',
      passed: false,
      cause: { kind: 'app', text: '3 requests, all refused: 3× 404 POST /chat/completions — the path lacks /v1', seen: ['x'] },
    });
    expect(formatCauseLine(app)).toBe('  cause: app — 3 requests, all refused: 3× 404 POST /chat/completions — the path lacks /v1');
    const unknown = message({
      verdict: 'error-shown',
      passed: false,
      cause: { kind: 'unknown', text: 'the evidence does not decide', seen: ['endpoint: not seen', 'screen: Error: 400'] },
    });
    expect(formatCauseLine(unknown)).toBe('  cause: unknown — the evidence does not decide (seen: endpoint: not seen; screen: Error: 400)');
    expect(formatCauseLine(message({}))).toBeUndefined();
    expect(formatCauseLine(message({ verdict: 'not-sent', passed: false, cause: { kind: 'app', text: 'x', seen: [] } }))).toBeUndefined();
  });

  it('says so on every line when the endpoint was lenient', () => {
    expect(formatMessageLine(scenario({ lenient: true }), message({}))).toMatch(/\[LENIENT endpoint\]$/);
  });

  it('prints a loud skip and counts it', () => {
    const r = run([scenario({ name: 'nex-live', status: 'skipped', reason: 'NEX SMOKE SKIPPED — endpoint unreachable (no endpoint given)' })]);
    expect(formatRunLines(r)).toContain('SKIP nex-live NEX SMOKE SKIPPED — endpoint unreachable (no endpoint given)');
    expect(formatSummaryLine(r)).toBe('0 passed, 0 failed, 1 skipped');
    expect(exitCodeFor(r)).toBe(2);
    // Under git bisect a build where the scenario was skipped whole proved nothing: skip it, never call it good.
    expect(exitCodeFor(r, { bisect: true })).toBe(125);
    const plainSkipped = run([
      scenario({ messages: [message({})] }),
      scenario({ name: 'pi-local', status: 'skipped', reason: 'PLAIN SETUP SKIPPED — no launcher' }),
    ]);
    expect(exitCodeFor(plainSkipped, { bisect: true })).toBe(125);
    const failedBeside = run([scenario({ messages: [message({ verdict: 'no-reply', passed: false })] }), scenario({ name: 'pi-local', status: 'skipped' })]);
    expect(exitCodeFor(failedBeside, { bisect: true })).toBe(1);
  });

  it('an allowed skip (--allow-skip) is printed and counted, and decides nothing by itself', () => {
    const live = scenario({ name: 'nex-live', status: 'skipped', reason: 'NEX SMOKE SKIPPED — no endpoint given', skipAllowed: true });
    const passed = scenario({ messages: [message({})] });
    const r = run([passed, live]);
    expect(formatRunLines(r)).toContain('SKIP nex-live NEX SMOKE SKIPPED — no endpoint given');
    expect(formatSummaryLine(r)).toBe('1 passed, 0 failed, 1 skipped (1 allowed: nex-live)');
    expect(exitCodeFor(r)).toBe(0);
    expect(exitCodeFor(r, { bisect: true })).toBe(0);
    // Another skip beside it, not allowed, still gives 2; a failure still gives 1.
    const other = run([passed, live, scenario({ name: 'pi-local', status: 'skipped', reason: 'PI SMOKE SKIPPED — x' })]);
    expect(formatSummaryLine(other)).toBe('1 passed, 0 failed, 2 skipped (1 allowed: nex-live)');
    expect(exitCodeFor(other)).toBe(2);
    expect(exitCodeFor(other, { bisect: true })).toBe(125);
    expect(exitCodeFor(run([scenario({ messages: [message({ verdict: 'no-reply', passed: false })] }), live]))).toBe(1);
    // Without the flag nothing changes.
    expect(exitCodeFor(run([passed, { ...live, skipAllowed: undefined }]))).toBe(2);
  });

  it('maps results to the documented exit codes', () => {
    const failed = run([scenario({ messages: [message({ verdict: 'no-reply', passed: false }), message({ index: 2, verdict: 'not-sent', passed: false })] })]);
    expect(countResults(failed)).toEqual({ passed: 0, failed: 1, skipped: 1 });
    expect(exitCodeFor(failed)).toBe(1);
    expect(exitCodeFor(failed, { bisect: true })).toBe(1);
    const setup = run([scenario({ status: 'setup-failed', reason: 'wg not found' })]);
    expect(exitCodeFor(setup)).toBe(3);
    expect(exitCodeFor(setup, { bisect: true })).toBe(125);
    expect(exitCodeFor(run([scenario({ messages: [message({})] })]))).toBe(0);
  });

  it('writes JUnit with one case per message, ANSI and invalid XML removed', () => {
    const xml = formatJunit(
      run([
        scenario({
          messages: [message({}), message({ index: 2, text: 'a<b', verdict: 'error-shown', passed: false, detail: '\x1b[31mError: 404\x1b[0m\x07' })],
        }),
      ]),
    );
    expect(xml).toContain('tests="2" failures="1"');
    expect(xml).toContain('name="2/5 a&lt;b"');
    expect(xml).toContain('error-shown: Error: 404');
    expect(xml).not.toMatch(/\x1b|\x07/);
  });

  it("counts and prints wg's failures of no message (a chat dead before anything was typed) and a replay's divergence, one each, in the lines, the exit code and JUnit", () => {
    const died = "wg's implicit chat died before anything was typed (Chat agent died): Exit status: exit code 0";
    const diverged = 'DIVERGED at event 1 (t=0.2s, key n): recorded focused_panel=graph, live focused_panel=right_panel';
    const r = run([scenario({ status: 'failed', wgFailures: [died], diverged, messages: [message({})] })]);
    expect(formatRunLines(r).filter((l) => l.startsWith('FAIL'))).toEqual([`FAIL nex-local ${died}`, `FAIL nex-local ${diverged}`]);
    expect(formatSummaryLine(r)).toBe('1 passed, 2 failed, 0 skipped');
    expect(exitCodeFor(r)).toBe(1);
    const xml = formatJunit(r);
    expect(xml).toContain('tests="3" failures="2"');
    expect(xml).toContain('message="wg\'s implicit chat died');
  });
});
