import type { ReplyCheck } from '../report/model.js';
import type { TrafficEntry } from '../endpoint/index.js';
import { replyCoverage } from '../wg/surfaces/words.js';
import type { Decision } from './turn-tracker.js';

// A screen verdict checked against what the endpoint streamed: a finished turn passes only when the
// last request's stream went out whole and all of its text is in what the chat showed. Pure, so
// the live turn and the replay of a recording judge alike.

export const percent = (f: number): string => `${Math.floor(f * 100)}%`;

/**
 * The reply as a renderer must show it: a fence's info string (```rust) is markup, not text, and
 * every markdown renderer drops it; a reasoning block the model streamed inline before its answer
 * (`<think>…</think>`, Qwen3 on a server without a reasoning parser) a chat may show, fold or hide,
 * so the answer after it is the reply. Everything else a renderer keeps, in order.
 */
export function renderable(reply: string): string {
  return reply.replace(/^\s*<think>[\s\S]*?<\/think>\s*/, '').replace(/^(\s*)(```|~~~)[^\n]*$/gm, '$1$2');
}

/** Whether `seen` holds every word of the streamed reply (as the chat renders it). */
export const showsWhole = (streamed: string, seen: string): boolean => replyCoverage(renderable(streamed), seen).fraction >= 1;

/**
 * What the chat showed of the streamed reply: the screen's copy, or the history's where it holds
 * more (the screen may show only the end of a tall reply). Pure: the live turn and the replay
 * of a recording (src/smoke/rejudge.ts) choose the same way.
 */
export function seenOf(streamed: string, onScreen: string, inHistory: string | undefined): { seen: string; source: 'screen' | 'history' } {
  const text = renderable(streamed);
  if (inHistory && replyCoverage(text, inHistory).fraction > replyCoverage(text, onScreen).fraction) return { seen: inHistory, source: 'history' };
  return { seen: onScreen, source: 'screen' };
}

/**
 * The verdict once the endpoint's side is known (pure, so recorded runs are judged the same way):
 * a finished turn passes only when the last request's stream went out whole and all of its text
 * is in `seen`, the reply as the chat showed it.
 */
export function judgeAgainstStream(
  decision: Decision,
  exchanges: readonly TrafficEntry[],
  seen: string,
  source: 'screen' | 'history',
): { decision: Decision; reply?: ReplyCheck } {
  const last = exchanges.at(-1);
  if (!last) {
    if (decision.verdict !== 'replied') return { decision };
    return {
      decision: { ...decision, verdict: 'reply-garbled', signal: 'endpoint: no request carried this message, yet the screen shows a reply' },
      reply: { requests: 0, complete: false, chars: 0, seen: 0, source },
    };
  }
  const streamed = last.reply ?? '';
  const cut = last.complete ? undefined : (last.fault ?? last.error ?? (last.status !== 200 ? `HTTP ${last.status}` : 'the stream ended early'));
  const coverage = replyCoverage(renderable(streamed), seen);
  const reply: ReplyCheck = {
    requests: exchanges.length,
    complete: last.complete,
    chars: streamed.length,
    seen: coverage.fraction,
    firstMissing: coverage.firstMissing,
    source,
    cut,
  };
  if (decision.verdict !== 'replied') return { decision, reply };
  if (cut) {
    const signal = `endpoint: the reply was cut (${cut}) after ${streamed.length} chars, yet wg showed the turn as finished (${percent(coverage.fraction)} of the cut text on screen)`;
    return { decision: { ...decision, verdict: 'reply-cut', signal }, reply };
  }
  if (coverage.fraction < 1) {
    const signal = `the screen shows ${percent(coverage.fraction)} of the ${streamed.length} chars the endpoint streamed (first missing: "${coverage.firstMissing ?? ''}")`;
    return { decision: { ...decision, verdict: 'reply-garbled', signal }, reply };
  }
  return { decision, reply };
}
