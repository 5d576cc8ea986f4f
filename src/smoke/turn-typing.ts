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
