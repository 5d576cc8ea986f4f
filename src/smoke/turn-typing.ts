import { setTimeout as sleep } from 'node:timers/promises';
import { timeoutAsUndefined, type TerminalSession } from '../terminal/index.js';
import { squash } from '../wg/surfaces/observation.js';

// Whether the chat took what was typed: the text appears on screen as it is typed (in the input
// line, the editor, the pane's echo). Where it never does, the chat is not taking keys.

/** How long typed text may take to appear before the chat is taken as not taking keys. */
const TYPED_ECHO_MS = 1_500;

/** The end of a typed text, as one screen row would hold it (a long text wraps; its tail stays on one row). */
const typedTail = (text: string): string => squash(text).slice(-12);

/** Rows that hold `tail`, counted (a text already on screen, as a repeated message is, counts before typing too). */
const rowsWith = (lines: readonly string[], tail: string): number => lines.filter((l) => squash(l).includes(tail)).length;

/** Whether what was typed appeared on screen (in one more row than before typing) within TYPED_ECHO_MS. */
export async function typedShows(session: TerminalSession, before: readonly string[], text: string): Promise<boolean> {
  const tail = typedTail(text);
  if (tail === '') return true;
  const already = rowsWith(before, tail);
  const shown = await session
    .waitFor((s) => rowsWith(s.lines, tail) > already || undefined, { timeoutMs: TYPED_ECHO_MS, phase: 'the typed text on screen' })
    .catch(timeoutAsUndefined);
  return shown === true;
}

/** A person's typing of one message (`--jitter`): the pause before the first key, each key's gap, the gap before Enter. */
export interface PersonTyping {
  thinkMs: number;
  /** After character i, wait keyDelaysMs[i]. */
  keyDelaysMs: readonly number[];
  enterGapMs: number;
  /** Told as each key goes out (its index), to record the actual times. */
  onKey?: (i: number) => void;
  /** Told as Enter is about to be pressed. */
  onEnter?: () => void;
}

/** Waits `ms`; a stopped run ends the wait early, and the next key finds the session closed. */
const pause = (ms: number, stop?: AbortSignal): Promise<unknown> =>
  ms > 0 ? sleep(ms, undefined, { signal: stop }).catch(() => undefined) : Promise.resolve();

/** Types `text` at the fixed pace, or as `person` types it (think first, then uneven keys). `again`: a retype after the chat's hint, no thinking. */
export async function typeMessage(
  session: TerminalSession,
  text: string,
  pace: { typeDelayMs: number; person?: PersonTyping; stop?: AbortSignal },
  again = false,
): Promise<void> {
  const { person } = pace;
  if (!person) return session.type(text, { delayMs: pace.typeDelayMs });
  if (!again) await pause(person.thinkMs, pace.stop);
  await session.type(text, { delaysMs: person.keyDelaysMs, onKey: person.onKey });
}

/** The gap between the last key and Enter, as the person's schedule has it (none at the fixed pace). */
export async function beforeEnter(person: PersonTyping | undefined, stop?: AbortSignal): Promise<void> {
  if (!person) return;
  await pause(person.enterGapMs, stop);
  person.onEnter?.();
}
