import Anthropic from '@anthropic-ai/sdk';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { startEndpoint, type Endpoint, type FaultRule } from '../../src/endpoint/index.js';
import { whichOnPath } from '../../src/wg/binary.js';
import { tempDir } from '../setup/temp.js';

// The Messages API side of the embedded endpoint, checked with the official SDK (what the API's
// own clients parse) and, when a claude binary is there, with the real `claude --print`.

const KEY = 'sk-ant-test-123';
const endpoints: Endpoint[] = [];
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((e) => e.close()));
});

async function serve(faults?: FaultRule[], replies: 'echo' | 'corpus' = 'echo'): Promise<{ endpoint: Endpoint; client: Anthropic }> {
  const endpoint = await startEndpoint({ apiKey: KEY, faults, replies, chunkDelayMs: 1 });
  endpoints.push(endpoint);
  return { endpoint, client: new Anthropic({ apiKey: KEY, baseURL: endpoint.baseUrl, maxRetries: 0, timeout: 5000 }) };
}

const hi = { model: 'claude-test', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hi' }] };

describe('Messages API', () => {
  it('answers a non-streaming request as the API does', async () => {
    const { client, endpoint } = await serve();
    const message = await client.messages.create(hi);
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: 'Reply 1 to: hi' }],
    });
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(endpoint.traffic.at(-1)).toMatchObject({
      path: '/v1/messages',
      status: 200,
      stream: false,
      lastUser: 'hi',
      reply: 'Reply 1 to: hi',
      complete: true,
    });
  });

  it('streams every event type, the text in several deltas', async () => {
    const { client, endpoint } = await serve(undefined, 'corpus');
    const events: string[] = [];
    const stream = client.messages.stream({ ...hi, messages: [{ role: 'user', content: 'tell me a short joke' }] });
    stream.on('streamEvent', (e) => void events.push(e.type));
    const final = await stream.finalMessage();
    expect(new Set(events)).toEqual(
      new Set(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']),
    );
    expect(events.filter((e) => e === 'content_block_delta').length).toBeGreaterThan(3);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('programmers') });
    expect(endpoint.traffic.at(-1)).toMatchObject({ stream: true, complete: true, lastUser: 'tell me a short joke' });
  });

  it("takes tool definitions and claude-style system reminders, and answers in plain text to the user's own words", async () => {
    const { client, endpoint } = await serve();
    const message = await client.messages.create({
      ...hi,
      tools: [{ name: 'Bash', description: 'run a command', input_schema: { type: 'object', properties: { command: { type: 'string' } } } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: '<system-reminder>\ncontext\n</system-reminder>' },
            { type: 'text', text: 'hello there' },
          ],
        },
      ],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'Reply 1 to: hello there' }]);
    expect(endpoint.traffic.at(-1)?.lastUser).toBe('hello there');
  });

  it.each([
    ['no key', undefined, 401, 'authentication_error'],
    ['a wrong key', 'sk-wrong', 401, 'authentication_error'],
  ])('refuses %s: 401 authentication_error', async (_, apiKey, status, type) => {
    const { endpoint } = await serve();
    const res = await fetch(`${endpoint.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
      body: JSON.stringify(hi),
    });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type } });
  });

  it.each([
    ['a body that is not JSON', '{"model":', 'Invalid JSON'],
    ['no max_tokens', JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }), 'max_tokens'],
    ['no messages', JSON.stringify({ model: 'm', max_tokens: 5, messages: [] }), 'messages'],
    ['a bad role', JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'robot', content: 'hi' }] }), 'role'],
  ])('refuses %s: 400 invalid_request_error', async (_, body, words) => {
    const { endpoint } = await serve();
    const res = await fetch(`${endpoint.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': KEY },
      body,
    });
    expect(res.status).toBe(400);
    const error = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(error.error.message).toContain(words);
  });

  it('requires anthropic-version, as the API does', async () => {
    const { endpoint } = await serve();
    const res = await fetch(`${endpoint.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify(hi),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('anthropic-version');
  });

  it.each([
    [429, 'rate_limit_error', Anthropic.RateLimitError],
    [500, 'api_error', Anthropic.InternalServerError],
    [529, 'overloaded_error', Anthropic.InternalServerError],
  ])("a %i fault is the SDK's %s", async (status, type, ErrorClass) => {
    const { client } = await serve([{ fault: 'status', status, retryAfter: status === 429 ? 7 : undefined, times: 'always' }]);
    const error = await client.messages.create(hi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(status);
    expect((error as { error?: { error?: { type?: string } } }).error?.error?.type).toBe(type);
    if (status === 429) expect((error as InstanceType<typeof Anthropic.APIError>).headers?.get('retry-after')).toBe('7');
  });

  it('an error event mid-stream reaches the SDK as overloaded_error, and the exchange is not complete', async () => {
    const { client, endpoint } = await serve([{ fault: 'stream-error', afterChunks: 2, times: 'always' }], 'corpus');
    const error = await client.messages
      .stream({ ...hi, messages: [{ role: 'user', content: 'what can you help me with?' }] })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/overloaded_error|Overloaded/);
    expect(endpoint.traffic.at(-1)).toMatchObject({ complete: false });
  });

  it('a dropped stream is a connection error for the SDK', async () => {
    const { client, endpoint } = await serve([{ fault: 'drop', afterChunks: 2, times: 'always' }], 'corpus');
    const error = await client.messages
      .stream({ ...hi, messages: [{ role: 'user', content: 'what can you help me with?' }] })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(endpoint.traffic.at(-1)).toMatchObject({ complete: false, error: 'connection dropped (fault)' });
  });

  it('a stall holds the stream until the client gives up', async () => {
    const { client, endpoint } = await serve([{ fault: 'stall', afterChunks: 1, ms: 60_000, times: 'always' }]);
    // (The SDK's own timeout ends at the response headers; a stalled body needs the caller's abort.)
    const started = performance.now();
    const error = await client.messages
      .stream(hi, { signal: AbortSignal.timeout(800) })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(performance.now() - started).toBeLessThan(5000);
    await endpoint.close();
    // (undici may keep the socket after the abort: the endpoint then ends it as it closes.)
    expect(endpoint.traffic.at(-1)).toMatchObject({ complete: false, reply: 'Reply ' });
  });

  it('counts tokens and lists models the Anthropic way', async () => {
    const { client } = await serve();
    expect((await client.messages.countTokens({ model: 'm', messages: [{ role: 'user', content: 'hi there' }] })).input_tokens).toBeGreaterThan(0);
    const models = await client.models.list();
    expect(models.data[0]).toMatchObject({ type: 'model', id: 'qwen3-coder' });
  });
});

describe('the real claude CLI', () => {
  it('prints the reply of the embedded endpoint to `claude --print`', async (ctx) => {
    const claude = process.env.CLAUDE_BIN || (await whichOnPath('claude'));
    if (!claude) {
      ctx.skip('REAL CLAUDE SPECS SKIPPED — no claude binary (npm install @anthropic-ai/claude-code; set CLAUDE_BIN or put claude on PATH)');
      return;
    }
    const { endpoint } = await serve(undefined, 'corpus');
    const home = tempDir('wg-e2e-claude-home-');
    const result = await execa(claude, ['--print', 'hi'], {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        TMPDIR: home,
        ANTHROPIC_BASE_URL: endpoint.baseUrl,
        ANTHROPIC_API_KEY: KEY,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
      },
      extendEnv: false,
      reject: false,
      timeout: 60_000,
      stdin: 'ignore',
    });
    expect(result.stdout, result.stderr).toContain('How can I help you today?');
    expect(endpoint.traffic.filter((e) => e.path === '/v1/messages' && e.status === 200 && e.lastUser === 'hi' && e.complete)).toHaveLength(1);
    expect(
      endpoint.traffic.every((e) => e.status === 200),
      JSON.stringify(endpoint.traffic.map((e) => [e.path, e.status, e.error])),
    ).toBe(true);
  }, 90_000);
});
