import stripAnsi from 'strip-ansi';
import { formatMessageLine } from './lines.js';
import type { RunResult, ScenarioResult } from './model.js';

// JUnit XML, one test case per message. ANSI is stripped and characters XML cannot hold are dropped,
// as vitest's junit reporter does, so CI viewers never choke on a screen dump.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function escapeXml(text: string): string {
  return stripAnsi(text).replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const secs = (ms: number | undefined): string => ((ms ?? 0) / 1000).toFixed(3);

function scenarioCases(scenario: ScenarioResult): string[] {
  const cases: string[] = [];
  const cls = escapeXml(`wg-tui-e2e.${scenario.name}`);
  if (scenario.status === 'skipped' || scenario.status === 'setup-failed' || (scenario.status === 'interrupted' && scenario.messages.length === 0)) {
    const tag = scenario.status === 'setup-failed' ? 'failure' : 'skipped';
    const reason = escapeXml(scenario.reason ?? scenario.status);
    cases.push(
      `    <testcase classname="${cls}" name="${escapeXml(`${scenario.name} setup`)}" time="${secs(scenario.durationMs)}">\n      <${tag} message="${reason}"/>\n    </testcase>`,
    );
  }
  // Failures of no message (wg's chat dead before anything was typed; a replay's divergence): a case each.
  for (const [i, failure] of [...(scenario.wgFailures ?? []), ...(scenario.diverged ? [scenario.diverged] : [])].entries())
    cases.push(
      `    <testcase classname="${cls}" name="${escapeXml(`${scenario.name} outside the messages ${i + 1}`)}" time="0.000">\n      <failure message="${escapeXml(failure)}"/>\n    </testcase>`,
    );
  for (const message of scenario.messages) {
    const name = escapeXml(`${message.index}/${message.total} ${message.text}`);
    let body = '';
    if (message.verdict === 'not-sent' || message.verdict === 'interrupted')
      body = `\n      <skipped message="${escapeXml(message.detail ?? 'not sent')}"/>\n    `;
    else if (!message.passed) {
      const evidence = [message.before?.txt, message.after?.txt].filter(Boolean).join(', ');
      const cause = message.cause ? `\ncause: ${message.cause.kind} — ${message.cause.text}\nseen: ${message.cause.seen.join('; ')}` : '';
      const text = `${formatMessageLine(scenario, message)}${cause}\nevidence: ${evidence}`;
      const headline = message.cause ? ` [cause: ${message.cause.kind}]` : '';
      body = `\n      <failure message="${escapeXml(`${message.verdict}: ${message.detail ?? ''}${headline}`)}" type="${message.verdict}">${escapeXml(text)}</failure>\n    `;
    }
    cases.push(`    <testcase classname="${cls}" name="${name}" time="${secs(message.settledMs)}">${body}</testcase>`);
  }
  return cases;
}

/** The whole run as one JUnit document. */
export function formatJunit(run: RunResult): string {
  const suites = run.scenarios.map((scenario) => {
    const cases = scenarioCases(scenario);
    const failures = cases.filter((c) => c.includes('<failure')).length;
    const skipped = cases.filter((c) => c.includes('<skipped')).length;
    return `  <testsuite name="${escapeXml(scenario.name)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${secs(scenario.durationMs)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="wg-tui-e2e" timestamp="${escapeXml(run.startedAt)}" time="${secs(run.durationMs)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
