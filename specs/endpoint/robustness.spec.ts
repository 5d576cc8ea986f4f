// Bad input never takes the endpoint down: huge bodies, aborted streams, slow bodies, 50 concurrent streams.
import { tempDir } from '../setup/temp.js';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OptionError, SetupError } from '../../src/errors.js';
import { startEndpoint } from '../../src/endpoint/index.js';
import { assertWellFormedStream, chatBody, eventually, post } from './helpers.js';

describe('robustness', () => {
  it('answers 413 to a body over the limit and keeps serving', async () => {
    const ep = await startEndpoint({ maxBodyBytes: 64 * 1024, chunkDelayMs: 0 });
    const huge = chatBody('qwen3-coder', ['x'.repeat(200 * 1024)]);
    const res = await post(`${ep.baseUrl}/v1/chat/completions`, huge);
    expect([res.status, res.text]).toEqual([413, '{"detail":"Request Entity Too Large"}']);
    expect((await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['small']))).status).toBe(200);
    await ep.close();
    expect(ep.traffic[0]).toMatchObject({ status: 413, error: 'body too-large' });
  });

  it('logs a client that aborts mid-stream and stops writing to it', async () => {
    const ep = await startEndpoint({ chunkDelayMs: 30 });
    const controller = new AbortController();
    const res = await fetch(`${ep.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatBody('qwen3-coder', ['one two three four five six seven'])),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read(); // the role chunk
    controller.abort();
    const entry = await eventually(() => ep.traffic[0]);
    expect(entry).toMatchObject({ aborted: true, error: 'client disconnected', status: 200 });
    expect(entry.reply?.length ?? 0).toBeLessThan('Reply 1 to: one two three four five six seven'.length);
    expect((await post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['after']))).status).toBe(200);
    await ep.close();
  });

  it('answers 408 to a body that never finishes', async () => {
    const ep = await startEndpoint({ bodyTimeoutMs: 200 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${ep.baseUrl}/v1/chat/completions`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': '1000' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"model":'); // and never the rest
    });
    expect(status).toBe(408);
    await ep.close();
    expect(ep.traffic[0]?.error).toBe('body timeout');
  });

  it('serves 50 concurrent streams to the end and logs all 50', async () => {
    const path = join(tempDir('endpoint-c50-'), 'traffic.ndjson');
    const ep = await startEndpoint({ chunkDelayMs: 5, trafficLogPath: path });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', [`msg ${i}`]))));
    answers.forEach((a, i) => expect(assertWellFormedStream(a.text).reply).toBe(`Reply 1 to: msg ${i}`));
    await ep.close();
    expect(ep.traffic).toHaveLength(50);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(50);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { n: number }).n)).size).toBe(50);
  });

  it('answers 408 to headers that never finish, and logs it', async () => {
    const ep = await startEndpoint({ headersTimeoutMs: 300 });
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(ep.port, '127.0.0.1', () => socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    await ep.close();
    expect(ep.traffic[0]).toMatchObject({ status: 408, error: 'client error ERR_HTTP_REQUEST_TIMEOUT' });
  });

  it('close() answers a request still waiting (non-streaming) with 503 instead of hanging up', async () => {
    const ep = await startEndpoint({ faults: [{ fault: 'delay', ms: 60_000 }] });
    const pending = post(`${ep.baseUrl}/v1/chat/completions`, chatBody('qwen3-coder', ['x'], { stream: false }));
    // The request is in (held by its delay) before the endpoint closes.
    await eventually(() => ep.inFlight === 1);
    expect(ep.traffic).toHaveLength(0);
    await ep.close();
    expect((await pending).status).toBe(503);
    expect(ep.traffic[0]).toMatchObject({ status: 503, error: 'endpoint closing' });
  });

  it('refuses a non-loopback host, and close() is idempotent', async () => {
    await expect(startEndpoint({ host: '0.0.0.0' })).rejects.toThrow(OptionError);
    await expect(startEndpoint({ host: '192.168.1.2' })).rejects.toThrow(/not a loopback address/);
    // A path below a regular file cannot be created (ENOTDIR). Not /proc: recursive mkdir loops there.
    const file = join(tempDir('endpoint-notdir-'), 'plain-file');
    writeFileSync(file, '');
    await expect(startEndpoint({ trafficLogPath: join(file, 'sub', 'traffic.ndjson') })).rejects.toThrow(SetupError);
    const taken = await startEndpoint();
    await expect(startEndpoint({ port: taken.port })).rejects.toThrow(/EADDRINUSE/);
    await taken.close();
    const ep = await startEndpoint({ host: 'localhost' });
    expect(ep.baseUrl).toMatch(/^http:\/\/localhost:\d+$/);
    await Promise.all([ep.close(), ep.close()]);
    await ep.close();
  });
});
