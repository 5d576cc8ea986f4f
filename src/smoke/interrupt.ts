// Ctrl-C, SIGTERM and SIGHUP stop a run the same way: the first signal aborts what is in flight
// (the message being judged is marked `interrupted`, the rest `not-sent`) and the run then unwinds
// normally, so teardown runs once and every report is still written. A second signal during
// teardown does not cut it short; a third says what is still alive and exits at once.
// The handlers exist only while a run is going, so the process's default signal behaviour (and
// any host's, such as a test runner's worker) is untouched the rest of the time.

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** Exit status after a signal: 128 + its number, as a shell reports it. */
export const SIGNAL_EXIT: Record<StopSignal, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

const SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface RunStopIo {
  /** Where the stop notices go. @default process.stderr */
  write?: (text: string) => void;
  /** Ends the process on the third signal. @default process.exit */
  exit?: (code: number) => void;
}

export class RunStop {
  private readonly controller = new AbortController();
  private count = 0;
  private received_: StopSignal | undefined;
  private readonly alive = new Map<string, string>();
  private readonly write: (text: string) => void;
  private readonly exit: (code: number) => void;

  constructor(io: RunStopIo = {}) {
    this.write = io.write ?? ((text) => void process.stderr.write(text));
    this.exit = io.exit ?? ((code) => process.exit(code));
  }

  /** Aborted at the first signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The first signal received, if any. */
  get received(): StopSignal | undefined {
    return this.received_;
  }

  /** Stops the run as a signal would once `ms` have passed (`--deadline`); the returned function cancels it. */
  deadline(ms: number): () => void {
    const timer = setTimeout(() => {
      this.write(`\nwg-tui-e2e: the --deadline of ${ms / 1000}s passed: stopping as on Ctrl-C (teardown, then the reports).\n`);
      this.controller.abort(`the --deadline of ${ms / 1000}s`);
    }, ms);
    timer.unref();
    return () => clearTimeout(timer);
  }

  /** Names something the run started and must stop, until the returned function is called. */
  track(key: string, description: string): () => void {
    this.alive.set(key, description);
    return () => void this.alive.delete(key);
  }

  /** One signal, as the handlers get it (exported for specs, which must not signal their worker). */
  deliver(signal: StopSignal): void {
    this.count++;
    if (this.count === 1) {
      this.received_ = signal;
      this.write(
        `\nwg-tui-e2e: ${signal}: stopping; the message in flight is marked interrupted, then teardown (service, tmux, processes) and the reports. A second signal does not cut teardown short; a third exits at once.\n`,
      );
      this.controller.abort(signal);
    } else if (this.count === 2) {
      this.write(`wg-tui-e2e: ${signal}: still tearing down (${this.describeAlive()}); send it once more to exit at once.\n`);
    } else {
      this.write(`wg-tui-e2e: ${signal}: exiting without finishing teardown; still alive: ${this.describeAlive()}\n`);
      this.exit(SIGNAL_EXIT[this.received_ ?? signal]);
    }
  }

  private describeAlive(): string {
    return this.alive.size > 0 ? [...this.alive.values()].join('; ') : 'nothing tracked';
  }

  /** Installs the handlers; the returned function removes them. */
  listen(): () => void {
    const handlers = SIGNALS.map((signal) => [signal, () => this.deliver(signal)] as const);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    // A closed terminal (SIGHUP) makes every later write to it fail with EIO or EPIPE: lines are
    // lost, the run and its teardown must not be.
    const ignore = () => undefined;
    process.stdout.on('error', ignore);
    process.stderr.on('error', ignore);
    return () => {
      for (const [signal, handler] of handlers) process.removeListener(signal, handler);
      process.stdout.removeListener('error', ignore);
      process.stderr.removeListener('error', ignore);
    };
  }
}
