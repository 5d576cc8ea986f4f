// What the HTML report shows beside each result, picked out of a scenario's recorded files: the
// cast's message markers, the endpoint exchanges and the daemon-log lines of a message's window.
// Pure: text in, plain data out, so specs feed recorded runs.
import type { MessageResult } from './model.js';

/** The fields of one endpoint-traffic.ndjson entry that the report shows (the file has more). */
export interface Exchange {
  time: string;
  seq?: number;
  method?: string;
  path?: string;
  model?: string | null;
  status?: number;
  ttfbMs?: number | null;
  durationMs?: number;
  lastUser?: string | null;
  reply?: string | null;
  complete?: boolean;
  fault?: string | null;
  error?: string | null;
  aborted?: boolean;
}

/** A marker in session.cast: seconds since the recording began, and its label. */
export interface CastMarker {
  time: number;
  label: string;
}

/** Markers of a cast, in order; lines that do not parse (a cast still being written) are skipped. */
export function castMarkers(cast: string): CastMarker[] {
  const out: CastMarker[] = [];
  for (const line of cast.split('\n')) {
    if (!line.includes('"m"')) continue;
    try {
      const event = JSON.parse(line) as unknown;
      if (Array.isArray(event) && event[1] === 'm' && typeof event[0] === 'number' && typeof event[2] === 'string')
        out.push({ time: event[0], label: event[2] });
    } catch {
      // The last line of a cast being written may be cut.
    }
  }
  return out;
}

/** The marker the harness set when it started typing message `index` (`msg-N <text>`). */
export function messageMarker(markers: readonly CastMarker[], index: number): CastMarker | undefined {
  return markers.find((m) => m.label === `msg-${index}` || m.label.startsWith(`msg-${index} `));
}

/** The markers after message `index`'s and before the next message's: the harness's own frames (history scrolling). */
export function markersWithin(markers: readonly CastMarker[], index: number): CastMarker[] {
  const start = messageMarker(markers, index);
  if (!start) return [];
  const next = markers.find((m) => m.time > start.time && /^msg-\d+( |$)/.test(m.label));
  return markers.filter((m) => m.time > start.time && (!next || m.time < next.time) && !/^msg-\d+( |$)/.test(m.label));
}

/** Entries of an NDJSON traffic log, keeping only what the report shows; broken lines skipped. */
export function parseTraffic(ndjson: string): Exchange[] {
  const out: Exchange[] = [];
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as Exchange & Record<string, unknown>;
      if (typeof e.time !== 'string') continue;
      const { time, seq, method, path, model, status, ttfbMs, durationMs, lastUser, reply, complete, fault, error, aborted } = e;
      out.push({ time, seq, method, path, model, status, ttfbMs, durationMs, lastUser, reply, complete, fault, error, aborted });
    } catch {
      // A line still being written.
    }
  }
  return out;
}

const squash = (text: string) => text.replace(/\s+/g, '');
const windowOf = (m: MessageResult): [number, number] | undefined => (m.window ? [Date.parse(m.window.start), Date.parse(m.window.end)] : undefined);

/**
 * A message's exchanges: those that arrived in its window (from typing to the verdict), and those
 * whose last user message is this message (a retry that came after the verdict, or a recording
 * without windows). Each says how it was matched.
 */
export function exchangesOf(message: MessageResult, all: readonly Exchange[]): Array<Exchange & { matched: 'window' | 'message' }> {
  const window = windowOf(message);
  const out: Array<Exchange & { matched: 'window' | 'message' }> = [];
  for (const e of all) {
    const at = Date.parse(e.time);
    if (window && at >= window[0] && at <= window[1]) out.push({ ...e, matched: 'window' });
    else if (e.lastUser && squash(e.lastUser) === squash(message.text)) out.push({ ...e, matched: 'message' });
  }
  return out;
}

const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\s/;
/** Most daemon-log lines shown for one message: the whole log is a file beside the report. */
export const MAX_LOG_LINES = 200;

/** The daemon-log lines written in a message's window; a line without a time continues the one before. */
export function logLinesOf(message: MessageResult, log: string): string[] {
  const window = windowOf(message);
  if (!window) return [];
  const out: string[] = [];
  let inWindow = false;
  for (const line of log.split('\n')) {
    const stamp = STAMP.exec(line)?.[1];
    if (stamp) {
      const at = Date.parse(stamp);
      inWindow = at >= window[0] && at <= window[1];
    }
    if (inWindow && line.trim()) out.push(line);
    if (out.length >= MAX_LOG_LINES) break;
  }
  return out;
}
