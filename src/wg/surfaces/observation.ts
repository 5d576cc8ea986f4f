// What a chat detector reads off one screen for the turn under way. Pure data: detectors are pure
// functions of the screen's lines, so recorded real-wg screens test them without wg.

export interface TurnObservation {
  /** The chat surface is on screen (nex pane, Pi pane). */
  chatVisible: boolean;
  /** The chat surface is gone: pane removed, death panel, fallback view. Carries the words seen. */
  chatGone?: string;
  /** The user's message is visible in the chat. */
  echoed: boolean;
  /** Reply text to this message seen so far (may be partial while streaming). */
  reply: string;
  /** wg shows it is working (spinner, `Working...`). */
  busy: boolean;
  /** The turn visibly ended: prompt or editor back, busy indicator gone. */
  ended: boolean;
  /** An error line shown for this turn. */
  error?: string;
  /** Visible retries (`retrying 2/3`). */
  retries: string[];
  /** Rust panic text on screen, outside the chat (the panic hook prints on the primary screen). */
  panic?: string;
  /**
   * The chat shows a turn over (prompt or editor back, nothing busy) whether or not this message's
   * echo is on screen. With the echo scrolled off by a tall reply, the judge reads the chat's
   * history to decide the turn.
   */
  promptBack?: boolean;
}

/** What a detector needs to know about the turn. */
export interface TurnContext {
  text: string;
  /** 1-based message number in the scenario. */
  index: number;
  /**
   * The assistant's text for this turn when the harness knows it (what the embedded endpoint
   * streamed, or wg's transcript). A line that is part of it is the assistant speaking, never an
   * error of wg's, whatever words it holds.
   */
  assistantText?: string;
  /** The screen just before the message was sent: where a chat draws no echo, the turn is what came after it. */
  before?: readonly string[];
}

export type TurnDetector = (lines: readonly string[], turn: TurnContext) => TurnObservation;

/** The last row index whose trimmed text satisfies `test`, searching upwards from `from`. */
export function lastIndex(lines: readonly string[], test: (line: string) => boolean, from = lines.length - 1): number {
  for (let i = Math.min(from, lines.length - 1); i >= 0; i--) if (test(lines[i] ?? '')) return i;
  return -1;
}

const PANIC = /thread '[^']*' panicked at|panicked at .*\.rs:\d+/;

/** Rust panic text anywhere on screen (the panic hook prints it on the primary screen). */
export function findPanic(lines: readonly string[]): string | undefined {
  const i = lastIndex(lines, (l) => PANIC.test(l));
  return i < 0 ? undefined : [lines[i], lines[i + 1]].filter(Boolean).join(' ').trim();
}

/** Collapses a block of lines into one line of text. */
export const joinBlock = (lines: readonly string[]): string =>
  lines
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');

/**
 * The turn's error, if the turn ends on one: error lines followed by a reply were retries that
 * recovered (wg and Pi leave them on screen), so only trailing error lines count.
 */
export function trailingError(block: readonly string[], isError: (line: string) => boolean, isNoise: (line: string) => boolean): string | undefined {
  const meaningful = block.map((l) => l.trim()).filter((l) => l && !isNoise(l));
  const trailing: string[] = [];
  for (let i = meaningful.length - 1; i >= 0 && isError(meaningful[i] as string); i--) trailing.unshift(meaningful[i] as string);
  return trailing.length > 0 ? trailing.join(' ') : undefined;
}

/** The text without any whitespace: how echoes and messages are compared across wraps and reflows. */
export const squash = (text: string): string => text.replace(/\s+/g, '');

/** Where a message's echo sits: its first and last row (a long message wraps over several). */
export interface EchoRows {
  start: number;
  end: number;
}

/**
 * The last place where `rows` show one of `targets` (`> hi`, the message as the chat echoes it),
 * wrapped over consecutive rows at any column: whitespace is ignored, so a wrap inside a word or
 * at a space matches alike. `strip` removes row decoration (a right-aligned timestamp) first.
 */
export function findEcho(rows: readonly string[], targets: readonly string[], strip: (row: string) => string = (r) => r): EchoRows | undefined {
  const wanted = targets.map(squash).filter(Boolean);
  if (wanted.length === 0) return undefined;
  for (let start = rows.length - 1; start >= 0; start--) {
    const first = squash(strip(rows[start] ?? ''));
    if (!first) continue;
    for (const target of wanted) {
      if (!target.startsWith(first)) continue;
      let joined = first;
      let end = start;
      while (joined.length < target.length && end + 1 < rows.length) {
        const next = squash(strip(rows[end + 1] ?? ''));
        if (!next || !target.startsWith(joined + next)) break;
        joined += next;
        end++;
      }
      if (joined === target) return { start, end };
    }
  }
  return undefined;
}
