// Replay: answer from a recording made by the recording proxy (src/endpoint/proxy.ts), offline,
// with the recorded status, headers, chunks and their timing, and the recorded cut where the
// upstream's stream was cut.
import { readFile } from 'node:fs/promises';
import { OptionError } from '../errors.js';
import { cutReason, type Exchange } from './exchange.js';
import { lastUserText } from './replies.js';
import { StreamFacts, type StreamOutcome } from './stream-facts.js';

/** One recorded exchange: a line of the record file. `t` is ms since the request arrived. */
export interface RecordedExchange {
  /** Order of arrival at the proxy (lines are written as exchanges end); absent in older recordings. */
  seq?: number;
  method: string;
  path: string;
  body: unknown;
  lastUser: string | null;
  status: number;
  headers: Record<string, string>;
  chunks: { t: number; data: string }[];
  /**
   * How the upstream's answer ended when it did not end cleanly: `reset` (the connection died
   * mid-stream; the proxy cut wg's connection the same way) or `unreachable` (no answer at all;
   * the proxy answered 502 with the chunks' body) or `unanswered` (the client went away before the
   * server answered; a replay keeps the request waiting until its client goes) or `left` (the client
   * went away mid-answer; a replay keeps the answer open after the chunks). Absent otherwise.
   */
  cut?: 'reset' | 'unreachable' | 'unanswered' | 'left';
  /** The upstream's error in words, for a cut exchange (`ECONNRESET`, `ECONNREFUSED`). */
  failure?: string;
}

/** What a proxied or replayed exchange produced, for the traffic log. */
export interface RelayOutcome {
  /** What the answer said (reply, finished, error, the server's numbers). */
  facts: StreamOutcome;
  /** Why the exchange did not finish (the upstream's words, a cut, the client gone); null when it did. */
  error: string | null;
  /** Arrival time of each chunk in ms since the request arrived. */
  chunkTimes: number[];
}

export const lastUserOf = (body: unknown): string | null => {
  const messages = (body as { messages?: unknown } | null)?.messages;
  return Array.isArray(messages) ? lastUserText(messages) : null;
};

/** Our own 502, in the nested OpenAI shape so wg prints the message. */
export function badGateway(message: string) {
  return { status: 502, body: JSON.stringify({ error: { message, type: 'BadGateway', param: null, code: 502 } }) };
}

/** Recorded exchanges, handed out once each: content match first, then recording order. */
export class ReplayBook {
  private readonly used: boolean[];
  constructor(readonly exchanges: readonly RecordedExchange[]) {
    this.used = exchanges.map(() => false);
  }

  /** Reads a record file; a broken line is an OptionError naming the file and line. */
  static async load(file: string): Promise<ReplayBook> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new OptionError(`--replay ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    const exchanges: RecordedExchange[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: RecordedExchange;
      try {
        parsed = JSON.parse(line) as RecordedExchange;
      } catch {
        throw new OptionError(`--replay ${file}: line ${i + 1} is not JSON`);
      }
      if (typeof parsed.method !== 'string' || typeof parsed.path !== 'string' || typeof parsed.status !== 'number' || !Array.isArray(parsed.chunks)) {
        throw new OptionError(`--replay ${file}: line ${i + 1} is not a recorded exchange (method, path, status, chunks)`);
      }
      exchanges.push(parsed);
    });
    // Handed out in the order they arrived, as the client sent them.
    exchanges.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    return new ReplayBook(exchanges);
  }

  /** Takes the exchange for this request, or undefined when nothing recorded fits. */
  take(method: string, path: string, lastUser: string | null): RecordedExchange | undefined {
    const free = (i: number) => !this.used[i] && this.exchanges[i]!.method === method && this.exchanges[i]!.path === path;
    let index = this.exchanges.findIndex((x, i) => free(i) && x.lastUser === lastUser);
    if (index === -1) index = this.exchanges.findIndex((_, i) => free(i));
    if (index === -1) return undefined;
    this.used[index] = true;
    return this.exchanges[index];
  }

  /** How many recorded exchanges are still unused. */
  remaining(): number {
    return this.used.filter((u) => !u).length;
  }
}

/** Answers from a recording, with the recorded status, headers, chunk timing and cut. */
export async function replayExchange(ex: Exchange, bodyText: string, book: ReplayBook): Promise<RelayOutcome> {
  const method = ex.req.method ?? 'GET';
  const path = ex.req.url ?? '/';
  let lastUser: string | null = null;
  try {
    lastUser = lastUserOf(JSON.parse(bodyText));
  } catch {
    // not JSON: only order can match it
  }
  const recorded = book.take(method, path, lastUser);
  const facts = new StreamFacts();
  if (!recorded) {
    const what = `${method} ${path}${lastUser !== null ? ` (last user message ${JSON.stringify(lastUser.slice(0, 60))})` : ''}`;
    const message = `replay: no recorded exchange matches ${what}; ${book.remaining()} unused of ${book.exchanges.length}`;
    ex.send(badGateway(message));
    return { facts: facts.outcome(), error: message, chunkTimes: [] };
  }
  // In flight as it was live: the turn judge sees a replayed reply stream as it saw the server's.
  if (lastUser !== null) ex.progress = { lastUser, sent: 0, requestChars: bodyText.length };
  if (recorded.cut === 'unanswered') {
    await ex.sleep(Infinity); // until the client goes away or the endpoint closes, as live
    return { facts: facts.outcome(), error: cutReason(ex), chunkTimes: [] };
  }
  ex.head(recorded.status, recorded.headers);
  let previous = 0;
  const chunkTimes: number[] = [];
  for (const chunk of recorded.chunks) {
    if (!(await ex.sleep(chunk.t - previous))) break;
    previous = chunk.t;
    facts.feed(chunk.data);
    if (ex.progress) ex.progress.sent = facts.chars;
    chunkTimes.push(chunk.t);
    if (!(await ex.write(chunk.data))) break;
  }
  // The client left mid-answer when this was recorded: it is left to leave again, nothing ends the answer.
  if (recorded.cut === 'left' && ex.open) await ex.sleep(Infinity);
  const cutOff = !ex.open;
  // The upstream's connection died mid-stream when this was recorded: wg's dies the same way.
  if (recorded.cut === 'reset' && !cutOff) {
    // What was written this tick leaves first (the write is corked until the next tick).
    await new Promise((resolve) => setImmediate(resolve));
    ex.drop();
  } else ex.end();
  const outcome = facts.outcome();
  const error = cutOff ? cutReason(ex) : recorded.cut ? (recorded.failure ?? recorded.cut) : relayError(recorded.status, outcome);
  return { facts: outcome, error, chunkTimes };
}

/** Why a relayed answer (proxied or replayed) did not finish, in the server's words; null when it did. */
export function relayError(status: number, facts: StreamOutcome): string | null {
  if (status < 200 || status >= 300) return `${status} from the server${facts.error ? `: ${facts.error}` : ''}`;
  if (facts.error) return `error in the stream: ${facts.error}`;
  if (!facts.finished) return facts.reply === null ? 'the answer carried no completion' : 'the server ended the stream without [DONE] or a finish_reason';
  return null;
}
