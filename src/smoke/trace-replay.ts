import { access, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TerminalSession } from '../terminal/session.js';
import { pollUntil, ProbeTimeoutError } from '../wg/poll.js';
import type { PasteText } from './trace-turns.js';
import { describeEvent, encodeKey, encodeMouse, parseTrace, sameEvent, stateDifferences, type TraceEntry, type TraceEvent } from '../wg/trace.js';

// `run --from-trace FILE`: a recorded trace's events typed into the real `wg tui`, and after each the
// state the live TUI recorded in its own trace (`--trace`) compared with the recorded one. wg records
// the state an event found, so event N's comparison says whether the TUI was where the user's was
// when they pressed it.

/** A recorded gap longer than this is cut to it (a user who left for lunch). */
export const PACE_CAP_MS = 5000;
/** How long a sent event may take to show in the live trace. */
const LIVE_EVENT_TIMEOUT_MS = 10_000;
/** How long wg tui may take to open its trace file. */
const START_TIMEOUT_MS = 30_000;

export type TracePace = 'recorded' | 'fast';
export type OnDivergence = 'stop' | 'continue';

export interface TraceReplayInput {
  session: TerminalSession;
  recorded: TraceEntry[];
  /** The replayed run's own `wg tui --trace` file. */
  liveFile: string;
  pace: TracePace;
  onDivergence: OnDivergence;
  signal: AbortSignal;
  /** A loud line (FINDING). */
  say: (line: string) => void;
  /** Saves the screen under this base name; gives where, in words. */
  saveScreen: (base: string) => Promise<string>;
  /** Saves a text file of evidence (the screen before a diverged event); gives its name. */
  saveText: (name: string, text: string) => Promise<string>;
  /** The messages the trace sent: the Enter events that end one, by event index, with the text typed. */
  turns: ReadonlyMap<number, string>;
  /**
   * Judges one message: calls `deliver` to send its Enter, then waits for the verdict. Says whether
   * the chat is still there to take the trace's next events (false after a fatal verdict).
   */
  judge: (turn: { text: string; index: number }, deliver: () => Promise<void>) => Promise<boolean>;
  /** Pastes in order: the user's own text, or `x`s of the recorded length. */
  paste: PasteText;
  /**
   * Waits, before an event, for what the user saw before pressing it (bounded): the first key into a
   * chat waits for that chat on screen, as the user's did, on a machine slower or faster than theirs.
   */
  ready: (entry: TraceEntry, previous: TraceEntry | undefined) => Promise<void>;
}

export interface TraceReplayOutcome {
  /** Events typed. */
  sent: number;
  /** The DIVERGED lines, in order. */
  divergences: string[];
  /** Why the replay ended before the last event, if it did. */
  stopped?: string;
  /** Messages judged. */
  judged: number;
}

/** The bytes for a recorded event; a paste is a bracketed paste of its text (by default `x`s of the recorded length). */
export function bytesFor(
  event: TraceEvent,
  pasted: string = event.type === 'Paste' ? 'x'.repeat(event.len) : '',
): string | { resize: { cols: number; rows: number } } {
  switch (event.type) {
    case 'Key':
      return encodeKey(event.code, event.modifiers).bytes;
    case 'Mouse':
      return encodeMouse(event.kind, event.row, event.col).bytes;
    case 'Paste':
      return `\x1b[200~${pasted}\x1b[201~`;
    case 'Resize':
      return { resize: { cols: event.width, rows: event.height } };
    case 'FocusGained':
      return '\x1b[I';
    case 'FocusLost':
      return '\x1b[O';
  }
}

const value = (v: unknown): string => (v === null || v === undefined ? 'none' : typeof v === 'string' ? v : JSON.stringify(v));

export async function replayTrace(input: TraceReplayInput): Promise<TraceReplayOutcome> {
  const { session, recorded, liveFile } = input;
  const outcome: TraceReplayOutcome = { sent: 0, divergences: [], judged: 0 };
  // Live lines already matched to an event.
  let consumed = 0;
  let previousT = 0;
  let pastes = 0;
  // The trace's clock starts when wg opens its trace file, not when the process starts: the first
  // event is sent that long after the live file appears, at either pace (a key sent before wg reads
  // its terminal is lost; the user's first gap is wg's startup, not their typing).
  try {
    await pollUntil(
      () =>
        access(liveFile)
          .then(() => true)
          .catch(() => undefined),
      { timeoutMs: START_TIMEOUT_MS, what: `wg tui's own trace file ${liveFile}` },
    );
  } catch (error) {
    if (!(error instanceof ProbeTimeoutError)) throw error;
    return { ...outcome, stopped: `wg tui wrote no trace file within ${START_TIMEOUT_MS / 1000}s` };
  }
  let lastSentAt = performance.now();
  for (const [i, entry] of recorded.entries()) {
    if (input.signal.aborted) return { ...outcome, stopped: 'the run was stopped' };
    if (session.exitInfo) return { ...outcome, stopped: `wg tui exited before event ${i + 1}` };
    // The user's gap counts from when the previous event went: a judged turn's wait for its reply
    // spends the gap the user spent reading it.
    if (input.pace === 'recorded' || i === 0) {
      const gap = Math.min(PACE_CAP_MS, Math.max(0, (entry.t - previousT) * 1000));
      await sleep(Math.max(0, lastSentAt + gap - performance.now()), undefined, { signal: input.signal }).catch(() => undefined);
    }
    previousT = entry.t;
    await input.ready(entry, recorded[i - 1]);
    const before = session.screen().lines.join('\n');
    const bytes = bytesFor(entry.event, entry.event.type === 'Paste' ? input.paste(pastes++, entry.event.len) : undefined);
    const send = () => {
      if (typeof bytes === 'string') session.write(bytes);
      else session.resize(bytes.resize.cols, bytes.resize.rows);
      outcome.sent++;
      lastSentAt = performance.now();
    };
    const text = input.turns.get(i);
    let chatAlive = true;
    if (text === undefined) send();
    else {
      chatAlive = await input.judge({ text, index: ++outcome.judged }, () => Promise.resolve(send()));
    }
    const where = `event ${i + 1} (t=${entry.t.toFixed(1)}s, ${describeEvent(entry.event)})`;
    const diverged = async (what: string) => {
      const beforeFile = await input.saveText(`diverged-${i + 1}-before.txt`, `${before}\n`);
      const line = `DIVERGED at ${where}: ${what} (screen before: ${beforeFile}, after: ${await input.saveScreen(`diverged-${i + 1}-after`)})`;
      input.say(line);
      outcome.divergences.push(line);
    };
    let live: TraceEntry;
    try {
      live = await pollUntil(
        async () => {
          const lines = parseTrace(await readFile(liveFile, 'utf8').catch(() => ''));
          const at = lines.slice(consumed).findIndex((l) => sameEvent(l.event, entry.event));
          if (at < 0) return undefined;
          consumed += at + 1;
          return lines[consumed - 1];
        },
        { timeoutMs: LIVE_EVENT_TIMEOUT_MS, what: `${where} in the live trace` },
      );
    } catch (error) {
      if (!(error instanceof ProbeTimeoutError)) throw error;
      await diverged(`the live wg tui recorded no such event within ${LIVE_EVENT_TIMEOUT_MS / 1000}s`);
      return { ...outcome, stopped: 'the live trace lost the replay' };
    }
    const diffs = stateDifferences(entry.state, live.state);
    if (diffs.length) {
      const recordedText = diffs.map((d) => `${d.field}=${value(d.recorded)}`).join(' ');
      const liveText = diffs.map((d) => `${d.field}=${value(d.live)}`).join(' ');
      await diverged(`recorded ${recordedText}, live ${liveText}`);
      if (input.onDivergence === 'stop') return { ...outcome, stopped: `diverged at event ${i + 1}` };
    }
    if (!chatAlive) return { ...outcome, stopped: `the chat died at message ${outcome.judged}` };
  }
  return outcome;
}
