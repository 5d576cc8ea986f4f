// The traffic log: every exchange in memory and on disk, with keys and Authorization redacted.
import { tempDir } from '../setup/temp.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEndpoint, type TrafficEntry } from '../../src/endpoint/index.js';
import { chatBody, post } from './helpers.js';

describe('traffic log', () => {
  it('writes one redacted NDJSON line per exchange, identical to memory', async () => {
    const path = join(tempDir('endpoint-log-'), 'sub', 'traffic.ndjson');
    const ep = await startEndpoint({ apiKey: 'sk-very-secret', trafficLogPath: path, chunkDelayMs: 0 });
    const seen: TrafficEntry[] = [];
    const sub = ep.onExchange((e) => seen.push(e));
    const auth = { authorization: 'Bearer sk-very-secret' };
    const body = chatBody('qwen3-coder', ['first', 'second question\nmore lines'], {
      api_key: 'sk-very-secret',
      metadata: { note: 'key is sk-very-secret', password: 'hunter2' },
    });
    expect((await post(`${ep.baseUrl}/v1/chat/completions`, body, auth)).status).toBe(200);
    expect((await post(`${ep.baseUrl}/chat/completions`, body, auth)).status).toBe(404);
    expect((await fetch(`${ep.baseUrl}/v1/models`)).status).toBe(401);
    sub.dispose();
    await ep.close();

    const raw = readFileSync(path, 'utf8');
    expect(raw).not.toContain('sk-very-secret');
    expect(raw).not.toContain('hunter2');
    const lines = raw
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TrafficEntry);
    expect(lines).toHaveLength(3);
    expect(seen).toHaveLength(3);
    expect(lines.map((l) => l.seq).sort()).toEqual([1, 2, 3]);
    const chat = lines.find((l) => l.status === 200)!;
    expect(chat).toMatchObject({
      n: 1,
      method: 'POST',
      path: '/v1/chat/completions',
      model: 'qwen3-coder',
      stream: true,
      reply: 'Reply 2 to: second question',
      fault: null,
      error: null,
      aborted: false,
      lenientApplied: false,
      mode: 'local',
    });
    expect(new Date(chat.time).toISOString()).toBe(chat.time);
    expect(chat.ttfbMs).toBeTypeOf('number');
    expect(chat.durationMs).toBeGreaterThanOrEqual(chat.ttfbMs!);
    expect(chat.headers.authorization).toBe('Bearer [redacted]');
    const request = chat.request as { api_key: string; max_tokens: number; metadata: { note: string; password: string } };
    expect(request.api_key).toBe('[redacted]');
    expect(request.max_tokens).toBe(16384); // key-like matching must not eat max_tokens
    expect(request.metadata).toEqual({ note: 'key is [redacted]', password: '[redacted]' });
    const notFound = lines.find((l) => l.status === 404)!;
    expect(notFound).toMatchObject({ n: null, path: '/chat/completions', error: 'no such route' });
    expect(lines.find((l) => l.status === 401)?.error).toBe('missing or wrong API key');
    // Memory holds the same entries (the file is redacted text of the same objects).
    expect(ep.traffic.map((e) => e.seq).sort()).toEqual([1, 2, 3]);
  });

  it('writes a request body the same as an earlier one as a reference to it (a retry storm stays small)', async () => {
    const dir = tempDir('endpoint-log-');
    const path = join(dir, 'traffic.ndjson');
    const ep = await startEndpoint({ trafficLogPath: path, chunkDelayMs: 0 });
    const long = 'x'.repeat(5000);
    for (let i = 0; i < 3; i++) await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', [long]));
    await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', [long, 'another']));
    await ep.close();
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TrafficEntry);
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    expect(JSON.stringify(lines[0]?.request)).toContain(long);
    expect(lines[1]?.request).toEqual({ sameAs: 1 });
    expect(lines[2]?.request).toEqual({ sameAs: 1 });
    expect(JSON.stringify(lines[3]?.request)).toContain('another');
  });

  it('counts user messages in string and array contents', async () => {
    const ep = await startEndpoint({ chunkDelayMs: 0 });
    const body = {
      model: 'qwen3-coder',
      stream: false,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'part one' }] },
        { role: 'assistant', content: 'ok' },
        {
          role: 'user',
          content: [
            { type: 'text', text: '  tell me about the prompt and ' },
            { type: 'image_url', image_url: {} },
            { type: 'text', text: 'more' },
          ],
        },
      ],
    };
    const res = await post(`${ep.baseUrl}/v1/chat/completions`, body);
    const parsed = JSON.parse(res.text) as { choices: { message: { content: string } }[]; usage: Record<string, number> };
    expect(parsed.choices[0]?.message.content).toBe('Reply 2 to: tell me about the xxxxxx and  more');
    expect(parsed.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) });
    await ep.close();
  });
});

describe('traffic log on a full disk', () => {
  it('keeps answering and keeps every entry in memory, and says why the file failed', async () => {
    // /dev/full takes the open and fails every write with ENOSPC.
    const ep = await startEndpoint({ trafficLogPath: '/dev/full', chunkDelayMs: 0 });
    expect((await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['hi']))).status).toBe(200);
    expect((await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['hi', 'again']))).status).toBe(200);
    await ep.close();
    expect(ep.trafficLogFailure).toBe('ENOSPC');
    expect(ep.traffic.map((e) => e.reply)).toEqual(['Reply 1 to: hi', 'Reply 2 to: again']);
    expect(ep.traffic[0]?.request).toMatchObject({ model: 'qwen3-coder' });
  });
});
