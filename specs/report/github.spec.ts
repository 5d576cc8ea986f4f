import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleReporter } from '../../src/report/console.js';
import { createGithubReporter, formatAnnotation, formatStepSummary } from '../../src/report/github.js';
import type { MessageResult, RunResult, ScenarioResult } from '../../src/report/model.js';

const message = (over: Partial<MessageResult>): MessageResult => ({
  scenario: 'nex-local',
  index: 1,
  total: 2,
  text: 'hi',
  verdict: 'replied',
  passed: true,
  signal: 'screen: prompt back',
  retries: [],
  settledMs: 1900,
  ...over,
});
const failed = message({
  verdict: 'pane-died',
  passed: false,
  detail: 'API error 400: {"message":"LoRA, not enabled"}\nsecond line',
  cause: { kind: 'app', text: '1 request, all refused: 1× 400 POST /v1/chat/completions — the provider prefix was sent', seen: [] },
});
const scenario = (messages: MessageResult[]): ScenarioResult => ({ name: 'nex-local', status: 'failed', findings: [], messages, durationMs: 1 });
const run = (scenarios: ScenarioResult[]): RunResult => ({ scenarios, startedAt: '2026-12-02T00:00:00Z', durationMs: 1, artifactsDir: '/tmp/a' });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('GitHub Actions output', () => {
  it('annotates a failed message with its cause, escaped as workflow commands want', () => {
    const line = formatAnnotation(scenario([failed]), failed);
    expect(line).toBe(
      '::error title=nex-local 1/2 "hi" pane-died::API error 400: {"message":"LoRA, not enabled"}%0Asecond line — cause: app — 1 request, all refused: 1× 400 POST /v1/chat/completions — the provider prefix was sent',
    );
    expect(formatAnnotation(scenario([failed]), message({}))).toBeUndefined();
    expect(formatAnnotation(scenario([failed]), message({ verdict: 'not-sent', passed: false }))).toBeUndefined();
    // `:` and `,` in the title would end the property.
    expect(formatAnnotation(scenario([failed]), { ...failed, text: 'a: b, c' })).toMatch(/^::error title=nex-local 1\/2 "a%3A b%2C c" pane-died::/);
  });

  it('writes one table row per message into the job summary, with the cause', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-e2e-gh-'));
    dirs.push(dir);
    const file = join(dir, 'summary.md');
    const lines: string[] = [];
    const reporter = createGithubReporter({ write: (t) => void lines.push(t), summaryFile: file });
    const r = run([
      scenario([message({}), failed]),
      { name: 'nex-live', status: 'skipped', reason: 'NEX SMOKE SKIPPED — endpoint unreachable', findings: [], messages: [], durationMs: 0 },
    ]);
    reporter.onMessage?.(r.scenarios[0]!, failed);
    reporter.onRunEnd?.(r);
    expect(lines).toEqual([`${formatAnnotation(r.scenarios[0]!, failed)}\n`]);
    const summary = readFileSync(file, 'utf8');
    expect(summary).toBe(formatStepSummary(r));
    expect(summary).toContain('| nex-local | 1/2 "hi" | ✅ replied | 1.9s |  |');
    expect(summary).toContain('| nex-local | 1/2 "hi" | ❌ pane-died | 1.9s | app: 1 request, all refused');
    expect(summary).toContain('| nex-live | — | ⏭ SKIP skipped | | NEX SMOKE SKIPPED — endpoint unreachable |');
    expect(summary).toMatch(/1 passed, 1 failed, 0 not typed — artifacts: `\/tmp\/a`/);
  });
});

describe('the live line on a terminal', () => {
  it('shows the message with a spinner and elapsed time until its verdict, then only the verdict line', async () => {
    const out: string[] = [];
    const reporter = createConsoleReporter({ write: (t) => void out.push(t), color: false, live: true });
    reporter.onMessageStart?.('nex-local', 1, 2, 'hi');
    await new Promise((r) => setTimeout(r, 250));
    reporter.onMessage?.(scenario([message({})]), message({}));
    const text = out.join('');
    expect(text).toMatch(/\r\x1b\[2K⠙ nex-local 1\/2 "hi" 0\.\ds/);
    expect(text.endsWith('\r\x1b[2KPASS nex-local 1/2 "hi" replied in 1.9s (first glyph ?)\n')).toBe(true);
    // Nothing is drawn after the verdict.
    const after = out.length;
    await new Promise((r) => setTimeout(r, 250));
    expect(out.length).toBe(after);
  });

  it('plain lines only when not a terminal', () => {
    const out: string[] = [];
    const reporter = createConsoleReporter({ write: (t) => void out.push(t), color: false, live: false });
    reporter.onMessageStart?.('nex-local', 1, 2, 'hi');
    reporter.onMessage?.(scenario([message({})]), message({}));
    expect(out).toEqual(['PASS nex-local 1/2 "hi" replied in 1.9s (first glyph ?)\n']);
  });
});

describe('an allowed skip in the job summary', () => {
  it('is marked allowed on its row and listed apart under the table', () => {
    const summary = formatStepSummary(
      run([{ name: 'nex-live', status: 'skipped', skipAllowed: true, reason: 'NEX SMOKE SKIPPED — no endpoint', findings: [], messages: [], durationMs: 0 }]),
    );
    expect(summary).toContain('| nex-live | — | ⏭ SKIP skipped (allowed) | | NEX SMOKE SKIPPED — no endpoint |');
    expect(summary).toMatch(/skips allowed: nex-live/);
  });
});
