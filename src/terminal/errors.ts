// Errors raised by the terminal session engine. Code branches on `name` and fields, never on text.
import { HarnessError } from '../errors.js';
import type { ExitInfo } from './types.js';

/** Why a wait ended without its condition being met. */
export type WaitReason = 'timeout' | 'exited' | 'aborted' | 'disposed';

/** Everything a failed wait knows; the message is laid out by `formatWaitMessage` alone. */
export interface WaitFailure {
  condition: string;
  reason: WaitReason;
  elapsedMs: number;
  timeoutMs: number;
  phase?: string | undefined;
  screenText: string;
  exit?: ExitInfo | undefined;
}

/** A wait ended by timeout, program exit, abort or dispose. */
export class WaitError extends HarnessError {
  readonly condition: string;
  readonly reason: WaitReason;
  readonly elapsedMs: number;
  readonly timeoutMs: number;
  readonly phase: string | undefined;
  readonly screenText: string;
  readonly exit: ExitInfo | undefined;
  constructor(failure: WaitFailure, options?: { cause?: unknown }) {
    super(formatWaitMessage(failure), options);
    this.condition = failure.condition;
    this.reason = failure.reason;
    this.elapsedMs = failure.elapsedMs;
    this.timeoutMs = failure.timeoutMs;
    this.phase = failure.phase;
    this.screenText = failure.screenText;
    this.exit = failure.exit;
  }
}

/**
 * For a wait that may run out (`.catch(timeoutAsUndefined)`): its timeout becomes `undefined`; a
 * program that exited, a disposed session or an abort is rethrown, never taken for "not yet".
 */
export function timeoutAsUndefined(error: unknown): undefined {
  if (error instanceof WaitError && error.reason === 'timeout') return undefined;
  throw error;
}

/** The program could not be started (not found, not executable, pty failure). */
export class SpawnError extends HarnessError {
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Input was sent to a program that has already exited or a disposed session. */
export class SessionClosedError extends HarnessError {}

const SCREEN_LINES_SHOWN = 40;

/** Lays out every wait failure the same way: condition, reason, timing, phase, screen. */
export function formatWaitMessage(f: WaitFailure): string {
  const why =
    f.reason === 'timeout'
      ? 'timed out'
      : f.reason === 'exited'
        ? `program exited (${describeExit(f.exit)})`
        : f.reason === 'aborted'
          ? 'aborted by signal'
          : 'session disposed';
  const head = [`wait ${why}: ${f.condition}`, `  elapsed ${Math.round(f.elapsedMs)} ms of ${f.timeoutMs} ms budget`];
  if (f.phase) head.push(`  phase: ${f.phase}`);
  const lines = f.screenText.split('\n');
  const shown = lines.slice(-SCREEN_LINES_SHOWN);
  if (shown.length < lines.length) shown.unshift(`… ${lines.length - shown.length} lines above`);
  return [...head, '---SCREEN START---', ...shown, '---SCREEN END---'].join('\n');
}

/** "exit code 1" / "signal SIGKILL" / "still running". */
export function describeExit(exit: ExitInfo | undefined): string {
  if (!exit) return 'still running';
  if (exit.signal) return `signal ${exit.signal}`;
  return `exit code ${exit.exitCode}`;
}
