// How much of a reply's text a screen shows, whatever wg did to its layout. A surface wraps lines
// at its pane's width (also inside words), renders markdown (drops `#`, `**`, fences, turns `-`
// into `•`), indents, and draws borders. What it must not do is lose or change the words. So both
// sides are reduced to their letters and digits, and the reply's words are looked for in order.

/** The words of a text: runs of letters, digits and marks, lower-cased. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
}

export interface Coverage {
  /** Fraction (0–1) of the reply's word characters found in order in the screen text. */
  fraction: number;
  /** Word characters of the reply. */
  total: number;
  /** The first few reply words that were not found, for the output. */
  firstMissing?: string;
}

// How far ahead of the last match a word may be found. A reply's words appear in order, but a
// common word ("the") also appears far later; a bounded window keeps one missing word from
// making the search skip over a whole section.
const WINDOW = 400;

/**
 * In-order coverage of `reply` by `seen`. The screen side is one string of letters and digits, so
 * a word wrapped across two rows (`consec` / `tetur`) is still found. A chat may show a reply
 * twice (nex prints the raw stream, then erases what it can reach and reprints it rendered), so
 * the words are matched front to back and back to front, and the better match counts.
 */
export function replyCoverage(reply: string, seen: string): Coverage {
  const words = wordsOf(reply);
  const total = words.reduce((sum, w) => sum + w.length, 0);
  if (total === 0) return { fraction: 1, total: 0 };
  const hay = wordsOf(seen).join('');
  const forward = matchInOrder(words, hay);
  const backward = forward.found === total ? forward : matchBackwards(words, hay);
  const best = backward.found > forward.found ? backward : forward;
  return { fraction: best.found / total, total, firstMissing: best.missing.length > 0 ? best.missing.join(' ') : undefined };
}

interface Match {
  found: number;
  missing: string[];
}

function matchInOrder(words: readonly string[], hay: string): Match {
  let pos = 0;
  const result: Match = { found: 0, missing: [] };
  for (const word of words) {
    const at = hay.indexOf(word, pos);
    if (at >= 0 && at - pos <= WINDOW) {
      result.found += word.length;
      pos = at + word.length;
    } else if (result.missing.length < 6) result.missing.push(word);
  }
  return result;
}

function matchBackwards(words: readonly string[], hay: string): Match {
  let end = hay.length;
  const result: Match = { found: 0, missing: [] };
  const missed: string[] = [];
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i] as string;
    const at = hay.lastIndexOf(word, end - word.length);
    if (at >= 0 && end - (at + word.length) <= WINDOW) {
      result.found += word.length;
      end = at;
    } else missed.unshift(word);
  }
  result.missing = missed.slice(0, 6);
  return result;
}

/** True when every word of `line` occurs, in order, inside `text`: the line is part of that text. */
export function isPartOf(line: string, text: string | undefined): boolean {
  if (!text) return false;
  const words = wordsOf(line);
  if (words.length === 0) return false;
  return wordsOf(text).join('').includes(words.join(''));
}
