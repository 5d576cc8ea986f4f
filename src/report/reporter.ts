import type { MessageResult, RunResult, ScenarioResult } from './model.js';

/** Hooks a reporter may implement; each receives plain result data as soon as it exists. */
export interface RunReporter {
  /** Context worth a line of its own (which wg, which generation and why). */
  onInfo?(text: string): void;
  onScenarioStart?(name: string): void;
  onFinding?(scenario: string, finding: string): void;
  /** A message is about to be typed (a live line may show it until its verdict). */
  onMessageStart?(scenario: string, index: number, total: number, text: string): void;
  onMessage?(scenario: ScenarioResult, message: MessageResult): void;
  onScenarioEnd?(scenario: ScenarioResult): void;
  onRunEnd?(run: RunResult): void;
}

// Sends every event to every reporter; one that throws is recorded and reported at the end,
// never allowed to break the others or the run.
export class ReporterMultiplexer implements Required<RunReporter> {
  readonly failures: Array<{ hook: string; error: unknown }> = [];

  constructor(private readonly reporters: RunReporter[]) {}

  private each(hook: keyof RunReporter, call: (r: RunReporter) => void): void {
    for (const reporter of this.reporters) {
      if (!reporter[hook]) continue;
      try {
        call(reporter);
      } catch (error) {
        this.failures.push({ hook, error });
      }
    }
  }

  onInfo(text: string): void {
    this.each('onInfo', (r) => r.onInfo?.(text));
  }
  onScenarioStart(name: string): void {
    this.each('onScenarioStart', (r) => r.onScenarioStart?.(name));
  }
  onFinding(scenario: string, finding: string): void {
    this.each('onFinding', (r) => r.onFinding?.(scenario, finding));
  }
  onMessageStart(scenario: string, index: number, total: number, text: string): void {
    this.each('onMessageStart', (r) => r.onMessageStart?.(scenario, index, total, text));
  }
  onMessage(scenario: ScenarioResult, message: MessageResult): void {
    this.each('onMessage', (r) => r.onMessage?.(scenario, message));
  }
  onScenarioEnd(scenario: ScenarioResult): void {
    this.each('onScenarioEnd', (r) => r.onScenarioEnd?.(scenario));
  }
  onRunEnd(run: RunResult): void {
    this.each('onRunEnd', (r) => r.onRunEnd?.(run));
  }
}
