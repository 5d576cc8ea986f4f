import type { LiveStream, TrafficEntry } from '../endpoint/index.js';
import type { Cause, MessageResult } from '../report/model.js';
import { squash } from '../wg/surfaces/observation.js';
import { replyCoverage } from '../wg/surfaces/words.js';
import { quote, streamWords } from './turn-words.js';

// Why a message did not pass, from what the run recorded in that message's window: the embedded
// endpoint's requests (all routes), wg's daemon-log lines, wg's transcript and the screen. The
// rules only name a side when the evidence decides it; otherwise the cause is `unknown` and says
// what was seen. Pure: the same input always gives the same cause (specs feed recorded runs).

export interface CauseInput {
  message: MessageResult;
  /** Every finished request the endpoint (embedded, or the recording proxy) got in the window; undefined when none of ours stood in the way (--direct, claude). */
  requests?: readonly TrafficEntry[];
  /** This message's reply, still being answered at the verdict. */
  streaming?: LiveStream;
  /** Replies to other messages still being answered at the verdict. */
  busy?: readonly LiveStream[];
  /** wg's notable daemon-log lines of the window. */
  logLines: readonly string[];
  /** The screen at the verdict, as text. */
  screen?: string;
  /** The reply text the chat showed for this turn (after its echo; the history's where the screen lost it). */
  shown?: string;
  /** The replies the endpoint sent whole to the scenario's earlier messages, in order, with their 1-based message number. */
  earlier?: ReadonlyArray<{ index: number; text: string; reply: string }>;
}

/** Characters of the reply's end looked for on the screen, to tell "wg drew it" from "wg did not". */
const TAIL_CHARS = 40;
const MAX_SEEN_LOG = 4;

/**
 * wg's own words for a chat whose session lock another of its handlers holds (nex's `[wg nex]
 * session coordinator-0 is already owned by another handler: …` / `Error: session lock busy`): two
 * handlers were started for one chat, which only wg does.
 */
const LOCK_TAKEN = /already owned by another handler|session lock busy/i;

const secs = (ms: number | undefined) => (ms === undefined ? '?' : `${(ms / 1000).toFixed(1)}s`);

/** What a group of refused requests says about the request wg built. */
function refusalHint(entry: TrafficEntry): string {
  if (entry.status === 404 && !/^\/v1\//.test(entry.path)) return 'the path lacks /v1';
  if (entry.status === 404) return entry.error ?? 'no such route';
  if (entry.status === 400 && entry.model?.includes(':')) return `model \`${entry.model}\`: the provider prefix was sent to the server`;
  if (entry.status === 401) return 'the key was missing or wrong';
  return entry.error ?? `status ${entry.status}`;
}

function describeRequests(requests: readonly TrafficEntry[]): string {
  const groups = new Map<string, number>();
  for (const r of requests) {
    const key = `${r.status} ${r.method} ${r.path.replace(/\?.*$/, '')}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].map(([key, n]) => `${n}× ${key}`).join(', ');
}

/** An earlier message's reply is what the chat shows for this turn: most of what it shows, and more than of this turn's own reply. */
// Decided on what the chat shows for this turn (it may show only the end of a tall reply): most of
// its words are, in order, an earlier message's reply, and fewer of them this message's own.
const OTHER_REPLY_SHARE = 0.9;
/** Word characters the shown text must have for the rule to speak (a greeting's two words decide nothing). */
const OTHER_REPLY_MIN_CHARS = 20;

function otherReplyShown(input: CauseInput, own: string | undefined): { index: number; text: string; seen: number; ownSeen: number } | undefined {
  if (!input.shown || !input.earlier) return undefined;
  const shownOf = (reply: string) => replyCoverage(input.shown ?? '', reply);
  const ownSeen = own ? shownOf(own).fraction : 0;
  let best: { index: number; text: string; seen: number; ownSeen: number } | undefined;
  for (const e of input.earlier) {
    if (squash(e.reply) === squash(own ?? '') || squash(e.text) === squash(input.message.text)) continue;
    const share = shownOf(e.reply);
    if (share.total < OTHER_REPLY_MIN_CHARS || share.fraction < OTHER_REPLY_SHARE || share.fraction <= ownSeen) continue;
    if (!best || share.fraction > best.seen) best = { index: e.index, text: e.text, seen: share.fraction, ownSeen };
  }
  return best;
}

const pct = (x: number) => `${Math.floor(x * 100)}%`;

/** `the chat shows the reply to message 2 ("…", 100% of what it shows) for this one`. */
const showsReplyOf = (other: { index: number; text: string; seen: number }) =>
  `the chat shows the reply to message ${other.index} ("${quote(other.text, 40)}", ${pct(other.seen)} of what it shows) for this one`;

/** The replies sent whole to `messages` (each with its 1-based number), among `entries`, in their order: CauseInput.earlier. */
export function repliesTo(
  messages: ReadonlyArray<{ index: number; text: string }>,
  entries: readonly TrafficEntry[],
): Array<{ index: number; text: string; reply: string }> {
  return entries.flatMap((e) => {
    const m = e.complete && e.reply && e.lastUser !== null ? messages.find((x) => squash(x.text) === squash(e.lastUser ?? '')) : undefined;
    return m ? [{ index: m.index, text: m.text, reply: e.reply as string }] : [];
  });
}

/** The end of the reply is on the screen: wg drew it, whatever the judge made of the turn. */
function tailOnScreen(reply: string, screen: string | undefined): boolean {
  if (!screen) return false;
  const tail = squash(reply).slice(-TAIL_CHARS);
  return tail.length >= 8 && squash(screen).includes(tail);
}

/** The status an error text names (`API error 503`, `500 status code`), if any. */
const statusIn = (text: string): number | undefined => {
  const m = /\b(?:API error|status(?: code)?|HTTP)\s*:?\s*(\d{3})\b|\b(\d{3}) status code\b/i.exec(text);
  const code = Number(m?.[1] ?? m?.[2]);
  return Number.isFinite(code) && code >= 100 ? code : undefined;
};

/** A server's words for a prompt longer than its context (llama.cpp, vLLM, SGLang, OpenAI). */
const CONTEXT_OVERFLOW =
  /exceeds? the (available )?context|context (size|length|window)|maximum context length|max_model_len|context_length_exceeded|prompt is too long|too many tokens/i;

/** What the server said of the prompt's size, where it said anything (llama.cpp reports its prompt tokens). */
function promptSize(requests: readonly TrafficEntry[] | undefined): string {
  const known = requests?.map((r) => r.relay).find((r) => r?.promptTokens !== undefined);
  if (known?.promptTokens !== undefined) {
    const prefill = known.prefillMs !== undefined ? `, prefill ${secs(known.prefillMs)}` : '';
    return `; an earlier request's prompt: ${known.promptTokens.toLocaleString('en-US')} tokens${prefill}`;
  }
  return '';
}

/**
 * Requests that were all refused (4xx): whose side that is, in the server's words. A prompt longer
 * than the server's context is the server's setting (provider); any other refusal is the request
 * wg built (app). Undefined when one was not a 4xx.
 */
function refusals(entries: readonly TrafficEntry[]): { kind: Cause['kind']; text: string } | undefined {
  if (entries.length === 0 || !entries.every((r) => r.status >= 400 && r.status < 500)) return undefined;
  const overflow = entries.find((r) => CONTEXT_OVERFLOW.test(r.error ?? ''));
  if (overflow)
    return { kind: 'provider', text: `${quote(overflow.error ?? '', 200)}: the server's context is smaller than wg's prompt (${describeRequests(entries)})` };
  const n = entries.length;
  return { kind: 'app', text: `${n} request${n === 1 ? '' : 's'}, all refused: ${describeRequests(entries)} — ${refusalHint(entries[0] as TrafficEntry)}` };
}

/** Why `message` did not pass; undefined for a pass. */
export function explainFailure(input: CauseInput): Cause | undefined {
  const { message, requests, logLines } = input;
  if (message.passed) return undefined;
  const seen: string[] = [];
  if (requests) seen.push(requests.length === 0 ? 'endpoint: no request finished in the window' : `endpoint: ${describeRequests(requests)}`);
  else seen.push("endpoint: not the harness's (its requests are not seen)");
  if (input.streaming) seen.push(`endpoint: this reply still in flight (${streamWords(input.streaming)})`);
  for (const other of input.busy ?? []) seen.push(`endpoint: the reply to "${quote(other.lastUser, 40)}" still in flight (${streamWords(other)})`);
  for (const line of logLines.slice(0, MAX_SEEN_LOG)) seen.push(`daemon log: ${quote(line, 200)}`);
  if (message.transcript) seen.push(`transcript: ${message.transcript.status}${message.transcript.detail ? ` (${quote(message.transcript.detail, 80)})` : ''}`);
  seen.push(`screen: ${quote(message.signal, 160)}`);
  const cause = (kind: Cause['kind'], text: string): Cause => ({ kind, text, seen });
  const words = `${message.detail ?? ''} ${message.signal}`;

  switch (message.verdict) {
    case 'interrupted':
      return cause('unknown', 'the run was stopped while this message was judged: no verdict on wg');
    case 'tui-panicked':
      return cause('app', `wg tui panicked: ${quote(message.detail ?? message.signal)}`);
    case 'tui-exited':
      return cause('app', `wg tui exited: ${quote(message.signal)}`);
    case 'chat-failed':
      return cause('app', `wg showed the chat as failed before anything was typed: ${quote(message.detail ?? message.signal)}`);
    case 'chat-stuck':
      return cause('app', `${message.signal.replace(/^phase: chat boot — /, '')}: wg's chat never took input; its last words: ${quote(message.detail ?? '')}`);
    default:
      break;
  }
  // The chat's last words say another handler of wg's holds its lock: wg's own race, whatever the endpoint saw.
  const lockWords = [message.detail, message.signal].find((w) => w && LOCK_TAKEN.test(w));
  if (lockWords && (message.verdict === 'pane-died' || message.verdict === 'error-shown'))
    return cause(
      'app',
      `another wg handler holds this chat's session lock (the chat's last words: ${quote(lockWords, 200)}): wg started two handlers for one chat and this one lost`,
    );
  // Faults planted with --faults: the provider failed on purpose.
  if (message.faults && message.faults.length > 0) return cause('provider', `the endpoint's injected fault: ${message.faults.join(', ')}`);

  // The reply was still coming at the budget: the server's pace, with its numbers, never "no request".
  if (input.streaming && (message.verdict === 'stalled' || message.verdict === 'no-reply')) {
    const stream = input.streaming;
    if (stream.firstByteMs === undefined && stream.sent === 0) {
      const prompt = stream.requestChars !== undefined ? ` (wg's request: ${stream.requestChars.toLocaleString('en-US')} chars)` : '';
      return cause(
        'provider',
        `no first byte after ${secs(stream.elapsedMs)}: the server had not begun its answer${prompt}${promptSize(requests)}; a slow server or too short a budget (raise --first-reply-timeout)`,
      );
    }
    return cause(
      'provider',
      `the endpoint was still streaming this reply at the budget (${streamWords(stream)}): a slow provider or too short a budget (raise --reply-timeout)`,
    );
  }
  // The message never showed: wg was still busy with an earlier reply the server kept streaming.
  const behind = input.busy?.[0];
  if (behind && message.verdict === 'no-reply' && !input.streaming) {
    // Busy retrying a message the server keeps refusing: the refusals are the cause, in its words.
    const retried = refusals(requests?.filter((r) => r.lastUser !== null && squash(r.lastUser) === squash(behind.lastUser)) ?? []);
    if (retried) return cause(retried.kind, `queued: wg was still retrying "${quote(behind.lastUser, 40)}": ${retried.text}`);
    return cause(
      'provider',
      `queued: wg was still busy with the reply to "${quote(behind.lastUser, 40)}", still in flight at the server (${streamWords(behind)}); a slow provider or too short a budget`,
    );
  }

  if (requests) {
    const own = requests.filter((r) => r.lastUser !== null && squash(r.lastUser).includes(squash(message.text)));
    // What the chat shows for this turn is an earlier message's reply: wg's, whatever this window's requests were.
    const shownOther = message.verdict === 'reply-garbled' && own.length === 0 ? otherReplyShown(input, undefined) : undefined;
    if (shownOther) return cause('app', `${showsReplyOf(shownOther)}, and no request carried this message`);
    if (requests.length === 0) {
      const log = logLines.length > 0 ? `; wg's daemon log says: ${quote(logLines[0] as string)}` : '';
      return cause('app', `no request reached the endpoint between Enter and the verdict (${secs(message.settledMs)}): wg never called the model${log}`);
    }
    const answered = own.filter((r) => r.status >= 200 && r.status < 300);
    // The same message asked and answered whole more than once: wg sent it again (a retry follows a
    // failure, never a whole answer). An answer that asked for a tool is a step of one turn, not a copy.
    const whole = answered.filter((r) => r.complete && !r.aborted && !/tool/i.test(r.relay?.finishReason ?? ''));
    const other = otherReplyShown(input, (answered.at(-1) ?? own.at(-1))?.reply ?? undefined);
    if (whole.length >= 2) {
      const at = whole.map((r) => `+${secs(Date.parse(r.time) - Date.parse(whole[0]?.time ?? r.time))}`).join(', ');
      return cause(
        'app',
        `wg sent this message ${whole.length} times: ${whole.length} requests carried it and each was answered whole (at ${at})${other ? `; ${showsReplyOf(other)}` : ''}`,
      );
    }
    if (other && message.verdict !== 'error-shown' && message.verdict !== 'pane-died')
      return cause('app', `${showsReplyOf(other)}: wg showed an earlier message's reply, not this one's (${pct(other.ownSeen)} of what it shows is its own)`);
    if (answered.length === 0) {
      const refused = refusals(own.length > 0 ? own : requests);
      if (refused) return cause(refused.kind, refused.text);
      if (own.length === 0) {
        const last = requests.at(-1) as TrafficEntry;
        return cause(
          'app',
          `${requests.length} request${requests.length === 1 ? '' : 's'} arrived, none carrying this message (${describeRequests(requests)}; the last one's user message: "${quote(last.lastUser ?? '(none)', 60)}")`,
        );
      }
    }
    const last = answered.at(-1) ?? own.at(-1);
    if (last && last.status >= 500)
      return cause('provider', `the endpoint answered ${describeRequests(own)}${last.error ? `: ${quote(last.error, 200)}` : ''}`);
    if (last && !last.complete && !last.aborted) {
      // wg's retries after the cut, and how they ended (a server killed mid-reply refuses them).
      const after = own.slice(own.indexOf(last) + 1).filter((r) => r.status === 0 || r.status >= 400);
      const then = after.length > 0 ? `; then ${describeRequests(after)}: ${quote((after.at(-1) as TrafficEntry).error ?? '', 120)}` : '';
      return cause('provider', `the endpoint's stream ended early: ${last.error ?? last.fault ?? 'incomplete'}${then}`);
    }
    if (message.verdict === 'stalled' && /endpoint: still streaming/.test(message.signal)) {
      return cause('provider', `the endpoint was still streaming this reply at the budget: a slow provider (${quote(message.signal)})`);
    }
    if (last?.complete && last.reply) {
      const chars = last.reply.length;
      if (message.verdict === 'error-shown' || message.verdict === 'pane-died') {
        return cause(
          'app',
          `wg showed ${message.verdict === 'pane-died' ? 'its chat dying' : 'an error'} although the endpoint answered ${last.status} with the whole reply (${chars} chars): ${quote(message.detail ?? '')}`,
        );
      }
      // The harness's part only where wg's record agrees: the transcript holds the reply too (or there is none to read).
      const transcriptAgrees = !message.transcript || message.transcript.status === 'ok' || message.transcript.status === 'unavailable';
      if (transcriptAgrees && tailOnScreen(last.reply, input.screen)) {
        return cause('harness', `wg drew the reply (its last words are on the screen) but the judge could not read the turn: ${quote(message.signal)}`);
      }
      return cause(
        'app',
        `the endpoint sent the whole reply (${chars} chars, stream complete); wg did not show it (${message.verdict}: ${quote(message.signal)})`,
      );
    }
    if (last?.aborted) return cause('app', `wg closed the connection before the reply was complete (${describeRequests(own)})`);
  }

  // The endpoint is not ours: only wg's own words can point at the provider.
  const status = statusIn(words) ?? logLines.map(statusIn).find((s) => s !== undefined);
  if (status !== undefined && (status >= 500 || status === 429))
    return cause('provider', `the model endpoint answered ${status} (${quote(message.detail ?? message.signal)})`);
  if (/connection (refused|reset|failed)|timed? ?out|ECONNREFUSED|ETIMEDOUT/i.test(words))
    return cause('provider', `the model endpoint could not be reached: ${quote(message.detail ?? message.signal)}`);
  return cause('unknown', `the evidence does not decide (${message.verdict}${status !== undefined ? `, status ${status} named` : ''})`);
}

/** A message never typed because the chat had died: it shares the dead message's cause. */
export function notSentCause(dead: MessageResult): Cause {
  const base = dead.cause ?? { kind: 'unknown' as const, text: dead.signal, seen: [] };
  return { kind: base.kind, text: `not typed: the chat died at message ${dead.index}/${dead.total} (${dead.verdict}) — ${base.text}`, seen: [] };
}
