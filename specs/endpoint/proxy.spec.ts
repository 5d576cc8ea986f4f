// The recording proxy in front of a live server: it forwards requests as they came, streams each
// chunk on as it arrives, and records how the answer ended, so the turn judge knows a live server
// as it knows the embedded endpoint. Upstreams here are small servers written for each case.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEndpoint, type Endpoint } from '../../src/endpoint/index.js';
import { upstreamUrl } from '../../src/endpoint/proxy.js';
import { chatBody, eventually, post } from './helpers.js';
import { tempDir } from '../setup/temp.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function upstream(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<{ url: string; seen: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> }> {
  const seen: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function proxyTo(url: string): Promise<{ proxy: Endpoint; file: string }> {
  const dir = tempDir('proxy-');
  const file = join(dir, 'rec.ndjson');
  const proxy = await startEndpoint({ record: { upstream: url, file } });
  cleanups.push(() => proxy.close());
  return { proxy, file };
}

const sse = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const finish = `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], timings: { prompt_n: 3916, prompt_ms: 55_000, predicted_n: 2, predicted_per_second: 12.5 } })}\n\n`;

describe('the recording proxy', () => {
  it('forwards method, path, query, headers and body as they came; credentials in the upstream URL go as Basic auth', async () => {
    const up = await upstream((_, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' }).end('{"choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}'),
    );
    const withCreds = up.url.replace('http://', 'http://user:p%40ss@');
    const { proxy } = await proxyTo(withCreds);
    const body = chatBody('local:qwen3-coder', ['hi'], { stream: false });
    const answer = await post(`${proxy.baseUrl}/chat/completions?api-version=2`, body, { 'x-custom': 'kept', 'user-agent': 'wg/0.1' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-upstream')).toBe('yes');
    const got = up.seen[0];
    expect(got?.url).toBe('/chat/completions?api-version=2');
    expect(got?.headers['x-custom']).toBe('kept');
    expect(got?.headers['user-agent']).toBe('wg/0.1');
    expect(got?.headers.authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
    expect(JSON.parse(got?.body ?? '{}')).toEqual(body);
    expect(proxy.traffic[0]).toMatchObject({ mode: 'record', status: 200, complete: true, reply: 'ok', model: 'local:qwen3-coder' });
  });

  it("a client's own Authorization goes through untouched", async () => {
    const up = await upstream((_, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"Invalid API key","code":401}}'));
    const { proxy } = await proxyTo(up.url);
    const answer = await post(`${proxy.baseUrl}/v1/chat/completions`, chatBody('m', ['hi']), { authorization: 'Bearer sk-user' });
    expect(answer.status).toBe(401);
    expect(up.seen[0]?.headers.authorization).toBe('Bearer sk-user');
    expect(proxy.traffic[0]).toMatchObject({ status: 401, complete: false, error: '401 from the server: Invalid API key' });
    expect(JSON.stringify(proxy.traffic[0]?.headers)).not.toContain('sk-user');
  });

  it('streams each chunk on as it arrives, and says how much came while it streams', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const up = await upstream((_, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('Hello'));
      void gate.then(() => res.end(`${sse(' world')}${finish}data: [DONE]\n\n`));
    });
    const { proxy } = await proxyTo(up.url);
    const received: string[] = [];
    const done = new Promise<void>((resolve) => {
      const req = http.request(`${proxy.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.on('data', (d: Buffer) => received.push(d.toString()));
        res.on('end', () => resolve());
      });
      req.end(JSON.stringify(chatBody('m', ['hi'])));
    });
    // The first chunk is at the client before the upstream sends the rest: no buffering.
    await eventually(() => (received.join('').includes('Hello') ? true : undefined));
    const live = proxy.streaming()[0];
    expect(live).toMatchObject({ lastUser: 'hi', sent: 5 });
    expect(live?.total).toBeUndefined();
    expect(live?.firstByteMs).toBeGreaterThanOrEqual(0);
    release();
    await done;
    await eventually(() => proxy.traffic[0]);
    expect(proxy.traffic[0]).toMatchObject({ complete: true, reply: 'Hello world', error: null });
    expect(proxy.traffic[0]?.relay).toMatchObject({ chunks: 2, promptTokens: 3916, prefillMs: 55_000, tokensPerSecond: 12.5, finishReason: 'stop' });
  });

  it('a stream that ends without [DONE] or a finish_reason is not complete, and says so', async () => {
    const up = await upstream((_, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(sse('half a')));
    const { proxy } = await proxyTo(up.url);
    await post(`${proxy.baseUrl}/v1/chat/completions`, chatBody('m', ['hi']));
    await eventually(() => proxy.traffic[0]);
    expect(proxy.traffic[0]).toMatchObject({ complete: false, reply: 'half a', error: 'the server ended the stream without [DONE] or a finish_reason' });
  });

  it('an error event inside a 200 stream is the error, in its words', async () => {
    const up = await upstream((_, res) =>
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`${sse('a')}data: {"error":{"message":"out of memory","code":500}}\n\ndata: [DONE]\n\n`),
    );
    const { proxy } = await proxyTo(up.url);
    await post(`${proxy.baseUrl}/v1/chat/completions`, chatBody('m', ['hi']));
    await eventually(() => proxy.traffic[0]);
    expect(proxy.traffic[0]).toMatchObject({ complete: false, error: 'error in the stream: out of memory' });
  });

  it("an upstream that dies mid-stream cuts the client's connection too, and the recording replays the same cut", async () => {
    const up = await upstream((_, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('partial'));
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const { proxy, file } = await proxyTo(up.url);
    const cut = await fetch(`${proxy.baseUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chatBody('m', ['hi'])) }).then((r) =>
      r.text().then(
        () => 'ended',
        (e: Error) => `failed: ${e.message}`,
      ),
    );
    expect(cut).toBe('failed: terminated');
    await eventually(() => proxy.traffic[0]);
    expect(proxy.traffic[0]).toMatchObject({ complete: false, reply: 'partial', error: expect.stringMatching(/^the server's connection died mid-answer \(/) });
    const recorded = JSON.parse(readFileSync(file, 'utf8').trim()) as { cut?: string };
    expect(recorded.cut).toBe('reset');

    const replay = await startEndpoint({ replay: { file } });
    cleanups.push(() => replay.close());
    const again = await fetch(`${replay.baseUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chatBody('m', ['hi'])) }).then((r) =>
      r.text().then(
        () => 'ended',
        (e: Error) => `failed: ${e.message}`,
      ),
    );
    expect(again).toBe('failed: terminated');
    await eventually(() => replay.traffic[0]);
    expect(replay.traffic[0]).toMatchObject({ complete: false, reply: 'partial', error: expect.stringMatching(/^the server's connection died mid-answer/) });
  });

  it('an upstream that cannot be reached: a 502 naming it, recorded and replayed alike', async () => {
    const up = await upstream(() => {});
    const dead = up.url;
    await cleanups.pop()?.(); // nothing listens there now
    const { proxy, file } = await proxyTo(dead);
    const answer = await post(`${proxy.baseUrl}/v1/chat/completions`, chatBody('m', ['hi']));
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.text).error.message).toBe(`the server at ${dead} could not be reached: ECONNREFUSED`);
    await eventually(() => proxy.traffic[0]);
    expect(proxy.traffic[0]).toMatchObject({ status: 502, error: `the server at ${dead} could not be reached: ECONNREFUSED` });
    const replay = await startEndpoint({ replay: { file } });
    cleanups.push(() => replay.close());
    const again = await post(`${replay.baseUrl}/v1/chat/completions`, chatBody('m', ['hi']));
    expect([again.status, again.text]).toEqual([502, answer.text]);
  });

  it('a kept-alive connection the server dropped after its last answer: the next request goes again on a new one', async () => {
    // As llama-server does: it closes the connection after each stream, despite its Keep-Alive header.
    const used = new WeakSet<object>();
    const up = await upstream((req, res) => {
      if (used.has(req.socket)) return void req.socket.destroy();
      used.add(req.socket);
      res.writeHead(200, { 'content-type': 'text/event-stream', connection: 'keep-alive' }).end(`${sse('ok')}data: [DONE]\n\n`);
    });
    const { proxy } = await proxyTo(up.url);
    const first = await post(`${proxy.baseUrl}/v1/chat/completions`, chatBody('m', ['one']));
    const second = await post(`${proxy.baseUrl}/v1/chat/completions`, chatBody('m', ['two']));
    expect([first.status, second.status]).toEqual([200, 200]);
    await eventually(() => (proxy.traffic.length === 2 ? true : undefined));
    expect(proxy.traffic.map((e) => [e.lastUser, e.complete])).toEqual([
      ['one', true],
      ['two', true],
    ]);
  });

  it('a client that leaves mid-answer is recorded with what came, and the replay hands exchanges out in arrival order', async () => {
    let n = 0;
    const up = await upstream((_, res) => {
      const mine = ++n;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse(`answer ${mine}`));
      // The first answer is slow (its client gives up); the second is whole at once.
      if (mine === 2) res.end(`${finish}data: [DONE]\n\n`);
    });
    const { proxy, file } = await proxyTo(up.url);
    const gone = new AbortController();
    const first = fetch(`${proxy.baseUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chatBody('m', ['hi'])), signal: gone.signal });
    await eventually(() => (proxy.streaming()[0]?.sent ? true : undefined));
    await post(`${proxy.baseUrl}/v1/chat/completions`, chatBody('m', ['hi']));
    gone.abort();
    await first.catch(() => undefined);
    await eventually(() => (proxy.traffic.length === 2 ? true : undefined));
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; cut?: string; chunks: { data: string }[] });
    // Written as they ended: the second first. The first kept its chunk and says its client left.
    expect(lines.map((l) => [l.seq, l.cut])).toEqual([
      [2, undefined],
      [1, 'left'],
    ]);
    expect(lines[1]?.chunks[0]?.data).toContain('answer 1');

    const replay = await startEndpoint({ replay: { file } });
    cleanups.push(() => replay.close());
    const again = new AbortController();
    const replayed = fetch(`${replay.baseUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chatBody('m', ['hi'])), signal: again.signal });
    // The first request gets the first arrival's answer, and it stays open as it did live.
    await eventually(() => (replay.streaming()[0]?.sent ? true : undefined));
    expect(replay.streaming()[0]?.sent).toBe('answer 1'.length);
    again.abort();
    await replayed.catch(() => undefined);
    const second = await post(`${replay.baseUrl}/v1/chat/completions`, chatBody('m', ['hi']));
    expect(second.text).toContain('answer 2');
  });

  it('maps paths: a client given the upstream path sends it verbatim, one given the bare origin gets the prefix', () => {
    expect(upstreamUrl('https://h:30000/api/v1', '/api/v1/chat/completions').toString()).toBe('https://h:30000/api/v1/chat/completions');
    expect(upstreamUrl('https://h:30000/api/v1', '/v1/chat/completions').toString()).toBe('https://h:30000/api/v1/chat/completions');
    expect(upstreamUrl('https://h:30000/v1', '/chat/completions').toString()).toBe('https://h:30000/chat/completions');
    expect(upstreamUrl('https://h:30000', '/v1/models?x=1').toString()).toBe('https://h:30000/v1/models?x=1');
  });
});
