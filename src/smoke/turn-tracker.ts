import type { Verdict } from '../report/model.js';
import type { LiveStream } from '../endpoint/index.js';
import type { TurnContext, TurnDetector, TurnObservation } from '../wg/surfaces/observation.js';
import { quote, streamWords } from './turn-words.js';

// A turn followed frame by frame, and the decision one observation gives: the live run
// (src/smoke/turn.ts) and the replay of recorded real sessions (src/smoke/rejudge.ts) share it.

export interface Decision {
  verdict: Verdict;
  signal: string;
  detail?: string;
  at: number;
  /** Where the deciding text was read: the screen, or the chat's history. */
  source?: 'screen' | 'history';
  /** The reply text of the reading that decided (later frames read for other reasons do not replace it). */
  shown?: string;
}

// Turns one observation into a decision, or undefined while the turn is still under way.
export function decide(obs: TurnObservation, at: number): Decision | undefined {
  if (obs.panic) return { verdict: 'tui-panicked', signal: 'screen: Rust panic text', detail: obs.panic, at };
  if (obs.chatGone) return { verdict: 'pane-died', signal: `screen: chat pane gone ("${obs.chatGone}")`, at };
  if (!obs.ended) return undefined;
  if (obs.error) return { verdict: 'error-shown', signal: 'screen: error line in the turn, prompt back', detail: obs.error, at };
  if (!obs.reply) return { verdict: 'error-shown', signal: 'screen: prompt back with an empty reply', detail: 'empty reply', at };
  return { verdict: 'replied', signal: 'screen: reply then prompt back, not busy', detail: obs.reply, at };
}

/**
 * How long Rust panic text outside the chat must stay on screen to be a panic. wg's panic hook
 * prints it and it stays; a frame wg draws across a resize (its last diff, computed for the old
 * size, painted onto the reflowed screen and replaced by a full redraw tens of ms later) can show a
 * reply's own words about panics outside the chat's frame for that moment.
 */
export const PANIC_HOLD_MS = 500;

/**
 * Follows one turn frame by frame: first reply glyph, visible retries, any error painted on the
 * way (old wg paints nex's error for a few hundred ms before removing the pane), and the decision.
 * The live run and the replay of recorded real sessions both go through it.
 */
export class TurnTracker {
  firstGlyphAt: number | undefined;
  endedAt: number | undefined;
  last: TurnObservation | undefined;
  /** The frame `last` was read from. */
  lastLines: readonly string[] = [];
  /** The last error text seen on any frame of this turn. */
  seenError: string | undefined;
  /** The echo of this message was on screen at some frame. */
  echoSeen = false;
  /** The chat history last read for this turn. */
  historyLines: readonly string[] | undefined;
  readonly retries = new Set<string>();
  /** When the panic text now on screen was first seen (PANIC_HOLD_MS). */
  private panicSince: number | undefined;

  constructor(
    private readonly detector: TurnDetector,
    readonly turn: TurnContext,
  ) {}

  /** Reads one frame; returns the decision once the turn is decided. */
  feed(lines: readonly string[], at: number): Decision | undefined {
    this.lastLines = lines;
    return this.observe(this.detector(lines, this.turn), at, 'screen');
  }

  /** Takes one observation (of a screen, or of the chat's history). */
  observe(obs: TurnObservation, at: number, source: 'screen' | 'history'): Decision | undefined {
    this.last = obs;
    if (obs.echoed) this.echoSeen = true;
    obs.retries.forEach((r) => this.retries.add(r));
    if (obs.error) this.seenError = obs.error;
    if (obs.reply && this.firstGlyphAt === undefined) this.firstGlyphAt = at;
    this.panicSince = obs.panic ? (this.panicSince ?? at) : undefined;
    const held = this.panicSince !== undefined && at - this.panicSince >= PANIC_HOLD_MS;
    const decided = decide(held ? obs : { ...obs, panic: undefined }, at);
    if (decided && obs.ended) this.endedAt = at;
    if (decided?.verdict === 'pane-died' && this.seenError) {
      decided.detail = this.seenError;
      decided.signal = `${decided.signal} after painting an error`;
    }
    if (decided && source === 'history') decided.signal = decided.signal.replace(/^screen:/, "chat history (the message's echo scrolled off screen):");
    if (decided) {
      decided.source = source;
      decided.shown = obs.reply;
    }
    return decided;
  }

  /** Panic text is on screen and has not yet stayed PANIC_HOLD_MS: read the screen again then, new frame or not. */
  get panicPending(): boolean {
    return this.panicSince !== undefined;
  }

  /**
   * The decision when the budget ran out or the program exited without one. `streaming` is the
   * endpoint's word on this message's reply still being sent: a slow provider, not a stuck app.
   * `busy` are replies to other messages still streaming: a message that never showed in the
   * chat waited behind them.
   */
  timeout(at: number, budgetMs: number, streaming?: LiveStream, busy: readonly LiveStream[] = []): Decision {
    const last = this.last;
    const budget = `${budgetMs / 1000}s`;
    if (streaming) {
      const what = streaming.firstByteMs === undefined && streaming.sent === 0 ? 'still answering' : 'still streaming the reply';
      return {
        verdict: 'stalled',
        signal: `endpoint: ${what} at the budget (${streamWords(streaming, budgetMs)}): a slow reply, raise --reply-timeout`,
        detail: last?.reply || undefined,
        at,
      };
    }
    if (last?.reply) return { verdict: 'stalled', signal: `screen: the reply began and did not finish within ${budget}`, detail: last.reply, at };
    if (last?.error ?? this.seenError) {
      return { verdict: 'error-shown', signal: `screen: error line, turn not over after ${budget}`, detail: last?.error ?? this.seenError, at };
    }
    const unseen = last && !last.echoed && !this.echoSeen;
    const why = `${last?.busy ? ' (still busy)' : ''}${unseen ? ' (the message never appeared in the chat)' : ''}`;
    const behind = busy[0];
    const queued = behind ? `; queued behind the reply to "${quote(behind.lastUser, 40)}", still in flight at the endpoint (${streamWords(behind)})` : '';
    return { verdict: 'no-reply', signal: `screen: no reply within ${budget}${why}${queued}`, at };
  }
}
