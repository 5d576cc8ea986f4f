import { appendFileSync } from 'node:fs';
import { allowedSkips, type MessageResult, type RunResult, type ScenarioResult } from './model.js';
import type { RunReporter } from './reporter.js';

// Under GitHub Actions: an `::error` annotation per failed message, with its cause, as soon as
// it is judged (the run's log and the PR's checks show it), and at the end the per-message table
// in the job's summary ($GITHUB_STEP_SUMMARY). Workflow commands:
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions

/** Escapes for a workflow command's message (`%`, CR, LF) and, in properties, also `:` and `,`. */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

const skipped = (m: MessageResult) => m.verdict === 'not-sent' || m.verdict === 'interrupted';

/** `::error title=nex-local 1/5 pane-died::API error 400 … — cause: app — …`; undefined for a pass or a message never typed. */
export function formatAnnotation(scenario: ScenarioResult, message: MessageResult): string | undefined {
  if (message.passed || skipped(message)) return undefined;
  const title = `${scenario.name}${scenario.run && scenario.run.of > 1 ? `#${scenario.run.index}` : ''} ${message.index}/${message.total} "${message.text}" ${message.verdict}`;
  const cause = message.cause ? ` — cause: ${message.cause.kind} — ${message.cause.text}` : '';
  return `::error title=${escapeProperty(title)}::${escapeData(`${message.detail ?? message.signal}${cause}`)}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
const secs = (ms: number | undefined) => (ms === undefined ? '' : `${(ms / 1000).toFixed(1)}s`);

/** The job summary: one row per message, setup failures and skips per scenario. */
export function formatStepSummary(run: RunResult): string {
  const rows: string[] = ['## wg tui smoke', '', '| scenario | message | verdict | time | cause |', '|---|---|---|---|---|'];
  for (const scenario of run.scenarios) {
    const name = `${scenario.name}${scenario.run && scenario.run.of > 1 ? `#${scenario.run.index}` : ''}`;
    if (scenario.messages.length === 0) {
      const status = scenario.status === 'skipped' && scenario.skipAllowed ? 'skipped (allowed)' : scenario.status;
      rows.push(`| ${cell(name)} | — | ${scenario.status === 'skipped' ? '⏭ SKIP' : '❌ FAIL'} ${cell(status)} | | ${cell(scenario.reason ?? '')} |`);
      continue;
    }
    for (const m of scenario.messages) {
      const mark = m.passed ? '✅' : skipped(m) ? '⏭' : '❌';
      const cause = m.cause && !skipped(m) ? `${m.cause.kind}: ${m.cause.text}` : '';
      rows.push(`| ${cell(name)} | ${m.index}/${m.total} ${cell(JSON.stringify(m.text))} | ${mark} ${m.verdict} | ${secs(m.settledMs)} | ${cell(cause)} |`);
    }
  }
  const count = (p: (m: MessageResult) => boolean) => run.scenarios.reduce((n, s) => n + s.messages.filter(p).length, 0);
  const allowed = allowedSkips(run);
  rows.push(
    '',
    `${count((m) => m.passed)} passed, ${count((m) => !m.passed && !skipped(m))} failed, ${count(skipped)} not typed${allowed.length > 0 ? `; skips allowed: ${allowed.join(', ')}` : ''}${run.artifactsDir ? ` — artifacts: \`${run.artifactsDir}\`` : ''}`,
    '',
  );
  return rows.join('\n');
}

export interface GithubReporterOptions {
  write?: (text: string) => void;
  /** The job summary file; GitHub sets GITHUB_STEP_SUMMARY. */
  summaryFile?: string;
}

export function createGithubReporter(options: GithubReporterOptions = {}): RunReporter {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  return {
    onMessage(scenario, message) {
      const line = formatAnnotation(scenario, message);
      if (line) write(`${line}\n`);
    },
    onRunEnd(run) {
      if (options.summaryFile) appendFileSync(options.summaryFile, formatStepSummary(run));
    },
  };
}
