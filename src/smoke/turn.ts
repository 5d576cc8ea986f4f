import type { MessageResult, ScreenFiles, TranscriptCheck, Verdict } from '../report/model.js';
import { WaitError, type Screen, type TerminalSession } from '../terminal/index.js';
import { findPanic, type TurnContext, type TurnDetector, type TurnObservation } from '../wg/detectors/observation.js';

// One message, typed as a person does, judged from every parsed screen until the turn visibly
// ends. No fixed "screen stable" window: the verdict is taken on the frame that shows the turn
// over (prompt or editor back, busy indicator gone).

export interface TurnOptions {
  session: TerminalSession;
  detector: TurnDetector;
  scenario: string;
  turn: TurnContext;
  total: number;
  /** Time from Enter until a turn with no reply counts as `no-reply` (or `stalled`). */
  budgetMs: number;
  /** Delay between typed characters; 0 types the whole text at once. */
  typeDelayMs: number;
  writeScreen: (name: string) => Promise<ScreenFiles | undefined>;
  /** wg's own transcript for this turn; polled briefly, as the file may lag the screen. */
  readTranscript?: (turn: TurnContext) => Promise<TranscriptCheck>;
  /** The chat's last words when its pane vanished (old wg removes a dead pane within a frame). */
  lastWords?: () => Promise<string | undefined>;
  /** Receives the time spent typing (the user's pace) and waiting on wg (Enter to decision). */
  timing?: (phase: 'typing' | 'turn', ms: number) => void;
}

export interface Decision {
  verdict: Verdict;
  signal: string;
  detail?: string;
  at: number;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

// Turns one observation into a decision, or undefined while the turn is still under way.
export function decide(obs: TurnObservation, at: number): Decision | undefined {
  if (obs.panic) return { verdict: 'tui-panicked', signal: 'screen: Rust panic text', detail: obs.panic, at };
  if (obs.chatGone) return { verdict: 'pane-died', signal: `screen: chat pane gone ("${obs.chatGone}")`, at };
  if (!obs.ended) return undefined;
  if (obs.error) return { verdict: 'error-shown', signal: 'screen: error line in the turn, prompt back', detail: obs.error, at };
  if (!obs.reply) return { verdict: 'error-shown', signal: 'screen: prompt back with an empty reply', detail: 'empty reply', at };
  return { verdict: 'replied', signal: 'screen: reply then prompt back, not busy', detail: obs.reply, at };
}

async function settleTranscript(options: TurnOptions, screenReplied: boolean): Promise<TranscriptCheck | undefined> {
  if (!options.readTranscript) return undefined;
  // The transcript is written around the same moment the prompt comes back: after a reply on
  // screen, allow it a short lag. After a failure it can only confirm the error: read it once.
  const deadline = performance.now() + (screenReplied ? 1000 : 0);
  for (;;) {
    const check = await options.readTranscript(options.turn);
    if (check.status !== 'missing' || performance.now() > deadline) return check;
    await new Promise((r) => setTimeout(r, 25));
  }
}

// Screen and transcript must agree; a screen that looks fine over an error is a failure.
function crossCheck(decision: Decision, transcript: TranscriptCheck | undefined): Decision {
  if (!transcript || transcript.status === 'unavailable') return decision;
  if (decision.verdict === 'replied' && transcript.status !== 'ok') {
    return {
      ...decision,
      verdict: 'transcript-error',
      signal: `screen showed a reply but the transcript says ${transcript.status}`,
      detail: transcript.detail ?? decision.detail,
    };
  }
  if (decision.verdict !== 'replied' && transcript.status === 'ok') {
    return { ...decision, signal: `${decision.signal}; DISAGREEMENT: the transcript holds a reply` };
  }
  if (decision.verdict !== 'replied' && transcript.status === 'error' && !decision.detail) {
    return { ...decision, detail: transcript.detail };
  }
  return decision;
}

/**
 * Follows one turn frame by frame: first reply glyph, visible retries, any error painted on the
 * way (old wg paints nex's error for a few hundred ms before removing the pane), and the decision.
 * The live run and the replay of recorded real sessions both go through it.
 */
export class TurnTracker {
  firstGlyphAt: number | undefined;
  endedAt: number | undefined;
  last: TurnObservation | undefined;
  /** The last error text seen on any frame of this turn. */
  seenError: string | undefined;
  readonly retries = new Set<string>();

  constructor(
    private readonly detector: TurnDetector,
    private readonly turn: TurnContext,
  ) {}

  /** Reads one frame; returns the decision once the turn is decided. */
  feed(lines: readonly string[], at: number): Decision | undefined {
    const obs = this.detector(lines, this.turn);
    this.last = obs;
    obs.retries.forEach((r) => this.retries.add(r));
    if (obs.error) this.seenError = obs.error;
    if (obs.reply && this.firstGlyphAt === undefined) this.firstGlyphAt = at;
    const decided = decide(obs, at);
    if (decided && obs.ended) this.endedAt = at;
    if (decided?.verdict === 'pane-died' && this.seenError) {
      decided.detail = this.seenError;
      decided.signal = `${decided.signal} after painting an error`;
    }
    return decided;
  }

  /** The decision when the budget ran out or the program exited without one. */
  timeout(at: number, budgetMs: number): Decision {
    const last = this.last;
    if (last?.reply) return { verdict: 'stalled', signal: `screen: the reply began and did not finish within ${budgetMs / 1000}s`, detail: last.reply, at };
    if (last?.error ?? this.seenError) {
      return { verdict: 'error-shown', signal: `screen: error line, turn not over after ${budgetMs / 1000}s`, detail: last?.error ?? this.seenError, at };
    }
    const why = `${last?.busy ? ' (still busy)' : ''}${last && !last.echoed ? ' (the message never appeared in the chat)' : ''}`;
    return { verdict: 'no-reply', signal: `screen: no reply within ${budgetMs / 1000}s${why}`, at };
  }
}

/** Types the message, presses Enter and returns its verdict with timings and evidence. */
export async function runTurn(options: TurnOptions): Promise<MessageResult> {
  const { session, turn } = options;
  const before = await options.writeScreen(`msg-${turn.index}-before`);
  session.mark(`msg-${turn.index} ${turn.text}`);
  const typingStarted = performance.now();
  await session.type(turn.text, { delayMs: options.typeDelayMs });
  await session.press('Enter');
  const sentAt = performance.now();
  options.timing?.('typing', sentAt - typingStarted);
  const tracker = new TurnTracker(options.detector, turn);
  let decision: Decision;
  try {
    decision = await session.waitFor((screen: Screen) => tracker.feed(screen.lines, screen.at), {
      timeoutMs: options.budgetMs,
      phase: `waiting for the reply to ${turn.index}/${options.total} "${turn.text}"`,
    });
  } catch (error) {
    if (!(error instanceof WaitError)) throw error;
    const at = performance.now();
    if (error.reason === 'exited') {
      const exit = session.exitInfo;
      // The panic hook prints on the primary screen as the program dies: read the final screen too.
      const panicText = findPanic(session.screen().lines) ?? findPanic((error.screenText ?? '').split('\n'));
      const panicked = exit?.exitCode === 101 || panicText !== undefined;
      decision = {
        verdict: panicked ? 'tui-panicked' : 'tui-exited',
        signal: `wg tui exited (${exit ? (exit.signal ?? `code ${exit.exitCode}`) : 'unknown'})`,
        detail: panicked ? (panicText ?? 'exit status 101') : undefined,
        at,
      };
    } else decision = tracker.timeout(at, options.budgetMs);
  }
  if (decision.verdict === 'pane-died' && options.lastWords) {
    // The dump has the unwrapped text; the screen's copy is wrapped at the pane's width.
    decision.detail = (await options.lastWords()) ?? decision.detail;
  }
  options.timing?.('turn', performance.now() - sentAt);
  const transcript = await settleTranscript(options, decision.verdict === 'replied');
  decision = crossCheck(decision, transcript);
  const verdictAt = performance.now();
  const after = await options.writeScreen(`msg-${turn.index}-after`);
  const { firstGlyphAt, endedAt } = tracker;
  const settledAt = endedAt ?? decision.at;
  return {
    scenario: options.scenario,
    index: turn.index,
    total: options.total,
    text: turn.text,
    verdict: decision.verdict,
    passed: decision.verdict === 'replied',
    signal: decision.signal,
    detail: decision.detail ? oneLine(decision.detail) : undefined,
    firstGlyphMs: firstGlyphAt === undefined ? undefined : firstGlyphAt - sentAt,
    settledMs: settledAt - sentAt,
    verdictDelayMs: endedAt === undefined ? undefined : verdictAt - endedAt,
    retries: [...tracker.retries],
    transcript,
    before,
    after,
  };
}
