import { parseModifiers, toChatInput, TraceError, type TraceEntry } from '../wg/trace.js';

// The messages a recorded trace sent: each Enter the trace shows going to a chat's input, with the
// text typed into that input since the chat's previous Enter. A replay judges each as a turn. Pure.

export interface TraceTurn {
  /** Index of the Enter event in the trace (0-based). */
  enterAt: number;
  /** What was typed into the chat input before it: printable keys, Backspace applied, pastes. */
  text: string;
}

/** The text typed for a paste: the user's own, in order, where given (`--paste-text`); else `x`s of its recorded length. */
export type PasteText = (index: number, length: number) => string;

export const placeholderPaste: PasteText = (_index, length) => 'x'.repeat(length);

/** Each Enter into a chat input that had text typed since the last one. An Enter with nothing typed (one that opens the composer) is a key, not a message. */
export function traceTurns(entries: readonly TraceEntry[], paste: PasteText = placeholderPaste): TraceTurn[] {
  const turns: TraceTurn[] = [];
  let typed: string[] = [];
  let pastes = 0;
  for (const [i, { event, state }] of entries.entries()) {
    if (event.type === 'Paste') {
      if (toChatInput(state)) typed.push(...paste(pastes, event.len));
      pastes++;
      continue;
    }
    if (event.type !== 'Key' || !toChatInput(state)) continue;
    const mods = parseModifiers(event.modifiers);
    if (event.code === 'Enter' && mods.size === 0) {
      const text = typed.join('');
      if (text.trim() !== '') turns.push({ enterAt: i, text });
      typed = [];
    } else if (event.code === 'Backspace' && mods.size === 0) typed.pop();
    else if ([...event.code].length === 1 && [...mods].every((m) => m === 'Shift')) typed.push(event.code);
    // Ctrl+U and Ctrl+C clear a line in every chat input wg has embedded (nex's REPL, Pi, claude, the composer).
    else if (mods.has('Ctrl') && ['u', 'c'].includes(event.code.toLowerCase())) typed = [];
  }
  return turns;
}

/** The texts of `--paste-text FILE`: one per paste, in order, separated by a line holding only `---`. */
export function splitPasteFile(text: string): string[] {
  return text.split(/^---$/m).map((t) => t.replace(/^\n/, '').replace(/\n$/, ''));
}

/**
 * The user's own pasted texts for a trace, checked against it: one per recorded paste, each of the
 * recorded length (wg records a paste's length in UTF-8 bytes), else a TraceError that says which.
 */
export function pasteTextsFor(entries: readonly TraceEntry[], texts: readonly string[]): PasteText {
  const lengths = entries.flatMap((e) => (e.event.type === 'Paste' ? [e.event.len] : []));
  if (texts.length !== lengths.length)
    throw new TraceError(
      `the trace has ${lengths.length} paste${lengths.length === 1 ? '' : 's'} and the paste file ${texts.length} text${texts.length === 1 ? '' : 's'}`,
    );
  for (const [i, len] of lengths.entries()) {
    const bytes = Buffer.byteLength(texts[i] as string, 'utf8');
    if (bytes !== len) throw new TraceError(`paste ${i + 1} is ${len} bytes in the trace and ${bytes} in the paste file`);
  }
  return (index) => texts[index] as string;
}
