// Chunk builders: the fast content path must produce the same bytes as serialising the object.
import { describe, expect, it } from 'vitest';
import { completionIds, contentChunk, sseEvent } from '../../src/endpoint/sse.js';
import { echoOf, replyFor, splitIntoChunks } from '../../src/endpoint/replies.js';

describe('sse chunks', () => {
  it('fast content chunks equal JSON.stringify of the chunk object, per flavor', () => {
    for (const flavor of ['sglang', 'vllm'] as const) {
      const ids = completionIds(flavor, 7, 'qw"en');
      for (const text of ['plain', 'quo"te\n', '\u0000ü😀']) {
        const delta = flavor === 'vllm' ? { content: text } : { reasoning_content: null, content: text };
        const choice =
          flavor === 'vllm'
            ? { index: 0, delta, logprobs: null, finish_reason: null }
            : { index: 0, delta, logprobs: null, finish_reason: null, matched_stop: null };
        const expected = sseEvent({ id: ids.id, object: 'chat.completion.chunk', created: ids.created, model: ids.model, choices: [choice] });
        expect(contentChunk(ids, text)).toBe(expected);
      }
    }
  });

  it('replies are deterministic, masked, cut, and chunked losslessly', () => {
    expect(replyFor([{ role: 'user', content: '\n  first line  \nsecond' }])).toBe('Reply 1 to: first line');
    expect(echoOf('Token CONTEXT maximum prompt')).toBe('xxxxx xxxxxxx xxxxxxx xxxxxx');
    expect(echoOf('a'.repeat(100))).toHaveLength(60);
    const text = 'Reply 3 to: a b c d e f g h i j k l m n o p q r s t u v w x y z';
    const chunks = splitIntoChunks(text);
    expect(chunks.join('')).toBe(text);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThanOrEqual(12);
  });
});
