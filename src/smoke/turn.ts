import type { MessageResult, ReplyCheck, ScreenFiles, TranscriptCheck } from '../report/model.js';
import { describeExit, SessionClosedError, WaitError, type Screen, type TerminalSession } from '../terminal/index.js';
import { findPanic, type TurnContext, type TurnDetector, type TurnObservation } from '../wg/surfaces/observation.js';
import { replyCoverage } from '../wg/surfaces/words.js';
import type { ChatHistory } from '../wg/types.js';
import type { ReplyOracle } from './reply-oracle.js';
import { pollUntil } from '../wg/poll.js';
import { explainFailure, repliesTo } from './cause.js';
import { PANIC_HOLD_MS, TurnTracker, type Decision } from './turn-tracker.js';
import { judgeAgainstStream, percent, renderable, seenOf, showsWhole } from './turn-stream.js';
import { beforeEnter, typedShows, typeMessage, type PersonTyping } from './turn-typing.js';

// One message, typed as a person does, judged from every parsed screen until the turn visibly
// ends. No fixed "screen stable" window: the verdict is taken on the frame that shows the turn
// over (prompt or editor back, busy indicator gone). A reply taller than the chat scrolls the
// message's echo away: then the chat's history (scrollback) decides. Where the harness runs the
// endpoint, what it streamed is the oracle: a cut stream or a partly shown reply never passes.

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
  /** A person's uneven typing instead (`--jitter`): think, keys, the gap before Enter. */
  person?: PersonTyping;
  writeScreen: (name: string) => Promise<ScreenFiles | undefined>;
  /** wg's own transcript for this turn; polled briefly, as the file may lag the screen. */
  readTranscript?: (turn: TurnContext) => Promise<TranscriptCheck>;
  /** The chat's last words after this message when its pane vanished (old wg removes a dead pane within a frame). */
  lastWords?: (turn: TurnContext) => Promise<string | undefined>;
  /** The chat's whole history, for a reply that scrolled the echo off screen. */
  history?: ChatHistory;
  /** Writes a text file of evidence (the history a verdict was read from). */
  writeText?: (name: string, text: string) => Promise<void>;
  /** What the embedded endpoint streamed for this message. */
  oracle?: ReplyOracle;
  /**
   * Called when what was typed never appeared on screen (the chat does not take keys): the caller
   * follows the screen's own hint for opening chat input and returns the chat's surface from then
   * on, or undefined when there is nothing to follow. The message is then typed again.
   */
  notTaken?: (typed: string) => Promise<Pick<TurnOptions, 'detector' | 'readTranscript' | 'history' | 'lastWords'> | undefined>;
  /** The scenario's messages before this one, in order: a reply shown for this turn is matched against theirs. */
  earlierMessages?: readonly string[];
  /** Receives the time spent typing (the user's pace) and waiting on wg (Enter to decision). */
  timing?: (phase: 'typing' | 'turn', ms: number) => void;
  /** wg's notable daemon-log lines between two epoch-ms times, for a failed message's cause. */
  wgLog?: (sinceMs: number, untilMs: number) => Promise<string[]>;
  /**
   * Sends the message's Enter when something else typed the message (a replayed trace): the turn
   * is judged from then on. Absent: the message is typed at the person's pace, then Enter.
   */
  deliver?: () => Promise<void>;
  /** Aborted when the run is stopped (a signal, the deadline): the turn ends `interrupted`, with no verdict on wg. */
  stop?: AbortSignal;
}

// A reply can be pages long; the result keeps its start (the evidence files keep all of it).
const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 2000 ? `${flat.slice(0, 1999)}…` : flat;
};
/** Least time between two reads of the chat's history while the turn looks over but its echo is gone. */
const HISTORY_EVERY_MS = 300;

async function settleTranscript(options: TurnOptions, turn: TurnContext, screenReplied: boolean): Promise<TranscriptCheck | undefined> {
  if (!options.readTranscript) return undefined;
  // The transcript is written around the same moment the prompt comes back: after a reply on
  // screen, allow it a short lag. After a failure it can only confirm the error: read it once.
  const read = options.readTranscript;
  let last: TranscriptCheck | undefined;
  return pollUntil(
    async () => {
      last = await read(turn);
      return last.status !== 'missing' ? last : undefined;
    },
    { timeoutMs: screenReplied ? 1000 : 0, what: "wg's transcript of the turn" },
  ).catch(() => last);
}

// Screen and transcript must agree; a screen that looks fine over an error is a failure.
function crossCheck(decision: Decision, transcript: TranscriptCheck | undefined, streamed: string | undefined): Decision {
  if (!transcript || transcript.status === 'unavailable') return decision;
  if (decision.verdict === 'replied' && transcript.status !== 'ok') {
    return {
      ...decision,
      verdict: 'transcript-error',
      signal: `screen showed a reply but the transcript says ${transcript.status}`,
      detail: transcript.detail ?? decision.detail,
    };
  }
  // A transcript reader that cannot give the assistant's text has nothing to measure.
  if (decision.verdict === 'replied' && streamed !== undefined && transcript.assistantText !== undefined) {
    const held = replyCoverage(renderable(streamed), transcript.assistantText ?? '');
    if (held.fraction < 1) {
      return {
        ...decision,
        verdict: 'transcript-error',
        signal: `the transcript holds ${percent(held.fraction)} of the reply the endpoint streamed (missing: "${held.firstMissing ?? ''}")`,
      };
    }
  }
  if (decision.verdict !== 'replied' && transcript.status === 'ok') {
    return { ...decision, signal: `${decision.signal}; DISAGREEMENT: the transcript holds a reply` };
  }
  if (decision.verdict !== 'replied' && transcript.status === 'error' && !decision.detail) {
    return { ...decision, detail: transcript.detail };
  }
  return decision;
}

// Reads the chat's history and the turn off it; the lines are kept as evidence of the verdict.
async function readHistory(options: TurnOptions, tracker: TurnTracker, screen: readonly string[]): Promise<TurnObservation | undefined> {
  const lines = await options.history?.read(screen, tracker.turn);
  if (!lines || !options.history) return undefined;
  tracker.historyLines = lines;
  return options.history.detector(lines, tracker.turn);
}

// Judges the turn again on what it was last decided from (the last frame, or the history), now
// that the assistant's text is known.
async function rejudge(options: TurnOptions, tracker: TurnTracker, decision: Decision): Promise<Decision | undefined> {
  const history = decision.source === 'history' ? await readHistory(options, tracker, tracker.lastLines) : undefined;
  return history ? tracker.observe(history, decision.at, 'history') : tracker.feed(tracker.lastLines, decision.at);
}

type WaitOutcome = { kind: 'decided'; decision: Decision } | { kind: 'history'; lines: readonly string[]; at: number };

/** How long a prompt that came back with nothing before it is watched for a reply drawn after it. */
const EMPTY_REPLY_GRACE_MS = 5_000;

const isEmptyReply = (d: Decision) => d.verdict === 'error-shown' && d.detail === 'empty reply';

/**
 * A REPL that queues the line and redraws its prompt at once answers below it later (0c3a7f76,
 * 05-22): a person who sees the prompt back with nothing waits a moment for the reply before
 * calling it empty. While the endpoint streams this message's reply the wait goes on (within the
 * budget); otherwise a screen still without a reply after the grace is the empty reply it looked.
 */
async function lateReply(options: TurnOptions, tracker: TurnTracker, empty: Decision, sentAt: number, enterSeq: number, sinceMs: number): Promise<Decision> {
  const { session } = options;
  const graceEnds = performance.now() + EMPTY_REPLY_GRACE_MS;
  let decision = empty;
  // Watched to the end of the grace, and on while the endpoint streams this message's reply.
  const streaming = () => options.oracle?.streaming(options.turn.text) !== undefined;
  for (;;) {
    const budgetLeft = options.budgetMs - (performance.now() - sentAt);
    if (budgetLeft <= 0) return streaming() ? timedOut(options, tracker) : decision;
    const waitMs = Math.min(budgetLeft, streaming() ? Infinity : graceEnds - performance.now());
    if (waitMs <= 0) return decision;
    const seq = session.screen().seq;
    const changed = await session
      .waitFor((s) => s.seq !== seq || undefined, { timeoutMs: waitMs, phase: 'the chat drawing after the prompt came back empty' })
      .catch((error: unknown) => {
        if (!(error instanceof WaitError)) throw error;
        return error.reason === 'exited' ? 'exited' : undefined;
      });
    if (changed === 'exited') return exitDecision(session, undefined, performance.now());
    if (!changed) continue; // nothing drawn: the loop rechecks the grace and the stream
    // Judged as the turn is (its history too, where the echo scrolled away).
    decision = await judgeScreen(options, tracker, sentAt, enterSeq, sinceMs);
    if (!isEmptyReply(decision)) return decision;
  }
}

/** The budget ran out: the decision, with the endpoint's word on this reply and on the ones before it. */
const timedOut = (options: TurnOptions, tracker: TurnTracker, at = performance.now()): Decision =>
  tracker.timeout(at, options.budgetMs, options.oracle?.streaming(options.turn.text), options.oracle?.busy(options.turn.text));

// Waits for the screen to decide the turn, reading the chat's history whenever the turn looks
// over while the echo is out of sight.
async function judgeScreen(options: TurnOptions, tracker: TurnTracker, sentAt: number, enterSeq: number, sinceMs: number): Promise<Decision> {
  const { session } = options;
  let lastHistoryAt = -Infinity;
  for (;;) {
    const left = options.budgetMs - (performance.now() - sentAt);
    if (left <= 0) return timedOut(options, tracker);
    const outcome = await session.waitFor<WaitOutcome>(
      (screen: Screen, ctx) => {
        // A panic on screen is read again once it has stayed (PANIC_HOLD_MS), drawn anew or not.
        const decision = tracker.feed(screen.lines, tracker.panicPending ? Math.max(screen.at, performance.now()) : screen.at);
        if (decision) return { kind: 'decided', decision };
        if (tracker.panicPending) {
          ctx.recheckIn(PANIC_HOLD_MS);
          return undefined;
        }
        const obs = tracker.last;
        if (!options.history || !obs?.promptBack || obs.echoed || screen.seq === enterSeq) return undefined;
        // Only once this turn is known to have begun (its echo was on screen, or the endpoint
        // answered it): before that, the turn that looks over is the previous one.
        if (!tracker.echoSeen && !options.oracle?.exchanges(options.turn.text, sinceMs).some((e) => e.reply)) return undefined;
        const since = performance.now() - lastHistoryAt;
        if (since < HISTORY_EVERY_MS) {
          ctx.recheckIn(HISTORY_EVERY_MS - since);
          return undefined;
        }
        return { kind: 'history', lines: screen.lines, at: screen.at };
      },
      { timeoutMs: left, phase: `waiting for the reply to ${options.turn.index}/${options.total} "${options.turn.text}"` },
    );
    if (outcome.kind === 'decided') return outcome.decision;
    lastHistoryAt = performance.now();
    const obs = await readHistory(options, tracker, outcome.lines);
    const decision = obs ? tracker.observe(obs, outcome.at, 'history') : undefined;
    if (decision) return decision;
  }
}

/** The replies the endpoint sent whole to the scenario's earlier messages (by their number), for "shows the reply to message K". */
const earlierReplies = (options: TurnOptions, sinceMs: number) =>
  repliesTo(
    (options.earlierMessages ?? []).map((text, i) => ({ index: i + 1, text })),
    options.oracle?.requests(0, sinceMs) ?? [],
  );

// The assistant's text as the endpoint streamed it, for telling the reply's words from wg's errors.
function knownReply(options: TurnOptions, sinceMs: number): string | undefined {
  return options.oracle?.exchanges(options.turn.text, sinceMs).at(-1)?.reply ?? undefined;
}

// Checks a screen verdict against what the endpoint streamed: the reply must have gone out whole,
// and all of it must be on screen (or in the chat's history).
async function checkAgainstEndpoint(
  options: TurnOptions,
  tracker: TurnTracker,
  decision: Decision,
  sinceMs: number,
): Promise<{ decision: Decision; reply?: ReplyCheck; seen?: string }> {
  const { oracle } = options;
  if (!oracle) return { decision };
  await oracle.settle(2000);
  const exchanges = oracle.exchanges(options.turn.text, sinceMs);
  const last = exchanges.at(-1);
  tracker.turn.assistantText = last?.reply ?? undefined;
  // An "error" the screen showed may be the reply's own words: judge the last frame again, now
  // that the whole streamed text is known.
  if (decision.verdict === 'error-shown' && last?.complete) decision = (await rejudge(options, tracker, decision)) ?? decision;
  // The turn looked over on a frame drawn before the last of the stream reached the screen (a reply
  // row that looks like the prompt, a bare `>` of a blockquote): before calling a reply short, the
  // screen is read again once it has stopped changing.
  if (last?.complete && decision.verdict === 'replied' && !showsWhole(last.reply ?? '', decision.shown ?? tracker.last?.reply ?? '')) {
    const stable = await options.session
      .waitForStable(REDRAW_QUIET_MS, { timeoutMs: REDRAW_WAIT_MS, phase: 'the screen after the stream' })
      .catch((error: unknown) => {
        if (error instanceof WaitError && (error.reason === 'timeout' || error.reason === 'exited')) return undefined;
        throw error;
      });
    if (stable) decision = tracker.feed(stable.lines, decision.at) ?? decision;
  }
  let seen = decision.shown ?? tracker.last?.reply ?? '';
  let source = decision.source ?? 'screen';
  if (last && source === 'screen' && options.history && decision.verdict === 'replied' && !showsWhole(last.reply ?? '', seen)) {
    const obs = await readHistory(options, tracker, tracker.lastLines);
    ({ seen, source } = seenOf(last.reply ?? '', seen, obs?.reply));
  }
  return { ...judgeAgainstStream(decision, exchanges, seen, source), seen };
}

/** How long the screen must hold still, and at most how long that is waited for, before a short reply is read again. */
const REDRAW_QUIET_MS = 250;
const REDRAW_WAIT_MS = 2_000;

// Without the endpoint's word (a live endpoint), wg's transcript tells the assistant's text: an
// "error" on screen that is part of the reply the transcript holds is the reply quoting one.
async function rejudgeWithTranscript(
  options: TurnOptions,
  tracker: TurnTracker,
  decision: Decision,
  transcript: TranscriptCheck | undefined,
): Promise<Decision> {
  if (options.oracle || decision.verdict !== 'error-shown' || transcript?.status !== 'ok' || !transcript.assistantText) return decision;
  tracker.turn.assistantText = transcript.assistantText;
  const again = await rejudge(options, tracker, decision);
  if (again?.verdict !== 'replied') return decision;
  return { ...again, signal: `${again.signal} (the error-like lines are part of the reply in wg's transcript)` };
}

// `wg tui` is gone: a panic (its text on the last screen, or exit status 101) or a plain exit.
function exitDecision(session: TerminalSession, screenText: string | undefined, at: number): Decision {
  const exit = session.exitInfo;
  // The panic hook prints on the primary screen as the program dies: read the final screen too.
  const panicText = findPanic(session.screen().lines) ?? findPanic((screenText ?? '').split('\n'));
  const panicked = exit?.exitCode === 101 || panicText !== undefined;
  return {
    verdict: panicked ? 'tui-panicked' : 'tui-exited',
    signal: `wg tui exited (${describeExit(exit)})`,
    detail: panicked ? (panicText ?? 'exit status 101') : undefined,
    at,
  };
}

// Why the run was stopped, in words: the signal's name, or the deadline's own reason.
const stopReason = (stop: AbortSignal): string =>
  typeof stop.reason === 'string' ? stop.reason : stop.reason instanceof Error ? stop.reason.message : 'stopped';

/** Types the message, presses Enter and returns its verdict with timings and evidence. */
export async function runTurn(input: TurnOptions): Promise<MessageResult> {
  let options = input;
  const { session } = options;
  const turn: TurnContext = { ...options.turn };
  const result = (decision: Decision, sentAt: number, extra: Partial<MessageResult> = {}): MessageResult => ({
    scenario: options.scenario,
    index: turn.index,
    total: options.total,
    text: turn.text,
    verdict: decision.verdict,
    passed: decision.verdict === 'replied',
    signal: decision.signal,
    detail: decision.detail ? oneLine(decision.detail) : undefined,
    settledMs: decision.at - sentAt,
    retries: [],
    ...extra,
  });
  const interrupted = (sentAt: number, what: string): MessageResult =>
    result(
      {
        verdict: 'interrupted',
        signal: `${stopReason(options.stop as AbortSignal)} ${what}`,
        detail: `the run was stopped (${stopReason(options.stop as AbortSignal)}) ${what}`,
        at: performance.now(),
      },
      sentAt,
    );
  // The TUI died between two messages: that is this message's verdict, not a harness failure.
  if (session.exitInfo) {
    const exited = result(exitDecision(session, undefined, performance.now()), performance.now(), {
      signal: `wg tui had exited before this message (${describeExit(session.exitInfo)})`,
    });
    return { ...exited, cause: explainFailure({ message: exited, logLines: [] }) };
  }
  const before = await options.writeScreen(`msg-${turn.index}-before`);
  session.mark(`msg-${turn.index} ${turn.text}`);
  const typingStarted = performance.now();
  const sinceMs = Date.now();
  try {
    if (options.deliver) {
      // A replayed trace typed the message itself; its Enter is the delivery.
      turn.before = session.screen().lines;
      await options.deliver();
    }
    // A person pastes a multi-line message (bracketed when the chat asked for it); Enter would send
    // the first line alone.
    else if (turn.text.includes('\n')) await session.paste(turn.text);
    else {
      const beforeTyping = session.screen().lines;
      await typeMessage(session, turn.text, options);
      if (options.notTaken && !(await typedShows(session, beforeTyping, turn.text))) {
        const surface = await options.notTaken(turn.text);
        if (surface) {
          options = { ...options, ...surface };
          await typeMessage(session, turn.text, options, true);
        }
      }
    }
    if (!options.deliver) {
      await beforeEnter(options.person, options.stop);
      turn.before = session.screen().lines;
      await session.press('Enter');
    }
  } catch (error) {
    // The program gone or the run stopped while typing (a wait for the typed text included).
    if (!(error instanceof SessionClosedError) && !(error instanceof WaitError)) throw error;
    if (options.stop?.aborted) return interrupted(typingStarted, 'while the message was typed');
    if (session.exitInfo) return result(exitDecision(session, undefined, performance.now()), typingStarted, { before });
    throw error;
  }
  const sentAt = performance.now();
  const enterSeq = session.screen().seq;
  options.timing?.('typing', sentAt - typingStarted);
  const tracker = new TurnTracker(options.detector, turn);
  // Tell the detector the assistant's words as soon as the endpoint has streamed them.
  const sub = options.oracle ? session.onUpdate(() => (turn.assistantText = knownReply(options, sinceMs))) : undefined;
  let decision: Decision;
  try {
    decision = await judgeScreen(options, tracker, sentAt, enterSeq, sinceMs);
    if (isEmptyReply(decision)) decision = await lateReply(options, tracker, decision, sentAt, enterSeq, sinceMs);
    // The screen can look finished in a pause of the stream (the composer view draws the reply as
    // the daemon's handler writes it): while the endpoint still streams this message's reply, the
    // turn is not over. Wait for the stream within the budget, then read the screen again.
    while (decision.verdict === 'replied' && options.oracle?.streaming(turn.text)) {
      const left = options.budgetMs - (performance.now() - sentAt);
      if (left <= 0) {
        decision = timedOut(options, tracker);
        break;
      }
      await options.oracle.settle(left);
      // The screen the verdict reads is the one after the stream, not the one of the pause.
      decision = tracker.feed(session.screen().lines, performance.now()) ?? decision;
    }
  } catch (error) {
    // A stopped run invents no verdict from the wait it cancelled.
    if (options.stop?.aborted) return interrupted(sentAt, `${((performance.now() - sentAt) / 1000).toFixed(1)}s after Enter, while waiting for the reply`);
    if (!(error instanceof WaitError)) throw error;
    const at = performance.now();
    if (error.reason === 'exited') decision = exitDecision(session, error.screenText, at);
    else decision = timedOut(options, tracker, at);
  } finally {
    sub?.dispose();
  }
  if (options.stop?.aborted) return interrupted(sentAt, 'as the turn was decided');
  if (decision.verdict === 'pane-died' && options.lastWords) {
    // The dump has the unwrapped text; the screen's copy is wrapped at the pane's width.
    decision.detail = (await options.lastWords(turn)) ?? decision.detail;
  }
  options.timing?.('turn', performance.now() - sentAt);
  // What was still in flight when the verdict was taken: the evidence its signal and cause share.
  const inFlight = { streaming: options.oracle?.streaming(turn.text), busy: options.oracle?.busy(turn.text) };
  const checked = await checkAgainstEndpoint(options, tracker, decision, sinceMs);
  decision = checked.decision;
  const transcript = await settleTranscript(options, turn, decision.verdict === 'replied');
  decision = await rejudgeWithTranscript(options, tracker, decision, transcript);
  decision = crossCheck(decision, transcript, checked.reply?.complete ? (tracker.turn.assistantText ?? undefined) : undefined);
  // Faults planted with --faults are named on the message they hit, so a failure reads as the fault's.
  const faults = options.oracle?.faults(turn.text, sinceMs) ?? [];
  const verdictAt = performance.now();
  const after = await options.writeScreen(`msg-${turn.index}-after`);
  if (tracker.historyLines) await options.writeText?.(`msg-${turn.index}-history.txt`, `${tracker.historyLines.join('\n')}\n`);
  const { firstGlyphAt } = tracker;
  // A reply the chat finished drawing cannot be over before the endpoint finished sending it: where
  // the screen looked done first (a prompt back before the reply, a pause in the stream), the
  // stream's end is when the turn settled.
  const streamEnd = options.oracle?.exchanges(turn.text, sinceMs).at(-1);
  const streamEndAt = streamEnd ? typingStarted + (Date.parse(streamEnd.time) + streamEnd.durationMs - sinceMs) : undefined;
  const endedAt = tracker.endedAt === undefined ? undefined : Math.max(tracker.endedAt, decision.verdict === 'replied' ? (streamEndAt ?? 0) : 0);
  const settledAt = endedAt ?? decision.at;
  const window = { start: new Date(sinceMs).toISOString(), end: new Date().toISOString() };
  const message = result(decision, sentAt, {
    firstGlyphMs: firstGlyphAt === undefined ? undefined : firstGlyphAt - sentAt,
    settledMs: settledAt - sentAt,
    verdictDelayMs: endedAt === undefined ? undefined : verdictAt - endedAt,
    retries: [...tracker.retries],
    ...(faults.length > 0 ? { faults } : {}),
    transcript,
    reply: checked.reply,
    window,
    before,
    after,
  });
  if (message.passed) return message;
  const untilMs = Date.parse(window.end);
  const cause = explainFailure({
    message,
    requests: options.oracle?.requests(sinceMs, untilMs),
    ...inFlight,
    logLines: (await options.wgLog?.(sinceMs, untilMs).catch(() => [])) ?? [],
    screen: session.screen().lines.join('\n'),
    shown: checked.seen ?? tracker.last?.reply,
    earlier: earlierReplies(options, sinceMs),
  });
  return cause ? { ...message, cause } : message;
}
