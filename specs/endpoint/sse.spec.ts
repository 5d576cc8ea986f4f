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

// --reasoning-parser: the block a Qwen3-family model writes first goes apart, as the servers' parsers send it.
describe('a reasoning parser', () => {
  it('streams the leading <think> block as reasoning_content before the answer, and records the answer as the reply', async () => {
    const { startEndpoint } = await import('../../src/endpoint/index.js');
    const { assertWellFormedStream, chatBody, post } = await import('./helpers.js');
    for (const flavor of ['sglang', 'vllm', 'llamacpp'] as const) {
      const endpoint = await startEndpoint({
        flavor,
        replies: [{ reply: '<think>\nGreet back.\n</think>\n\nHello there!' }],
        chunkDelayMs: 0,
        reasoningParser: true,
      });
      try {
        const streamed = await post(`${endpoint.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['hi']));
        const { reply, chunks } = assertWellFormedStream(streamed.text);
        expect(reply).toBe('Hello there!');
        const deltas = chunks.map((c) => (c.choices as Array<{ delta?: Record<string, unknown> }>)[0]?.delta ?? {});
        const thought = deltas.map((d) => d.reasoning_content).filter((r): r is string => typeof r === 'string');
        expect(thought.join('')).toBe('\nGreet back.\n');
        const firstContent = deltas.findIndex((d) => typeof d.content === 'string' && d.content !== '');
        const lastReasoning = deltas.map((d) => typeof d.reasoning_content === 'string').lastIndexOf(true);
        expect(lastReasoning).toBeLessThan(firstContent);
        const whole = await post(`${endpoint.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['hi'], { stream: false }));
        const message = (JSON.parse(whole.text) as { choices: Array<{ message: Record<string, unknown> }> }).choices[0]?.message;
        expect(message).toMatchObject({ content: 'Hello there!', reasoning_content: '\nGreet back.\n' });
        expect(endpoint.traffic.map((t) => t.reply)).toEqual(['Hello there!', 'Hello there!']);
      } finally {
        await endpoint.close();
      }
    }
  });

  it('without one, the block stays inline in content, as a server with no parser sends it', async () => {
    const { startEndpoint } = await import('../../src/endpoint/index.js');
    const { assertWellFormedStream, chatBody, post } = await import('./helpers.js');
    const endpoint = await startEndpoint({ replies: [{ reply: '<think>Greet back, briefly.</think>Hello there, how can I help?' }], chunkDelayMs: 0 });
    try {
      expect(assertWellFormedStream((await post(`${endpoint.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['hi']))).text).reply).toBe(
        '<think>Greet back, briefly.</think>Hello there, how can I help?',
      );
    } finally {
      await endpoint.close();
    }
  });
});
