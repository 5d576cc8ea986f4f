// The read-only result model every reporter consumes. Plain data and file paths only:
// reporters format it and never reach back into smoke, wg or terminal.

/** How one message ended. `replied` is the only pass. */
export type Verdict =
  | 'replied'
  | 'error-shown' // an error line or pane on screen (LLM request failed, Error:, ⚠ ERROR:, Chat agent died, …)
  | 'pane-died' // the chat pane vanished; its last words come from the pty dump
  | 'no-reply' // nothing within the budget
  | 'stalled' // the reply began and never finished
  | 'tui-exited' // `wg tui` itself exited
  | 'tui-panicked' // Rust panic text or exit status 101
  | 'transcript-error' // the screen looked fine but wg's own transcript holds an error or not all of the reply
  | 'reply-cut' // the endpoint's stream was cut (error event, drop), yet wg showed the turn as finished
  | 'reply-garbled' // the turn finished but the screen shows only part of what the endpoint streamed
  | 'chat-failed' // wg itself showed the chat as failed (Chat unavailable, a refused start) before a message
  | 'chat-stuck' // wg launched the chat and it never became ready to type into (Booting…, no editor or prompt)
  | 'interrupted' // the run was stopped (Ctrl-C, SIGTERM, SIGHUP) while this message was judged: no verdict on wg
  | 'not-sent'; // never typed: the chat was already dead, or the run was stopped

/** Files written for one screen: each path is relative to the run's artifacts folder. */
export interface ScreenFiles {
  txt: string;
  ansi: string;
  html: string;
  svg: string;
}

/** What wg's on-disk transcript said about this turn. */
export interface TranscriptCheck {
  /** `ok`: an assistant reply after this message; `error`: an error recorded; `missing`: no entry; `unavailable`: no transcript to read. */
  status: 'ok' | 'error' | 'missing' | 'unavailable';
  detail?: string;
  file?: string;
  /** The assistant's whole text for this turn, when the transcript holds one. */
  assistantText?: string;
}

/** What the embedded endpoint streamed for one turn: the oracle the screen is checked against. */
export interface ReplyCheck {
  /** Chat requests that carried this message (wg's retries included). */
  requests: number;
  /** The last request's reply went out whole and its stream ended normally. */
  complete: boolean;
  /** Characters of reply text the endpoint sent in the last request. */
  chars: number;
  /** Fraction (0–1) of that text seen on screen (wrapping and markdown rendering aside). */
  seen: number;
  /** The first words of the reply that were not seen. */
  firstMissing?: string;
  /** Where the screen text came from: the screen, or the chat's history (scrolled off). */
  source: 'screen' | 'history';
  /** The last request's fault or error, in words. */
  cut?: string;
}

/** Who a failed message points at, from what the run recorded in its time window. */
export type CauseKind = 'app' | 'provider' | 'harness' | 'unknown';

export interface Cause {
  /** `app`: wg never called the model, or called it wrong; `provider`: the model endpoint failed or was slow; `harness`: we could not type, read or set up; `unknown`: the evidence does not decide. */
  kind: CauseKind;
  /** One sentence, with the numbers (`3 requests, all 404 POST /chat/completions: the path lacks /v1`). */
  text: string;
  /** What was looked at in the window, in words (requests, daemon-log lines, transcript, screen). */
  seen: string[];
}

export interface MessageResult {
  scenario: string;
  /** 1-based position in the scenario's message list. */
  index: number;
  total: number;
  text: string;
  verdict: Verdict;
  passed: boolean;
  /** The faults the embedded endpoint applied to this message's requests (`--faults`), in words. */
  faults?: string[];
  /** The signal that decided the verdict, in words (`screen: prompt back after "Reply 1 to: hi"`). */
  signal: string;
  /** The error text or the reply text, one line, trimmed. */
  detail?: string;
  /** From Enter to the first glyph of the reply. */
  firstGlyphMs?: number;
  /** From Enter to the turn visibly ending (prompt back, busy indicator gone). */
  settledMs?: number;
  /** From the turn visibly ending to the verdict: the harness's own settle delay. */
  verdictDelayMs?: number;
  /** wg's visible retries (`retrying 2/3`), so a slow provider is told apart from a broken app. */
  retries: string[];
  transcript?: TranscriptCheck;
  /** The endpoint's view of this turn (embedded endpoint only). */
  reply?: ReplyCheck;
  /** Why it did not pass (absent on a pass). */
  cause?: Cause;
  /** Wall-clock window of the message: typing started, verdict taken (ISO times). */
  window?: { start: string; end: string };
  /** Screen just before Enter and at the verdict. */
  before?: ScreenFiles;
  after?: ScreenFiles;
}

export type ScenarioStatus = 'passed' | 'failed' | 'skipped' | 'setup-failed' | 'interrupted';

/**
 * Where a setup failure happened, before wg launched a chat: the endpoint, `wg init` and the
 * service, `wg tui` starting, the chat surface being opened. Once wg has launched a chat, a
 * failure is a verdict on wg (chat-stuck, chat-failed, tui-exited), never a setup failure.
 */
export type SetupPhase = 'endpoint' | 'init-and-service' | 'tui-start' | 'chat-open';

export interface WgBuildInfo {
  path: string;
  version?: string;
  commit?: string;
  /** The build's chat generation, as the probe recognised it (src/wg/generations/). */
  generation?: string;
  /** The setup path chosen by probing this build. */
  setup?: string;
}

export interface ScenarioResult {
  name: string;
  /** With --repeat: which run of the scenario this is (1-based) and how many there are. */
  run?: { index: number; of: number };
  status: ScenarioStatus;
  /** The wg project folder the scenario ran in, and whether it is still there. */
  project?: { dir: string; kept: boolean };
  /** Why it was skipped or could not be set up; printed on the SKIP/FAIL line. */
  reason?: string;
  /** `--from-trace`: the first DIVERGED line; a failure of its own, whatever the messages' verdicts. */
  diverged?: string;
  /** wg's failures outside any message (its chat died before anything was typed): each one FAIL line and one failed count. */
  wgFailures?: string[];
  /** With status setup-failed: the phase that failed, printed on the FAIL line. */
  setupPhase?: SetupPhase;
  /** With status skipped: the run allowed this scenario's skip (`--allow-skip`): still printed and counted, but no exit 2 by itself. */
  skipAllowed?: boolean;
  /** Loud observations that are not per-message verdicts (`wg init rejected the user's command: …`). */
  findings: string[];
  messages: MessageResult[];
  wg?: WgBuildInfo;
  /** The surface the turns were read from (its detector's name: nex-pane, composer, claude-pane, …), for `replay --judge`. */
  surface?: string;
  /** The endpoint ran in lenient mode: every line says so. */
  lenient?: boolean;
  durationMs: number;
  /** Time spent on wg, the endpoint and the user's typing pace; durationMs minus this is the harness's own. */
  waitedMs?: number;
  /** waitedMs by phase (wg-commands, chat-open, typing, turn, tui-exit, wg-teardown, endpoint). */
  phases?: Record<string, number>;
  /** In a matrix: which cell this is, and its folder (where its report.html is). */
  cell?: MatrixCellInfo;
  /** `--jitter`: the seed of this run's schedule (its plan and what happened: jitter.json in its folder). */
  jitter?: { seed: number };
}

/** A matrix cell, as its merged results name it. */
export interface MatrixCellInfo {
  build: string;
  scenario: string;
  setup: string;
  repeat: number;
  dir: string;
}

export interface RunResult {
  scenarios: ScenarioResult[];
  artifactsDir?: string;
  rerunCommand?: string;
  startedAt: string;
  durationMs: number;
  /** With --repeat: per scenario and message, how many runs passed. */
  repeats?: RepeatSummary[];
  /** The run was stopped by a signal: which, and the exit status it gives (128 + its number). */
  interrupted?: { signal: string; exitCode: number };
}

/** One message over the runs of --repeat: passes out of the runs that judged it, with a 95% Wilson interval. */
export interface RepeatSummary {
  scenario: string;
  index: number;
  text: string;
  passed: number;
  runs: number;
  /** 95% Wilson score interval of the pass rate. */
  interval: [low: number, high: number];
  /** The first run where it failed: which run, the verdict, its evidence (the screen at the verdict), and its jitter seed under --jitter. */
  firstFailure?: { run: number; verdict: Verdict; evidence?: string; seed?: number };
}

/** The 95% Wilson score interval for `k` passes in `n` runs (z = 1.96). */
export function wilsonInterval(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

/** Per message, over every run of each scenario that judged it. */
export function summarizeRepeats(scenarios: readonly ScenarioResult[]): RepeatSummary[] {
  const out = new Map<string, RepeatSummary>();
  for (const scenario of scenarios) {
    for (const m of scenario.messages) {
      if (m.verdict === 'not-sent' || m.verdict === 'interrupted') continue;
      const key = `${scenario.name}\u0000${m.index}`;
      const s = out.get(key) ?? { scenario: scenario.name, index: m.index, text: m.text, passed: 0, runs: 0, interval: [0, 1] as [number, number] };
      s.runs++;
      if (m.passed) s.passed++;
      else
        s.firstFailure ??= {
          run: scenario.run?.index ?? 1,
          verdict: m.verdict,
          evidence: m.after?.txt,
          ...(scenario.jitter ? { seed: scenario.jitter.seed } : {}),
        };
      out.set(key, s);
    }
  }
  return [...out.values()].map((s) => ({ ...s, interval: wilsonInterval(s.passed, s.runs) }));
}

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

// Counts per message; a scenario that never reached its messages counts once.
export function countResults(run: RunResult): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const scenario of run.scenarios) {
    if (scenario.status === 'skipped' || (scenario.status === 'interrupted' && scenario.messages.length === 0)) counts.skipped++;
    else if (scenario.status === 'setup-failed') counts.failed++;
    // A replayed trace that diverged fails whatever its messages did.
    else if (scenario.diverged !== undefined || (scenario.status === 'failed' && scenario.messages.length === 0)) counts.failed++;
    counts.failed += scenario.wgFailures?.length ?? 0;
    for (const message of scenario.messages) {
      if (message.passed) counts.passed++;
      else if (message.verdict === 'not-sent' || message.verdict === 'interrupted') counts.skipped++;
      else counts.failed++;
    }
  }
  return counts;
}

/** The scenarios whose skip the run allowed (`--allow-skip`), in order, once each. */
export function allowedSkips(run: RunResult): string[] {
  return [...new Set(run.scenarios.filter((s) => s.status === 'skipped' && s.skipAllowed).map((s) => s.name))];
}

/** Documented exit codes of `wg-tui-e2e run`. */
export const EXIT = {
  ok: 0,
  failed: 1,
  skipped: 2,
  harness: 3, // = ERROR_EXIT_CODE in src/errors.ts (report imports nothing outside itself; a spec keeps them equal)
  bisectSkip: 125,
} as const;

// 0 all passed; 1 a message failed; 2 nothing failed but something was skipped loudly;
// 3 the harness or setup failed. Setup failures outrank message failures: the run proved nothing.
export function exitCodeFor(run: RunResult, options: { bisect?: boolean } = {}): number {
  // A stopped run proved nothing either way: it exits as the signal says, as a shell would.
  if (run.interrupted) return run.interrupted.exitCode;
  const setupFailed = run.scenarios.some((s) => s.status === 'setup-failed');
  const counts = countResults(run);
  // A skip the workflow allowed is printed and counted, but decides nothing by itself.
  const allowed = run.scenarios.filter((s) => s.status === 'skipped' && s.skipAllowed).length;
  const skippedWhole = run.scenarios.some((s) => s.status === 'skipped' && !s.skipAllowed);
  if (options.bisect) {
    if (setupFailed) return EXIT.bisectSkip;
    if (counts.failed > 0) return EXIT.failed;
    // A scenario skipped whole (no Pi, a setup variant not offered, no endpoint) judged nothing on
    // this build: `good` would be a guess, so git bisect is told to skip it.
    return skippedWhole ? EXIT.bisectSkip : EXIT.ok;
  }
  if (setupFailed) return EXIT.harness;
  if (counts.failed > 0) return EXIT.failed;
  if (counts.skipped - allowed > 0) return EXIT.skipped;
  return EXIT.ok;
}

// `wg-tui-e2e bisect` (src/smoke/bisect.ts): what each step did and what the bisect found.

export interface BisectTerms {
  /** git's new term: the state bisect looks for the first commit of. */
  new: string;
  /** git's old term. */
  old: string;
}

export type StepMark = 'pass' | 'fail' | 'skip';

export interface BisectStep {
  n: number;
  sha: string;
  subject: string;
  /** pass/fail/skip, and the git term it was marked with. */
  mark: StepMark;
  term: string;
  /** Why skipped, or `cached` / `built in 12.3s`. */
  build: string;
  /** The step's folder (its matrix.json and cells), absent when nothing ran. */
  dir?: string;
  /** PASS/FAIL/SKIP lines of the step's run. */
  lines: string[];
  run?: RunResult;
  /** Marked by the bisect (false: run at the end to compare a commit the bisect never tested). */
  bisected: boolean;
}

export interface BisectDifference {
  scenario: string;
  index: number;
  text: string;
  before: MessageResult & { dir: string };
  after: MessageResult & { dir: string };
}

export interface BisectResult {
  exitCode: number;
  /** The first commit of the new term. */
  first?: { sha: string; subject: string };
  /** Its parent: the last commit of the old term. */
  parent?: { sha: string; subject: string };
  /** Only skipped commits were left: the first new commit is one of these. */
  candidates?: string[];
  steps: BisectStep[];
  difference?: BisectDifference;
  /** Why it could not finish. */
  error?: string;
  durationMs: number;
  artifactsDir: string;
}
