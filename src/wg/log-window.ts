import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wgDirOf } from './wg-dir.js';

// wg's daemon log (`<wg dir>/service/daemon.log`, the handlers' stderr relayed into it as
// `[coordinator-N stderr] …`) for one message's time window: what a failed message's cause is
// built from besides the endpoint's requests. Lines start with an ISO time; a line without one
// continues the one before (a backtrace, a wrapped error body).

const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\s/;
/** Lines worth a person's eye: errors, warnings, restarts, spawn failures, panics. */
const NOTABLE = /\[(ERROR|WARN)\]|panicked|\bfailed\b|\brestart|\bexited\b|\bcrash/i;
/** Most lines kept for one window. */
const MAX_LINES = 12;

/** The notable daemon-log lines written between `sinceMs` and `untilMs` (epoch ms), oldest first. */
export async function notableLogLines(projectDir: string, sinceMs: number, untilMs: number): Promise<string[]> {
  const wgDir = await wgDirOf(projectDir);
  const text = await readFile(join(wgDir, 'service', 'daemon.log'), 'utf8').catch(() => '');
  return notableLines(text, sinceMs, untilMs);
}

/** The same, over a log's text (pure: for specs and recorded runs). */
export function notableLines(text: string, sinceMs: number, untilMs: number): string[] {
  const out: string[] = [];
  let keep = false;
  for (const line of text.split('\n')) {
    const stamp = STAMP.exec(line)?.[1];
    if (stamp) {
      const at = Date.parse(stamp);
      keep = at >= sinceMs && at <= untilMs && NOTABLE.test(line);
      if (keep) out.push(line.trim());
    } else if (keep && line.trim()) {
      out.push(line.trim());
    }
    if (out.length >= MAX_LINES) break;
  }
  return out;
}
