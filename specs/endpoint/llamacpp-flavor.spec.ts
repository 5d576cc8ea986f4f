// The llamacpp flavor answers as llama.cpp's llama-server (build 11434) does: lenient where SGLang and
// vLLM are strict, with its own error bodies, stream shape, timings and model list.
import { afterEach, describe, expect, it } from 'vitest';
import { startEndpoint, type Endpoint, type EndpointOptions } from '../../src/endpoint/index.js';
import { completionIds, contentChunk, sseEvent } from '../../src/endpoint/sse.js';
import { assertWellFormedStream, chatBody, eventually, post, sseEvents } from './helpers.js';

let endpoint: Endpoint | undefined;
const start = async (options: EndpointOptions = {}) => (endpoint = await startEndpoint({ flavor: 'llamacpp', chunkDelayMs: 1, ...options }));
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

type Chunk = { choices: { finish_reason: string | null; index: number; delta: Record<string, unknown> }[]; timings?: Record<string, number>; usage?: unknown };
const chunksOf = (text: string) => {
  const events = sseEvents(text);
  expect(events.at(-1)).toBe('[DONE]');
  return events.slice(0, -1).map((e) => JSON.parse(e) as Chunk);
};
const TIMING_KEYS = [
  'cache_n',
  'prompt_n',
  'prompt_ms',
  'prompt_per_token_ms',
  'prompt_per_second',
  'predicted_n',
  'predicted_ms',
  'predicted_per_token_ms',
  'predicted_per_second',
];
const LLAMA_JSON = 'application/json; charset=utf-8';

describe('llamacpp answers what SGLang and vLLM refuse', () => {
  it("the user's request (no /v1, model local:qwen3-coder) is refused by sglang and vllm, streamed to the end by llamacpp", async () => {
    for (const flavor of ['sglang', 'vllm'] as const) {
      const ep = await startEndpoint({ flavor, chunkDelayMs: 1 });
      expect((await post(`${ep.baseUrl}/chat/completions`, chatBody('qwen3-coder', ['hi']))).status).toBe(404);
      expect((await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('local:qwen3-coder', ['hi']))).status).toBe(flavor === 'vllm' ? 404 : 400);
      await ep.close();
    }
    const ep = await start();
    const both = await post(`${ep.baseUrl}/chat/completions`, chatBody('local:qwen3-coder', ['hi']));
    expect(both.status).toBe(200);
    expect(assertWellFormedStream(both.text).reply).toBe('Reply 1 to: hi');
    const pathOnly = await post(`${ep.baseUrl}/chat/completions`, chatBody('qwen3-coder', ['one']));
    const prefixOnly = await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('local:qwen3-coder', ['two']));
    expect([pathOnly.status, prefixOnly.status]).toEqual([200, 200]);
    // llama-server's own behaviour, not the --lenient rule: nothing is marked lenient.
    await eventually(() => ep.traffic.length === 3);
    expect(ep.traffic.map((e) => [e.path, e.model, e.status, e.lenientApplied])).toEqual([
      ['/chat/completions', 'local:qwen3-coder', 200, false],
      ['/chat/completions', 'qwen3-coder', 200, false],
      ['/v1/chat/completions', 'local:qwen3-coder', 200, false],
    ]);
    expect(ep.lenient).toBe(false);
  });

  it('accepts any model name, or none, and every answer names the loaded model', async () => {
    const ep = await start({ models: ['qwen3-coder'] });
    for (const model of ['local:qwen3-coder', 'DeepSeek-XXX', null]) {
      const body: Record<string, unknown> = chatBody(model ?? '', ['hi'], { stream: false });
      if (model === null) delete body.model;
      const answer = await post(`${ep.baseUrl}/v1/chat/completions`, body);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe(LLAMA_JSON);
      expect(answer.headers.get('server')).toBe('llama.cpp');
      const parsed = JSON.parse(answer.text) as Record<string, unknown>;
      expect(parsed.model).toBe('qwen3-coder');
      expect(Object.keys(parsed)).toEqual(['choices', 'created', 'model', 'system_fingerprint', 'object', 'usage', 'id', 'timings']);
      expect(parsed).toMatchObject({
        object: 'chat.completion',
        system_fingerprint: expect.stringMatching(/^b11434-/) as unknown,
        choices: [{ finish_reason: 'stop', index: 0, message: { role: 'assistant', content: 'Reply 1 to: hi' } }],
        usage: { completion_tokens: 4, prompt_tokens: 6, total_tokens: 10, prompt_tokens_details: { cached_tokens: 0 } },
      });
    }
  });

  it('takes a JSON body sent as text/plain, which SGLang and vLLM refuse', async () => {
    // fetch labels a string body text/plain: no application/json.
    const send = (ep: Endpoint) => fetch(`${ep.baseUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chatBody('qwen3-coder', ['hi'])) });
    for (const flavor of ['sglang', 'vllm'] as const) {
      const strict = await startEndpoint({ flavor, chunkDelayMs: 1 });
      expect((await send(strict)).status).toBe(400);
      await strict.close();
    }
    const answer = await send(await start());
    expect(answer.status).toBe(200);
    expect(assertWellFormedStream(await answer.text()).reply).toBe('Reply 1 to: hi');
  });
});

describe('llamacpp models and health', () => {
  it("GET /v1/models and /models answer in llama-server's shape: an Ollama-style models array, then object and data", async () => {
    const ep = await start({ models: ['qwen3-coder', 'coder'] });
    const v1 = await fetch(`${ep.baseUrl}/v1/models`);
    expect(v1.headers.get('content-type')).toContain('application/json');
    const body = (await v1.json()) as { models: Record<string, unknown>[]; object: string; data: Record<string, unknown>[] };
    expect(Object.keys(body)).toEqual(['models', 'object', 'data']);
    expect(body.object).toBe('list');
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ id: 'qwen3-coder', aliases: ['coder', 'qwen3-coder'], object: 'model', owned_by: 'llamacpp' });
    expect(typeof body.data[0]?.created).toBe('number');
    expect(body.data[0]?.meta).toMatchObject({ n_ctx: 32768, n_vocab: expect.any(Number) as unknown, n_params: expect.any(Number) as unknown });
    expect(body.models[0]).toMatchObject({ name: 'qwen3-coder', model: 'qwen3-coder', capabilities: ['completion'], details: { format: 'gguf' } });
    const bare = (await (await fetch(`${ep.baseUrl}/models`)).json()) as typeof body;
    expect({ ...bare, data: bare.data.map((m) => ({ ...m, created: 0 })) }).toEqual({ ...body, data: body.data.map((m) => ({ ...m, created: 0 })) });
  });

  it('/health and /v1/health answer 200', async () => {
    const ep = await start();
    expect((await fetch(`${ep.baseUrl}/health`)).status).toBe(200);
    expect((await fetch(`${ep.baseUrl}/v1/health`)).status).toBe(200);
  });
});

describe('llamacpp stream', () => {
  it('a role chunk with null content, content deltas, a finish chunk carrying timings, then [DONE]', async () => {
    const ep = await start();
    const answer = await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['hello there']));
    expect(answer.headers.get('content-type')).toBe('text/event-stream');
    const chunks = chunksOf(answer.text);
    const first = chunks[0]!;
    expect(Object.keys(first)).toEqual(['choices', 'created', 'id', 'model', 'system_fingerprint', 'object']);
    expect(first.choices[0]).toEqual({ finish_reason: null, index: 0, delta: { role: 'assistant', content: null } });
    expect((first as unknown as { id: string }).id).toMatch(/^chatcmpl-/);
    const content = chunks.slice(1, -1);
    expect(content.length).toBeGreaterThan(1);
    expect(content.map((c) => c.choices[0]?.delta.content).join('')).toBe('Reply 1 to: hello there');
    expect(content.every((c) => c.timings === undefined && c.choices[0]?.finish_reason === null)).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([{ finish_reason: 'stop', index: 0, delta: {} }]);
    expect(Object.keys(last.timings ?? {})).toEqual(TIMING_KEYS);
    const t = last.timings!;
    expect(t.predicted_n).toBe(Math.ceil('Reply 1 to: hello there'.length / 4));
    expect(t.prompt_n).toBeGreaterThan(0);
    expect(t.predicted_per_token_ms).toBeCloseTo(t.predicted_ms! / (t.predicted_n! - 1), 6);
    expect(t.predicted_per_second).toBeCloseTo((1000 / t.predicted_ms!) * (t.predicted_n! - 1), 6);
    expect(t.prompt_per_second).toBeCloseTo((1000 / t.prompt_ms!) * t.prompt_n!, 6);
  });

  it('timings follow the pace: prompt_ms is the time to the first token, predicted_ms the gaps after it', async () => {
    const ep = await start({ pace: { ttftMs: 120, tokensPerSec: 50, chunking: 'token' } });
    const chunks = chunksOf((await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['pace me please']))).text);
    const deltas = chunks.filter((c) => typeof c.choices[0]?.delta.content === 'string');
    const t = chunks.at(-1)!.timings!;
    expect(t.prompt_ms).toBe(120 + 20);
    expect(t.predicted_ms).toBe((deltas.length - 1) * 20);
    await ep.close();
    // An instant pace still reports a believable server: no more than 2,000 prompt and 200 generated tokens/s.
    const fast = await start({ pace: { ttftMs: 0, tokensPerSec: 0, chunking: 'token' } });
    const ft = chunksOf((await post(`${fast.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['x'.repeat(4000)]))).text).at(-1)!.timings!;
    expect(ft.prompt_per_second).toBeLessThan(2000.001);
    expect(ft.prompt_per_second).toBeGreaterThan(0);
    expect(ft.predicted_per_second).toBeLessThan(200.001);
    expect(ft.predicted_per_second).toBeGreaterThan(0);
  });

  it('include_usage adds a usage chunk with empty choices, and the timings move to it', async () => {
    const ep = await start();
    const chunks = chunksOf(
      (await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['hi'], { stream_options: { include_usage: true } }))).text,
    );
    const [finish, usage] = chunks.slice(-2);
    expect(finish?.choices[0]?.finish_reason).toBe('stop');
    expect(finish?.timings).toBeUndefined();
    expect(usage?.choices).toEqual([]);
    expect(usage?.usage).toEqual({ completion_tokens: 4, prompt_tokens: 6, total_tokens: 10, prompt_tokens_details: { cached_tokens: 0 } });
    expect(Object.keys(usage?.timings ?? {})).toEqual(TIMING_KEYS);
    // Without include_usage there is no usage chunk (as in llama-server, and unlike vLLM).
    const plain = chunksOf((await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['hi'], { stream_options: {} }))).text);
    expect(plain.some((c) => c.usage !== undefined)).toBe(false);
  });

  it("fast content chunks equal JSON.stringify of llama-server's chunk object", () => {
    const ids = completionIds('llamacpp', 7, 'qw"en');
    for (const text of ['plain', 'quo"te\n', '\u0000ü😀']) {
      const expected = sseEvent({
        choices: [{ finish_reason: null, index: 0, delta: { content: text } }],
        created: ids.created,
        id: ids.id,
        model: ids.model,
        system_fingerprint: 'b11434-e2e',
        object: 'chat.completion.chunk',
      });
      expect(contentChunk(ids, text)).toBe(expected);
    }
  });
});

describe('llamacpp refusals', () => {
  it('request errors are {"error":{"code","message","type"}} with the code as the status', async () => {
    const ep = await start();
    const url = `${ep.baseUrl}/v1/chat/completions`;
    const missing = await post(url, { model: 'qwen3-coder' });
    expect([missing.status, missing.text]).toEqual([400, '{"error":{"code":400,"message":"\'messages\' is required","type":"invalid_request_error"}}']);
    expect(missing.headers.get('content-type')).toBe(LLAMA_JSON);
    expect(missing.headers.get('server')).toBe('llama.cpp');
    const notList = await post(url, { messages: 'hi' });
    expect(JSON.parse(notList.text)).toEqual({ error: { code: 400, message: "Expected 'messages' to be an array", type: 'invalid_request_error' } });
    const noContent = await post(url, { messages: [{ role: 'user' }] });
    expect(JSON.parse(noContent.text).error.message).toBe("All non-assistant messages must contain 'content'");
    const broken = await post(url, '{"model":');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text)).toEqual({
      error: {
        code: 400,
        message:
          "[json.exception.parse_error.101] parse error at line 1, column 10: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal",
        type: 'invalid_request_error',
      },
    });
  });

  it('a prompt of the context size or more is 400 exceed_context_size_error with n_prompt_tokens and n_ctx, streaming or not', async () => {
    const ep = await start();
    for (const stream of [true, false]) {
      const answer = await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['y'.repeat(140_000)], { stream }));
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toBe(LLAMA_JSON);
      const { error } = JSON.parse(answer.text) as { error: Record<string, unknown> };
      expect(Object.keys(error)).toEqual(['code', 'message', 'type', 'n_prompt_tokens', 'n_ctx']);
      const tokens = error.n_prompt_tokens as number;
      expect(tokens).toBeGreaterThanOrEqual(32768);
      expect(error).toEqual({
        code: 400,
        message: `request (${tokens} tokens) exceeds the available context size (32768 tokens), try increasing it`,
        type: 'exceed_context_size_error',
        n_prompt_tokens: tokens,
        n_ctx: 32768,
      });
    }
    // Just under the context, the same request is answered.
    expect((await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['y'.repeat(120_000)]))).status).toBe(200);
  });

  it('an unknown path, a wrong method and a trailing slash are 404 File Not Found: no 405, no redirect', async () => {
    const ep = await start();
    const notFound = '{"error":{"message":"File Not Found","type":"not_found_error","code":404}}';
    for (const [method, path] of [
      ['POST', '/v1/completions-nope'],
      ['GET', '/v1/chat/completions'],
      ['POST', '/v1/models'],
      ['GET', '/v1/models/'],
      ['POST', '/chat/completions/'],
    ] as const) {
      const answer = await fetch(`${ep.baseUrl}${path}`, {
        method,
        redirect: 'manual',
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      });
      expect([method, path, answer.status, await answer.text()]).toEqual([method, path, 404, notFound]);
      expect(answer.headers.get('allow')).toBeNull();
    }
  });

  it('API key: checked before routing; Bearer, the bare key and X-Api-Key pass; only /health and /v1/health are open', async () => {
    const ep = await start({ apiKey: 'sekrit' });
    const url = `${ep.baseUrl}/chat/completions`;
    const invalid = '{"error":{"message":"Invalid API Key","type":"authentication_error","code":401}}';
    expect([(await post(url, chatBody('m', ['hi']))).status, (await post(url, chatBody('m', ['hi']))).text]).toEqual([401, invalid]);
    expect((await post(url, chatBody('m', ['hi']), { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post(url, chatBody('m', ['hi']), { authorization: 'bearer sekrit' })).status).toBe(401);
    expect((await post(url, chatBody('m', ['hi']), { authorization: 'Bearer sekrit' })).status).toBe(200);
    expect((await post(url, chatBody('m', ['hi']), { authorization: 'sekrit' })).status).toBe(200);
    expect((await post(url, chatBody('m', ['hi']), { 'x-api-key': 'sekrit' })).status).toBe(200);
    // An unknown path without the key is 401, not 404: the middleware runs first.
    expect((await post(`${ep.baseUrl}/nope`, {})).status).toBe(401);
    expect((await fetch(`${ep.baseUrl}/v1/models`)).status).toBe(401);
    expect((await fetch(`${ep.baseUrl}/health`)).status).toBe(200);
    expect((await fetch(`${ep.baseUrl}/v1/health`)).status).toBe(200);
  });

  it("injected faults use llama-server's bodies; after an error event the stream ends without [DONE]", async () => {
    const ep = await start({
      faults: [
        { request: 1, fault: 'status', status: 500 },
        { request: 2, fault: 'status', status: 503 },
        { request: 3, fault: 'stream-error', afterChunks: 1 },
      ],
    });
    const chat = (text: string) => post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', [text]));
    const five = await chat('a');
    expect([five.status, JSON.parse(five.text)]).toEqual([500, { error: { code: 500, message: 'Internal server error', type: 'server_error' } }]);
    expect(five.headers.get('server')).toBe('llama.cpp');
    const loading = await chat('b');
    expect([loading.status, loading.text]).toEqual([503, '{"error":{"message":"Loading model","type":"unavailable_error","code":503}}']);
    const events = sseEvents((await chat('c')).text);
    expect(events.at(-1)).toBe('{"error":{"code":500,"message":"Internal server error","type":"server_error"}}');
    expect(events).not.toContain('[DONE]');
  });
});
