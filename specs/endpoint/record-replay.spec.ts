// Record through a proxy in front of a second loopback instance, then replay offline.
import { tempDir } from '../setup/temp.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { startEndpoint } from '../../src/endpoint/index.js';
import { assertWellFormedStream, chatBody, post } from './helpers.js';

describe('record and replay', () => {
  it('records streams, errors and model lists from an upstream, and replays them without it', async () => {
    const dir = tempDir('endpoint-rr-');
    const file = join(dir, 'rec.ndjson');
    const upstream = await startEndpoint({ flavor: 'vllm', chunkDelayMs: 2, apiKey: 'up-key' });
    // The upstream is given with /v1, as users write it; paths must not double it.
    const proxy = await startEndpoint({ record: { upstream: `${upstream.baseUrl}/v1`, file } });
    const auth = { authorization: 'Bearer up-key' };
    const first = await post(`${proxy.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['alpha']), auth);
    const second = await post(`${proxy.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['alpha', 'beta']), auth);
    const notServed = await post(`${proxy.baseUrl}/v1/chat/completions`, chatBody('local:qwen3-coder', ['x']), auth);
    // Recording must not hide wg's missing-/v1 bug: the upstream's own 404 comes back.
    const noV1 = await post(`${proxy.baseUrl}/chat/completions`, chatBody('qwen3-coder', ['x']), auth);
    expect([noV1.status, noV1.text]).toEqual([404, '{"detail":"Not Found"}']);
    const models = await fetch(`${proxy.baseUrl}/v1/models`, { headers: auth });
    const modelsText = await models.text();
    expect(assertWellFormedStream(first.text).reply).toBe('Reply 1 to: alpha');
    expect(assertWellFormedStream(second.text).reply).toBe('Reply 2 to: beta');
    expect(notServed.status).toBe(404);
    expect(proxy.traffic.map((e) => e.mode)).toEqual(['record', 'record', 'record', 'record', 'record']);
    expect(proxy.traffic[0]?.reply).toBe('Reply 1 to: alpha');
    await proxy.close();
    await upstream.close(); // replay must not need it

    const recorded = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { chunks: unknown[]; lastUser: string });
    expect(recorded).toHaveLength(5);
    expect(recorded[0]?.chunks.length).toBeGreaterThan(1);
    expect(readFileSync(file, 'utf8')).not.toContain('up-key');

    const replay = await startEndpoint({ replay: { file } });
    // Out of order: content matching finds the right recordings.
    const r2 = await post(`${replay.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['alpha', 'beta']));
    const r1 = await post(`${replay.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['alpha']));
    expect(r1.text).toBe(first.text);
    expect(r2.text).toBe(second.text);
    expect(r2.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const r3 = await post(`${replay.baseUrl}/v1/chat/completions`, chatBody('local:qwen3-coder', ['x']));
    expect([r3.status, r3.text]).toEqual([404, notServed.text]);
    expect(await (await fetch(`${replay.baseUrl}/v1/models`)).text()).toBe(modelsText);
    expect((await post(`${replay.baseUrl}/chat/completions`, chatBody('qwen3-coder', ['x']))).status).toBe(404);
    // Nothing left: a clear 502.
    const miss = await post(`${replay.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['gamma']));
    expect(miss.status).toBe(502);
    expect(JSON.parse(miss.text).error.message).toMatch(/replay: no recorded exchange matches POST \/v1\/chat\/completions .*"gamma"/);
    await replay.close();
    expect(replay.traffic.at(-1)).toMatchObject({ mode: 'replay', status: 502 });
    expect(replay.traffic[0]?.reply).toBe('Reply 2 to: beta');
  });

  it('an unreachable upstream is a 502 with the reason; a broken replay file is an OptionError', async () => {
    const dir = tempDir('endpoint-rr-');
    const dead = await startEndpoint();
    const deadUrl = dead.baseUrl;
    await dead.close();
    const proxy = await startEndpoint({ record: { upstream: deadUrl, file: join(dir, 'r.ndjson') } });
    const res = await post(`${proxy.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['x']));
    expect(res.status).toBe(502);
    expect(res.text).toContain('ECONNREFUSED');
    await proxy.close();
    const broken = join(dir, 'broken.ndjson');
    writeFileSync(broken, '{"method":"GET","path":"/v1/models","status":200,"headers":{},"chunks":[]}\nnot json\n');
    await expect(startEndpoint({ replay: { file: broken } })).rejects.toThrow(OptionError);
    await expect(startEndpoint({ replay: { file: broken } })).rejects.toThrow(/line 2 is not JSON/);
  });
});
