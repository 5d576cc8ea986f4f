// Each fault type, picked by request number or by the last user message, from code and from a file.
import { tempDir } from '../setup/temp.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { loadFaultFile, startEndpoint, type Endpoint, type FaultRule } from '../../src/endpoint/index.js';
import { assertWellFormedStream, chatBody, eventually, post, sseEvents } from './helpers.js';

let endpoint: Endpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});
const start = async (faults: FaultRule[], flavor: 'sglang' | 'vllm' = 'sglang') => (endpoint = await startEndpoint({ faults, flavor, chunkDelayMs: 1 }));
const chat = (ep: Endpoint, text: string, extra: Record<string, unknown> = {}) =>
  post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', [text], extra));

describe('fault injection', () => {
  it('status faults by request number, with realistic bodies and Retry-After, once each', async () => {
    const ep = await start([
      { request: 1, fault: 'status', status: 429, retryAfter: 2 },
      { request: 2, fault: 'status', status: 500 },
      { request: 3, fault: 'status', status: 503 },
      { request: 4, fault: 'status', status: 401 },
      { request: 5, fault: 'status', status: 404 },
    ]);
    const first = await chat(ep, 'a');
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '2']);
    expect(JSON.parse(first.text).error.code).toBe('rate_limit_exceeded');
    const second = await chat(ep, 'b');
    expect(JSON.parse(second.text)).toMatchObject({ object: 'error', type: 'InternalServerError', code: 500 });
    expect((await chat(ep, 'c')).status).toBe(503);
    expect((await chat(ep, 'd')).text).toBe('{"error":"Unauthorized"}');
    expect((await chat(ep, 'e')).text).toBe('{"detail":"Not Found"}');
    expect((await chat(ep, 'f')).status).toBe(200);
    await eventually(() => ep.traffic.length === 6);
    expect(ep.traffic[0]?.fault).toBe('status 429 retry-after 2s');
    expect(ep.traffic[5]?.fault).toBeNull();
  });

  it('matches the last user message by substring and /regex/, every time when times is "always"', async () => {
    const ep = await start([
      { message: '/^boom \\d+$/', fault: 'status', status: 500, times: 'always' },
      { message: 'twice', fault: 'empty', times: 2 },
    ]);
    expect((await chat(ep, 'boom 1')).status).toBe(500);
    expect((await chat(ep, 'boom 2')).status).toBe(500);
    expect((await chat(ep, 'boom x')).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const events = sseEvents((await chat(ep, 'say twice')).text);
      const contentful = events.filter((e) => e !== '[DONE]' && /"content":"[^"]/.test(e));
      expect(contentful.length).toBe(i < 2 ? 0 : 5);
    }
  });

  it('delay before headers, then a normal reply', async () => {
    const ep = await start([{ request: 1, fault: 'delay', ms: 150 }]);
    const res = await chat(ep, 'slow');
    expect(assertWellFormedStream(res.text).reply).toBe('Reply 1 to: slow');
    await eventually(() => ep.traffic[0]);
    expect(ep.traffic[0]?.fault).toBe('delay 150ms before headers');
    // The delay was applied, not only described: no byte went out before it (a lower bound, so load cannot fail it).
    expect(ep.traffic[0]?.ttfbMs).toBeGreaterThanOrEqual(145);
  });

  it('stall for N ms mid-stream, then the stream completes', async () => {
    const ep = await start([{ request: 1, fault: 'stall', ms: 100, afterChunks: 2 }]);
    expect(assertWellFormedStream((await chat(ep, 'wait for it')).text).reply).toBe('Reply 1 to: wait for it');
    await eventually(() => ep.traffic[0]);
    expect(ep.traffic[0]?.fault).toBe('stall 100ms after 2 chunk(s)');
    // The stall was applied mid-stream: the first bytes went out, and the stream ended at least 100 ms later.
    const entry = ep.traffic[0];
    expect(entry?.ttfbMs).not.toBeNull();
    expect((entry?.durationMs ?? 0) - (entry?.ttfbMs ?? 0)).toBeGreaterThanOrEqual(95);
  });

  it('stall for ever ends cleanly when the endpoint closes', async () => {
    const ep = await start([{ request: 1, fault: 'stall' }]);
    const res = await fetch(`${ep.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatBody('qwen3-coder', ['x'])),
    });
    expect(res.status).toBe(200);
    const reading = res.text();
    await new Promise((r) => setTimeout(r, 100));
    await ep.close();
    const text = await reading; // the body ends (chunked terminator) rather than erroring
    expect(text).not.toContain('[DONE]');
    expect(ep.traffic[0]?.error).toBe('endpoint closing');
  });

  it('drop destroys the connection mid-stream', async () => {
    const ep = await start([{ request: 1, fault: 'drop', afterChunks: 1 }]);
    await expect(chat(ep, 'drop me')).rejects.toThrow();
    await eventually(() => ep.traffic[0]);
    expect(ep.traffic[0]).toMatchObject({ error: 'connection dropped (fault)', aborted: false });
  });

  it('malformed SSE: a broken event and a non-SSE line, then the rest of the stream', async () => {
    const ep = await start([{ request: 1, fault: 'malformed' }]);
    const { text } = await chat(ep, 'garble');
    expect(text).toContain('this line is not server-sent events\n\n');
    expect(text).toContain('"delta":{"content":"\n\n');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('empty reply: role and finish chunks only', async () => {
    const ep = await start([{ request: 1, fault: 'empty' }]);
    const events = sseEvents((await chat(ep, 'nothing')).text);
    expect(events).toHaveLength(3); // role, finish, [DONE]
    expect(events[1]).toContain('"finish_reason":"stop"');
  });

  it('long reply: many chunks, no banned words', async () => {
    const ep = await start([{ request: 1, fault: 'long', chars: 5000 }]);
    const { reply } = assertWellFormedStream((await chat(ep, 'go long')).text);
    expect(reply.length).toBe(5000);
    expect(reply.startsWith('Reply 1 to: go long')).toBe(true);
    expect(reply).not.toMatch(/context|token|prompt|maximum/i);
  });

  it('error object inside the stream, per flavor, then [DONE]', async () => {
    for (const flavor of ['sglang', 'vllm'] as const) {
      const ep = await start([{ request: 1, fault: 'stream-error', afterChunks: 1 }], flavor);
      const events = sseEvents((await chat(ep, 'fail midway')).text);
      expect(events.at(-1)).toBe('[DONE]');
      const error = events.at(-2)!;
      expect(error).toBe(
        flavor === 'vllm'
          ? '{"error": {"message": "Internal server error", "type": "InternalServerError", "param": null, "code": 500}}'
          : '{"error": {"object": "error", "message": "Internal server error", "type": "InternalServerError", "param": null, "code": 500}}',
      );
      await ep.close();
    }
  });
});

describe('fault files', () => {
  const dir = tempDir('endpoint-faults-');

  it('loads YAML and JSON', async () => {
    const yamlPath = join(dir, 'f.yaml');
    writeFileSync(yamlPath, '- request: 2\n  fault: status\n  status: 429\n  retryAfter: 1\n- message: /boom/i\n  fault: stall\n  ms: 10\n  times: always\n');
    expect(await loadFaultFile(yamlPath)).toEqual([
      { request: 2, fault: 'status', status: 429, retryAfter: 1 },
      { message: '/boom/i', fault: 'stall', ms: 10, times: 'always' },
    ]);
    const jsonPath = join(dir, 'f.json');
    writeFileSync(jsonPath, JSON.stringify({ faults: [{ fault: 'empty' }] }));
    expect(await loadFaultFile(jsonPath)).toEqual([{ fault: 'empty' }]);
  });

  it('names the bad rule', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, '- fault: empty\n- fault: status\n  status: 200\n');
    await expect(loadFaultFile(bad)).rejects.toThrow(OptionError);
    await expect(loadFaultFile(bad)).rejects.toThrow(/fault rule 2 status 200 is not an HTTP error status/);
    writeFileSync(bad, '- fault: explode\n');
    await expect(loadFaultFile(bad)).rejects.toThrow(/fault rule 1 fault "explode" is not one of/);
    writeFileSync(bad, '- fault: empty\n  message: "/(unclosed/"\n');
    await expect(loadFaultFile(bad)).rejects.toThrow(/fault rule 1 message .* is not a valid regex/);
    await expect(startEndpoint({ faults: [{ fault: 'delay' }] })).rejects.toThrow(/ms undefined is required/);
  });
});
