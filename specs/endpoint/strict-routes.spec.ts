// The two wg bugs of 2026-04-26 must fail here exactly as they failed against real SGLang/vLLM.
import { afterEach, describe, expect, it } from 'vitest';
import { startEndpoint, type Endpoint, type EndpointOptions } from '../../src/endpoint/index.js';
import { assertWellFormedStream, chatBody, eventually, post } from './helpers.js';

type ModelList = { object: string; data: { id: string; created: number; permission?: { object: string }[] }[] };

let endpoint: Endpoint | undefined;
const start = async (options: EndpointOptions = {}) => (endpoint = await startEndpoint({ chunkDelayMs: 1, ...options }));
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

const LORA_TEXT =
  "LoRA adapter 'qwen3-coder' was requested, but LoRA is not enabled. Please launch the server with " +
  '--enable-lora flag and preload adapters using --lora-paths or /load_lora_adapter endpoint.';

describe('historical wg bugs', () => {
  it('POST /chat/completions without /v1 is 404 {"detail":"Not Found"} in every flavor', async () => {
    for (const flavor of ['sglang', 'sglang-stream-error', 'vllm'] as const) {
      const ep = await start({ flavor });
      const answer = await post(`${ep.baseUrl}/chat/completions`, chatBody('qwen3-coder', ['hi']));
      expect(answer.status).toBe(404);
      expect(answer.text).toBe('{"detail":"Not Found"}');
      expect(answer.headers.get('content-type')).toBe('application/json');
      await ep.close();
    }
  });

  it("model local:qwen3-coder is 400 with SGLang's LoRA text under sglang, streaming or not", async () => {
    const ep = await start();
    for (const stream of [true, false]) {
      const answer = await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('local:qwen3-coder', ['hi'], { stream }));
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toEqual({ object: 'error', message: LORA_TEXT, type: 'BadRequestError', param: null, code: 400 });
    }
    // wg's retry heuristic must not fire on it.
    expect(LORA_TEXT).not.toMatch(/context|token|prompt|maximum|too long|too large/i);
  });

  it('model local:qwen3-coder is 404 "does not exist" under vllm', async () => {
    const ep = await start({ flavor: 'vllm' });
    const answer = await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('local:qwen3-coder', ['hi']));
    expect(answer.status).toBe(404);
    expect(answer.text).toBe('{"error":{"message":"The model `local:qwen3-coder` does not exist.","type":"NotFoundError","param":"model","code":404}}');
  });

  it('the fixed request (/v1, qwen3-coder) streams a reply to the end in every flavor', async () => {
    for (const flavor of ['sglang', 'sglang-stream-error', 'vllm'] as const) {
      const ep = await start({ flavor });
      const answer = await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['hello there']));
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(assertWellFormedStream(answer.text).reply).toBe('Reply 1 to: hello there');
      await ep.close();
    }
  });

  it('lenient mode accepts both bugs and says so in the traffic log', async () => {
    for (const flavor of ['sglang', 'vllm'] as const) {
      const ep = await start({ flavor, lenient: true });
      const answer = await post(`${ep.baseUrl}/chat/completions`, chatBody('local:qwen3-coder', ['one']));
      expect(answer.status).toBe(200);
      expect(assertWellFormedStream(answer.text).reply).toBe('Reply 1 to: one');
      const strictOk = await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['two']));
      expect(strictOk.status).toBe(200);
      await eventually(() => ep.traffic.length === 2);
      expect(ep.traffic.map((e) => e.lenientApplied)).toEqual([true, false]);
      expect(ep.lenient).toBe(true);
      await ep.close();
    }
  });
});

describe('strict like the real servers', () => {
  it('sglang accepts an unknown model name and echoes it; vllm answers 404', async () => {
    const sg = await start();
    const ok = await post(`${sg.baseUrl}/v1/chat/completions`, chatBody('DeepSeek-XXX', ['hi'], { stream: false }));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text).model).toBe('DeepSeek-XXX');
    await sg.close();
    const vl = await start({ flavor: 'vllm' });
    const notServed = await post(`${vl.baseUrl}/v1/chat/completions`, chatBody('DeepSeek-XXX', ['hi']));
    expect(notServed.status).toBe(404);
    const noModel = await post(`${vl.baseUrl}/v1/chat/completions`, { messages: [{ role: 'user', content: 'hi' }] });
    expect(noModel.status).toBe(200);
    expect(JSON.parse(noModel.text).model).toBe('qwen3-coder');
  });

  it('sglang-stream-error answers a streaming LoRA request with 200 and an error event, then [DONE]', async () => {
    const ep = await start({ flavor: 'sglang-stream-error' });
    const answer = await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('local:qwen3-coder', ['hi']));
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(
      `data: {"error": {"object": "error", "message": "${LORA_TEXT}", "type": "BadRequestError", "param": null, "code": 400}}\n\n` + 'data: [DONE]\n\n',
    );
    const plain = await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('local:qwen3-coder', ['hi'], { stream: false }));
    expect(plain.status).toBe(400);
  });

  it('unknown path 404, wrong method 405 with allow, trailing slash 307', async () => {
    const ep = await start();
    const unknown = await fetch(`${ep.baseUrl}/v1/completions-nope`);
    expect([unknown.status, await unknown.text()]).toEqual([404, '{"detail":"Not Found"}']);
    const wrong = await fetch(`${ep.baseUrl}/v1/chat/completions`);
    expect([wrong.status, await wrong.text(), wrong.headers.get('allow')]).toEqual([405, '{"detail":"Method Not Allowed"}', 'POST']);
    const slash = await fetch(`${ep.baseUrl}/v1/models/`, { redirect: 'manual' });
    expect(slash.status).toBe(307);
    expect(slash.headers.get('location')).toBe(`${ep.baseUrl}/v1/models`);
  });

  it('GET /v1/models has the real shape per flavor', async () => {
    const sg = await start({ models: ['qwen3-coder', 'other'] });
    const body = (await (await fetch(`${sg.baseUrl}/v1/models`)).json()) as ModelList;
    expect(body.object).toBe('list');
    expect(body.data.map((m) => m.id)).toEqual(['qwen3-coder', 'other']);
    expect(body.data[0]).toMatchObject({ object: 'model', owned_by: 'sglang', root: 'qwen3-coder' });
    expect(typeof body.data[0]?.created).toBe('number');
    await sg.close();
    const vl = await start({ flavor: 'vllm' });
    const vbody = (await (await fetch(`${vl.baseUrl}/v1/models`)).json()) as ModelList;
    expect(vbody.data[0]).toMatchObject({ id: 'qwen3-coder', object: 'model', owned_by: 'vllm', parent: null });
    expect(vbody.data[0]?.permission?.[0]?.object).toBe('model_permission');
  });

  it('malformed JSON, missing messages and a wrong content-type are 400 in the flavor envelope', async () => {
    const sg = await start();
    const bad = await post(`${sg.baseUrl}/v1/chat/completions`, '{"model":');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ object: 'error', type: 'Bad Request', param: null, code: 400 });
    const missing = await post(`${sg.baseUrl}/v1/chat/completions`, { model: 'qwen3-coder' });
    expect(JSON.parse(missing.text).message).toContain("'loc': ('body', 'messages')");
    const empty = await post(`${sg.baseUrl}/v1/chat/completions`, { model: 'qwen3-coder', messages: [] });
    expect(JSON.parse(empty.text).message).toBe('Messages cannot be empty.');
    const text = await fetch(`${sg.baseUrl}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(text.status).toBe(400);
    expect(((await text.json()) as { message: string }).message).toContain('Unsupported Media Type');
    await sg.close();
    const vl = await start({ flavor: 'vllm' });
    const vmissing = await post(`${vl.baseUrl}/v1/chat/completions`, { model: 'qwen3-coder' });
    expect(vmissing.status).toBe(400);
    expect(JSON.parse(vmissing.text).error).toMatchObject({ type: 'Bad Request', param: 'body.messages', code: 400 });
    expect(vmissing.text).not.toMatch(/context|token|prompt|maximum|too long|too large/i);
  });

  it('API key: missing or wrong is 401 {"error":"Unauthorized"}; right key passes', async () => {
    const ep = await start({ apiKey: 'sekrit-key' });
    const url = `${ep.baseUrl}/v1/chat/completions`;
    expect((await post(url, chatBody('qwen3-coder', ['hi']))).status).toBe(401);
    const wrong = await post(url, chatBody('qwen3-coder', ['hi']), { authorization: 'Bearer nope' });
    expect([wrong.status, wrong.text]).toEqual([401, '{"error":"Unauthorized"}']);
    expect((await post(url, chatBody('qwen3-coder', ['hi']), { authorization: 'Bearer sekrit-key' })).status).toBe(200);
    // SGLang guards every path, so the no-/v1 bug shows as 401 before 404; vLLM guards /v1 only.
    expect((await post(`${ep.baseUrl}/chat/completions`, {})).status).toBe(401);
    expect((await fetch(`${ep.baseUrl}/health`)).status).toBe(200);
    await ep.close();
    const vl = await start({ apiKey: 'k', flavor: 'vllm' });
    expect((await post(`${vl.baseUrl}/chat/completions`, {})).status).toBe(404);
    expect((await post(`${vl.baseUrl}/v1/chat/completions`, {}, { authorization: 'bearer k' })).status).toBe(400);
  });
});
