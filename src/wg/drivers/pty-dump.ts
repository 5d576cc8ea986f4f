import { readdir, readFile, stat } from 'node:fs/promises';
import { renderHistory } from '../../terminal/index.js';
import { basename, dirname, join } from 'node:path';
import stripAnsi from 'strip-ansi';
import type { TurnContext } from '../detectors/observation.js';

// wg's WG_PTY_DUMP tee: `<prefix>.<argv0 basename>.<tui pid>.bin` holds every byte a chat pane's
// child wrote (`….in.bin` what the TUI sent it). Old wg removes a dead pane within a frame, so
// this is where its last words survive. Several children may share one file.

/** The output dump files written under `prefix`. */
export async function dumpFiles(prefix: string): Promise<string[]> {
  const dir = dirname(prefix);
  const stem = `${basename(prefix)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(stem) && n.endsWith('.bin') && !n.endsWith('.in.bin')).map((n) => join(dir, n));
}

// wg's own error lines in the pane's output: a bracketed source or anyhow's exit report, at the
// start of a line (a message or reply that mentions `API error 503` is not one).
const LAST_WORDS = /^\[native-agent\] |^\[wg nex\] |^Error: |^Caused by:|session lock busy|panicked at/;

/**
 * The error lines of the dumps after this turn's message (the dump holds the whole session), ANSI
 * stripped, deduplicated, first-seen order kept; the one carrying the HTTP status first.
 */
export async function lastWordsFromDump(prefix: string, turn?: TurnContext): Promise<string | undefined> {
  const found: string[] = [];
  const needle = turn?.text.split('\n')[0]?.trim().slice(0, 40);
  for (const file of await dumpFiles(prefix)) {
    // A carriage return starts the line over (nex's spinner is overwritten that way): each segment is a line.
    const lines = stripAnsi((await readFile(file)).toString('utf8')).split(/\r?\n|\r/);
    let from = 0;
    if (needle) for (let i = lines.length - 1; i >= 0; i--) if (lines[i]?.includes(needle)) { from = i + 1; break; }
    for (const line of lines.slice(from)) {
      const trimmed = line.trim();
      if (LAST_WORDS.test(trimmed) && !found.includes(trimmed)) found.push(trimmed);
    }
  }
  if (found.length === 0) return undefined;
  const api = found.find((l) => /API error \d{3}/.test(l));
  return api ?? found[0];
}

/**
 * The whole output of the most recently written pane child, rendered at `cols` columns with all
 * its scrollback: what the pane showed, including what scrolled out of its top.
 */
export async function historyFromDump(prefix: string, cols: number): Promise<string[] | undefined> {
  let newest: { file: string; mtime: number } | undefined;
  for (const file of await dumpFiles(prefix)) {
    const info = await stat(file).catch(() => undefined);
    if (info && (!newest || info.mtimeMs > newest.mtime)) newest = { file, mtime: info.mtimeMs };
  }
  if (!newest) return undefined;
  return renderHistory(await readFile(newest.file), cols, 50);
}
