import { formatCauseLine, formatMessageLine, formatRepeatLine, formatScenarioLines, formatSummaryLine } from './lines.js';
import type { MessageResult, RunResult, ScenarioResult } from './model.js';
import type { RunReporter } from './reporter.js';

export interface ConsoleReporterOptions {
  /** Where lines go; injectable so the reporter is testable. @default process.stdout */
  write?: (text: string) => void;
  /** Colour the verdict word. @default stdout is a TTY and NO_COLOR is unset */
  color?: boolean;
  /** A live line per message (spinner, elapsed time) until its verdict. @default stdout is a TTY and CI is unset */
  live?: boolean;
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
/** How often the live line is redrawn. */
const LIVE_EVERY_MS = 100;
const CLEAR_LINE = '\r\x1b[2K';

const COLORS: Record<string, string> = { PASS: '\x1b[32m', FAIL: '\x1b[31m', SKIP: '\x1b[33m', FINDING: '\x1b[35m' };

// Prints each greppable line the moment its result exists; the last line is the summary.
export function createConsoleReporter(options: ConsoleReporterOptions = {}): RunReporter {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const color = options.color ?? (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  const liveOn = options.live ?? (Boolean(process.stdout.isTTY) && !process.env.CI);
  let live: { timer: NodeJS.Timeout; text: string; started: number; frame: number } | undefined;
  const drawLive = () => {
    if (!live) return;
    live.frame = (live.frame + 1) % SPINNER.length;
    write(`${CLEAR_LINE}${SPINNER[live.frame]} ${live.text} ${((Date.now() - live.started) / 1000).toFixed(1)}s`);
  };
  const stopLive = () => {
    if (!live) return;
    clearInterval(live.timer);
    live = undefined;
    write(CLEAR_LINE);
  };
  const emit = (line: string): void => {
    // A line printed while a message is live goes above it; the next tick draws the live line again.
    if (live) write(CLEAR_LINE);
    const word = line.split(' ', 1)[0] ?? '';
    const tint = color ? COLORS[word] : undefined;
    write(tint ? `${tint}${word}\x1b[0m${line.slice(word.length)}\n` : `${line}\n`);
  };
  let findingsSeen = new Set<string>();
  return {
    onInfo(text: string) {
      emit(`INFO ${text}`);
    },
    onScenarioStart(name: string) {
      findingsSeen = new Set();
      emit(`RUN  ${name}`);
    },
    onFinding(scenario: string, finding: string) {
      findingsSeen.add(finding);
      emit(`FINDING ${scenario} ${finding}`);
    },
    onMessageStart(scenario: string, index: number, total: number, text: string) {
      if (!liveOn) return;
      stopLive();
      const shown = text.replace(/\s+/g, ' ');
      live = {
        timer: setInterval(drawLive, LIVE_EVERY_MS),
        text: `${scenario} ${index}/${total} ${JSON.stringify(shown.length > 40 ? `${shown.slice(0, 39)}…` : shown)}`,
        started: Date.now(),
        frame: 0,
      };
      live.timer.unref();
      drawLive();
    },
    onMessage(scenario: ScenarioResult, message: MessageResult) {
      stopLive();
      emit(formatMessageLine(scenario, message));
      const cause = formatCauseLine(message);
      if (cause) emit(cause);
    },
    onScenarioEnd(scenario: ScenarioResult) {
      // Findings already streamed are not repeated; skips and setup failures are printed here.
      for (const line of formatScenarioLines({ ...scenario, findings: scenario.findings.filter((f) => !findingsSeen.has(f)) })) emit(line);
    },
    onRunEnd(run: RunResult) {
      stopLive();
      for (const summary of run.repeats ?? []) emit(formatRepeatLine(summary));
      if (run.artifactsDir) write(`artifacts: ${run.artifactsDir}\n`);
      if (run.rerunCommand) write(`rerun: ${run.rerunCommand}\n`);
      write(`${formatSummaryLine(run)}\n`);
    },
  };
}
