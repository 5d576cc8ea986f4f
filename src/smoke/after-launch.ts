import { ChatFailedError, HarnessError, SetupError, SkipError } from '../errors.js';
import type { Verdict } from '../report/model.js';
import { describeExit, WaitError } from '../terminal/index.js';
import { lastScreenWords } from '../wg/surfaces/index.js';

// Blame by phase. Before wg launches a chat, an opener that fails is setup (exit 3, skipped by a
// bisect). Once wg has launched one (Enter on a launcher row, the implicit chat's pane or banner
// drawn), what follows is wg's: the TUI exiting is tui-exited, and a chat that never becomes ready
// to type into (`Booting pi...` for good, a banner with no prompt) is chat-stuck, exit 1, with
// wg's last words on the screen. Pure, so recorded screens test it.

export interface LaunchedVerdict {
  verdict: Verdict;
  signal: string;
  detail: string;
}

/**
 * What an opener's error after wg launched the chat (`launched`, in words) says of wg; undefined
 * where it says nothing of wg: a counted skip, a stop, or a bug of the harness's own (not a
 * HarnessError), which the caller reports as it would before the launch.
 */
export function afterLaunch(error: unknown, launched: string, screen: readonly string[]): LaunchedVerdict | undefined {
  if (error instanceof SkipError || !(error instanceof HarnessError)) return undefined;
  if (error instanceof WaitError && (error.reason === 'aborted' || error.reason === 'disposed')) return undefined;
  const words = lastScreenWords(error instanceof WaitError ? error.screenText.split('\n') : screen);
  if (error instanceof WaitError && error.reason === 'exited')
    return { verdict: 'tui-exited', signal: `phase: chat boot — wg tui exited (${describeExit(error.exit)}) after wg launched ${launched}`, detail: words };
  const what =
    error instanceof WaitError
      ? `not ready after ${Math.round(error.elapsedMs / 1000)}s (${error.phase ?? error.condition})`
      : `not ready: ${error.message.split('\n')[0] ?? ''}`;
  return { verdict: 'chat-stuck', signal: `phase: chat boot — wg launched ${launched}; ${what}`, detail: words };
}

/**
 * What an opener's error means: wg's own failed chat (chat-failed, with its words), wg's after the
 * launch (afterLaunch), else an error to rethrow — `wg tui` exiting before any launch is a setup
 * failure naming how it exited.
 */
export function openFailure(
  error: unknown,
  at: { launched: string | undefined; stopped: boolean; screen: readonly string[]; exit: string },
): { failed: LaunchedVerdict } | { rethrow: unknown } {
  if (error instanceof ChatFailedError)
    return { failed: { verdict: 'chat-failed', signal: 'screen: wg showed the chat as failed while it opened', detail: error.words } };
  const stuck = at.launched !== undefined && !at.stopped && afterLaunch(error, at.launched, at.screen);
  if (stuck) return { failed: stuck };
  if (error instanceof WaitError && error.reason === 'exited')
    return { rethrow: new SetupError(`wg tui exited before the chat opened (${at.exit}): ${error.screenText.split('\n').slice(-3).join(' ').trim()}`) };
  return { rethrow: error };
}
