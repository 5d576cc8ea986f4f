import { readdir, readFile, stat } from 'node:fs/promises';
import { renderHistory } from '../../terminal/index.js';
import { basename, dirname, join } from 'node:path';
import stripAnsi from 'strip-ansi';

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

const LAST_WORDS = /LLM request failed|Error: API request failed|Fatal authentication error|API error \d{3}|session lock busy|^Error:|panicked at/;

/** The error lines of the dumps, ANSI stripped, deduplicated, last first-seen order kept. */
export async function lastWordsFromDump(prefix: string): Promise<string | undefined> {
  const found: string[] = [];
  for (const file of await dumpFiles(prefix)) {
    const text = stripAnsi((await readFile(file)).toString('utf8')).replace(/\r/g, '');
    for (const line of text.split('\n')) {
      const trimmed = line.trim();
      if (LAST_WORDS.test(trimmed) && !found.includes(trimmed)) found.push(trimmed);
    }
  }
  if (found.length === 0) return undefined;
  // The most specific line first: the one carrying the HTTP status and body.
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
