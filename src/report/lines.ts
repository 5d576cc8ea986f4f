import { allowedSkips, countResults, type MessageResult, type RepeatSummary, type RunResult, type ScenarioResult } from './model.js';

// Pure formatters for the greppable lines. Every mode prints the same lines; colour is added
// elsewhere, and only on a TTY.

const seconds = (ms: number | undefined): string => (ms === undefined ? '?' : `${(ms / 1000).toFixed(1)}s`);

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > 40 ? `${oneLine.slice(0, 39)}…` : oneLine);
}

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const size = (chars: number): string => (chars >= 1000 ? `${(chars / 1000).toFixed(1)}k` : String(chars));

// `, 100% of 6.9k chars seen`: how much of what the endpoint streamed the screen showed.
const seenText = (message: MessageResult): string =>
  message.reply
    ? `, ${Math.floor(message.reply.seen * 100)}% of ${size(message.reply.chars)} chars seen${message.reply.source === 'history' ? ' (scrolled)' : ''}`
    : '';

const lenientTag = (scenario: ScenarioResult): string => (scenario.lenient ? ' [LENIENT endpoint]' : '');

// ` [jitter seed 1234]`: a jittered run's FAIL line names the seed that reruns its schedule (`--jitter 1234`).
const seedTag = (scenario: ScenarioResult): string => (scenario.jitter ? ` [jitter seed ${scenario.jitter.seed}]` : '');

// `nex-local`, or `nex-local#2` for the second run under --repeat.
const scenarioLabel = (scenario: ScenarioResult): string => (scenario.run && scenario.run.of > 1 ? `${scenario.name}#${scenario.run.index}` : scenario.name);

/** `PASS nex-local 1/5 "hi" replied in 1.9s (first glyph 0.4s)` or `FAIL … pane-died: API error 400: …`. */
export function formatMessageLine(scenario: ScenarioResult, message: MessageResult): string {
  const head = `${scenarioLabel(scenario)} ${message.index}/${message.total} ${quote(message.text)}`;
  const retries = `${message.retries.length > 0 ? ` [wg retried: ${message.retries.join(', ')}]` : ''}${message.faults ? ` [endpoint faults: ${message.faults.join(', ')}]` : ''}`;
  if (message.passed) {
    return `PASS ${head} replied in ${seconds(message.settledMs)} (first glyph ${seconds(message.firstGlyphMs)}${seenText(message)})${retries}${lenientTag(scenario)}`;
  }
  if (message.verdict === 'not-sent' || message.verdict === 'interrupted') {
    return `SKIP ${head} ${message.verdict}: ${oneLine(message.detail ?? message.signal)}${lenientTag(scenario)}`;
  }
  const detail = message.detail ? `: ${oneLine(message.detail)}` : '';
  const timing = message.settledMs !== undefined ? ` after ${seconds(message.settledMs)}` : '';
  return `FAIL ${head} ${message.verdict}${detail}${timing} (signal: ${oneLine(message.signal, 120)})${retries}${lenientTag(scenario)}${seedTag(scenario)}`;
}

/** `  cause: app — no request reached the endpoint …` under a message that did not pass; undefined for a pass or no cause. */
export function formatCauseLine(message: MessageResult): string | undefined {
  // A message never typed (SKIP line) carries its dead message's cause in the JSON only.
  if (message.passed || !message.cause || message.verdict === 'not-sent' || message.verdict === 'interrupted') return undefined;
  const seen = message.cause.kind === 'unknown' && message.cause.seen.length > 0 ? ` ${oneLine(`(seen: ${message.cause.seen.join('; ')})`, 400)}` : '';
  return `  cause: ${message.cause.kind} — ${oneLine(message.cause.text, 400)}${seen}`;
}

/** The scenario-level lines: a loud skip, a setup failure, and every finding. */
export function formatScenarioLines(scenario: ScenarioResult): string[] {
  const lines: string[] = [];
  for (const finding of scenario.findings) lines.push(`FINDING ${scenario.name} ${oneLine(finding, 400)}`);
  if (scenario.status === 'interrupted') lines.push(`SKIP ${scenario.name} interrupted: ${oneLine(scenario.reason ?? 'the run was stopped', 400)}`);
  if (scenario.status === 'skipped') lines.push(`SKIP ${scenario.name} ${oneLine(scenario.reason ?? 'skipped', 400)}`);
  for (const failure of scenario.wgFailures ?? []) lines.push(`FAIL ${scenario.name} ${oneLine(failure, 400)}${seedTag(scenario)}`);
  if (scenario.diverged !== undefined) lines.push(`FAIL ${scenario.name} ${oneLine(scenario.diverged, 400)}`);
  else if (scenario.status === 'failed' && scenario.messages.length === 0)
    lines.push(`FAIL ${scenario.name} ${oneLine(scenario.reason ?? 'failed', 400)}${seedTag(scenario)}`);
  if (scenario.status === 'setup-failed') {
    const phase = scenario.setupPhase ? ` (phase: ${scenario.setupPhase})` : '';
    lines.push(`FAIL ${scenario.name} setup${phase}: ${oneLine(scenario.reason ?? 'setup failed', 400)}${seedTag(scenario)}`);
  }
  return lines;
}

/** `REPEAT nex-local 2 "what can you help me with?" 4/5 passed (95% 38%–96%); first failure run 3: stalled (…)`. */
export function formatRepeatLine(s: RepeatSummary): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const failure = s.firstFailure
    ? `; first failure run ${s.firstFailure.run}${s.firstFailure.seed !== undefined ? ` (jitter seed ${s.firstFailure.seed})` : ''}: ${s.firstFailure.verdict}${s.firstFailure.evidence ? ` (${s.firstFailure.evidence})` : ''}`
    : '';
  return `REPEAT ${s.scenario} ${s.index} ${quote(s.text)} ${s.passed}/${s.runs} passed (95% ${pct(s.interval[0])}–${pct(s.interval[1])})${failure}`;
}

/** The closing line CI and people grep: `N passed, N failed, N skipped`. */
export function formatSummaryLine(run: RunResult): string {
  const { passed, failed, skipped } = countResults(run);
  const allowed = allowedSkips(run);
  return `${passed} passed, ${failed} failed, ${skipped} skipped${allowed.length > 0 ? ` (${allowed.length} allowed: ${allowed.join(', ')})` : ''}`;
}

/** Every line of a finished run, in order. */
export function formatRunLines(run: RunResult): string[] {
  const lines: string[] = [];
  for (const scenario of run.scenarios) {
    lines.push(...formatScenarioLines(scenario));
    for (const message of scenario.messages) {
      lines.push(formatMessageLine(scenario, message));
      const cause = formatCauseLine(message);
      if (cause) lines.push(cause);
    }
  }
  for (const summary of run.repeats ?? []) lines.push(formatRepeatLine(summary));
  if (run.artifactsDir) lines.push(`artifacts: ${run.artifactsDir}`);
  if (run.rerunCommand) lines.push(`rerun: ${run.rerunCommand}`);
  lines.push(formatSummaryLine(run));
  return lines;
}
