// How fast the endpoint streams. `real` imitates a small model on a real SGLang/vLLM server: a
// first token after the prefill, then one token per SSE chunk at a steady decode rate. `instant`
// sends a reply in a dozen chunks with no delay (the behaviour before the corpus existed).
import { OptionError } from '../errors.js';

export interface Pace {
  /** Request to first content chunk (prefill), in ms. */
  ttftMs: number;
  /** Decode rate; 0 = no delay between chunks. */
  tokensPerSec: number;
  /** One chunk per token (`token`), or at most a dozen chunks (`batch`). */
  chunking: 'token' | 'batch';
}

// Single-stream figures of a small model on one GPU: vLLM's own example with TinyLlama-1.1B reports
// ttft 25 ms and 57 tokens in 832 ms (~68 tok/s); wg sends a few thousand tokens of system prompt
// and tool definitions, so the prefill is longer. 250 ms and 60 tok/s sit inside that range.
export const REAL_PACE: Pace = { ttftMs: 250, tokensPerSec: 60, chunking: 'token' };
export const INSTANT_PACE: Pace = { ttftMs: 0, tokensPerSec: 0, chunking: 'batch' };

/** `real`, `instant`, or `TTFT_MS:TOKENS_PER_SEC` such as `400:30`. */
export function parsePace(text: string): Pace {
  if (text === 'real') return REAL_PACE;
  if (text === 'instant') return INSTANT_PACE;
  const m = /^(\d+):(\d+(?:\.\d+)?)$/.exec(text);
  const tps = Number(m?.[2]);
  if (!m || !(tps > 0) || tps > 100_000) throw new OptionError(`--pace takes real, instant or TTFT_MS:TOKENS_PER_SEC (such as 400:30), got "${text}"`);
  return { ttftMs: Number(m[1]), tokensPerSec: tps, chunking: 'token' };
}

/**
 * Cuts text into token-sized pieces the way a tokenizer's output arrives: up to four characters of
 * a word with the whitespace before it. Joining the pieces gives the text back exactly.
 */
export function splitIntoTokens(text: string): string[] {
  return text.match(/\s*\S{1,4}|\s+/gsu) ?? [];
}
