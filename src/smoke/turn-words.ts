// The words the turn's signal and its cause both use (one wording, so the cause can quote what
// the signal said): a reply in flight, and a text cut to one line.
import type { LiveStream } from '../endpoint/index.js';

/** A text on one line, cut to `max` characters with an ellipsis. */
export const quote = (text: string, max = 120): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** A reply in flight, in words: how much came and at what pace, or how long the server has said nothing. */
export function streamWords(stream: LiveStream, budgetMs?: number): string {
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
  const within = budgetMs === undefined ? `in ${secs(stream.elapsedMs)}` : `within ${budgetMs / 1000}s`;
  if (stream.total !== undefined) return `${stream.sent} of ${stream.total} chars sent ${within}`;
  if (stream.firstByteMs === undefined) return `nothing sent yet after ${secs(stream.elapsedMs)}`;
  const streamingMs = stream.elapsedMs - stream.firstByteMs;
  const pace = streamingMs > 0 ? `, ${Math.round((stream.sent / streamingMs) * 1000)} chars/s` : '';
  return `${stream.sent} chars ${within}, first byte after ${secs(stream.firstByteMs)}${pace}`;
}
