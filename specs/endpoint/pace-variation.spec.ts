import { afterEach, describe, expect, it } from 'vitest';
import { startEndpoint, type Endpoint } from '../../src/endpoint/index.js';
import { assertWellFormedStream, chatBody, eventually, post } from './helpers.js';

// A pace per request (what `run --jitter` plans): request n's first token and pauses are its own,
// the stream stays well formed, and a request without a variation keeps the configured pace.

let endpoint: Endpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

describe('paceVariation', () => {
  it('gives each chat request its own time to first token and pauses, asked once per request by number', async () => {
    const asked: number[] = [];
    endpoint = await startEndpoint({
      replies: 'echo',
      pace: { ttftMs: 0, tokensPerSec: 1000, chunking: 'token' },
      paceVariation: (n) => {
        asked.push(n);
        return n === 2 ? { ttftMs: 400, gapScale: 1, pauses: [] } : { ttftMs: 0, gapScale: 1, pauses: [{ afterChunk: 1, ms: 300 }] };
      },
    });
    const url = `${endpoint.baseUrl}/v1/chat/completions`;
    const first = await post(url, chatBody('qwen3-coder', ['hello there, how are you today']));
    const second = await post(url, chatBody('qwen3-coder', ['and again, please']));
    expect(assertWellFormedStream(first.text).reply).toMatch(/hello there, how are you today/);
    expect(assertWellFormedStream(second.text).reply).toMatch(/and again, please/);
    expect(asked).toEqual([1, 2]);
    const [one, two] = await eventually(() => (endpoint!.traffic.length === 2 ? endpoint!.traffic : undefined));
    // Request 1: its first byte at once, then the 300 ms pause after its first chunk.
    expect(one!.ttfbMs).toBeLessThan(300);
    expect(one!.durationMs).toBeGreaterThanOrEqual(295);
    // Request 2: nothing for 400 ms.
    expect(two!.ttfbMs).toBeGreaterThanOrEqual(395);
  });
});
