import { readdir, readFile, stat } from 'node:fs/promises';
import { renderHistory } from '../../terminal/index.js';
import { basename, dirname, join } from 'node:path';
import stripAnsi from 'strip-ansi';
import { lastIndex, type TurnContext } from '../surfaces/observation.js';

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

// anyhow's exit report: `Error: <context>`, a blank line, then `Caused by:` and the causes
// (indented, numbered when there are several), up to the backtrace.
// A retry notice is never the last word: the final error after the last retry is.
const RETRY_NOTICE = /Retrying in \d+|retrying \(\d+\/\d+\)|\(attempt \d+\/\d+\)/i;

/** The exit report of the last error in `lines`, one line: `Error: context: cause: cause`. */
export function finalErrorReport(lines: readonly string[]): string | undefined {
  let at = -1;
  for (let i = lines.length - 1; i >= 0 && at < 0; i--) if (/^Error: /.test(lines[i]?.trim() ?? '')) at = i;
  if (at < 0) return undefined;
  const parts = [(lines[at] as string).trim()];
  let causes = false;
  for (const line of lines.slice(at + 1)) {
    if (line.trim() === '') continue; // anyhow puts a blank line before `Caused by:`
    if (line.trim() === 'Caused by:') causes = true;
    else if (causes && /^\s+\S/.test(line)) parts.push(line.trim().replace(/^\d+:\s*/, ''));
    else break; // `Stack backtrace:`, or the next thing printed
  }
  return parts.join(': ');
}

/**
 * wg's last words after this turn's message (the dump holds the whole session), ANSI stripped:
 * nex's final exit report when it wrote one (the error after the last retry, with its causes),
 * else the error lines it printed, the one carrying the HTTP status first; never a retry notice.
 */
export async function lastWordsFromDump(prefix: string, turn?: TurnContext): Promise<string | undefined> {
  const found: string[] = [];
  let report: string | undefined;
  const needle = turn?.text.split('\n')[0]?.trim().slice(0, 40);
  for (const file of await dumpFiles(prefix)) {
    // A carriage return starts the line over (nex's spinner is overwritten that way): each segment is a line.
    // nex's spinner (`↯↯↯↯↯ 7s`) is not always ended before stderr's report: `↯↯↯↯↯ 7sError: …`.
    const lines = stripAnsi((await readFile(file)).toString('utf8'))
      .split(/\r?\n|\r/)
      .map((l) => l.replace(/^\s*↯+\s*\d*s?(?=\S)/, ''));
    // The turn starts at the REPL's echo of the message (`> hi`), not at any line that contains
    // its words (a backtrace line contains `hi` too).
    // (rustyline redraws the input on a segment of its own: `hi`, or `> hi`.)
    const isEcho = (t: string) => t === needle || t.endsWith(`> ${needle}`) || ((needle?.length ?? 0) >= 20 && t.includes(needle as string));
    const echoAt = needle ? lastIndex(lines, (l) => isEcho(l.trim())) : -1;
    const after = lines.slice(echoAt + 1);
    report = finalErrorReport(after) ?? report;
    for (const line of after) {
      const trimmed = line.trim();
      if (LAST_WORDS.test(trimmed) && !RETRY_NOTICE.test(trimmed) && trimmed !== 'Caused by:' && !found.includes(trimmed)) found.push(trimmed);
    }
  }
  if (report) return report;
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
