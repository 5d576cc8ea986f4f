import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startEndpoint, type Endpoint } from '../../src/endpoint/index.js';
import type { MessageResult } from '../../src/report/model.js';
import { endpointOracle } from '../../src/smoke/reply-oracle.js';
import { runTurn as judgeTurn } from '../../src/smoke/turn.js';
import { agreeing } from '../smoke/invariant.js';
import { TerminalSession } from '../../src/terminal/index.js';
import { detectNexPane } from '../../src/wg/surfaces/nex-pane.js';
import { findLlamaServer, freePort, startLlamaServer, type LlamaServer } from '../setup/llama-server.js';
import { tempDir } from '../setup/temp.js';

// Every case's cause must agree with its own signal (src/smoke/cause-invariant.ts).
const runTurn = async (...args: Parameters<typeof judgeTurn>) => agreeing(await judgeTurn(...args));

// The live oracle on a real model server: llama.cpp's llama-server with SmolLM2-135M, unscripted
// output, behind the recording proxy, judged on the fixture chat (the April nex pane's markers).
// Each verdict and cause must follow from what the proxy recorded of the server, and a recording
// replayed with the server gone must give the same verdict.

const FIXTURE = fileURLToPath(new URL('../fixtures/fake-chat-tui.mjs', import.meta.url));
const found = findLlamaServer();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(args: string[]): Promise<LlamaServer> {
  if ('missing' in found) throw new Error(found.missing);
  const s = await startLlamaServer(found, args);
  cleanups.push(() => s.kill());
  return s;
}

async function proxyTo(upstream: string): Promise<{ proxy: Endpoint; file: string }> {
  const dir = tempDir('llama-proxy-');
  const file = join(dir, 'endpoint-recording.ndjson');
  const proxy = await startEndpoint({ record: { upstream, file }, trafficLogPath: join(dir, 'endpoint-traffic.ndjson') });
  cleanups.push(() => proxy.close());
  return { proxy, file };
}

async function replayOf(file: string): Promise<Endpoint> {
  const replay = await startEndpoint({ replay: { file } });
  cleanups.push(() => replay.close());
  return replay;
}

async function chatWith(endpoint: Endpoint): Promise<TerminalSession> {
  const session = await TerminalSession.spawn({
    file: process.execPath,
    args: [FIXTURE, '--style', 'nex', '--endpoint', endpoint.baseUrl],
    cols: 120,
    rows: 30,
  });
  cleanups.push(async () => void (await session.dispose({ killLeaked: true })));
  await session.waitForText('> █', { timeoutMs: 10_000 });
  return session;
}

const send = (session: TerminalSession, endpoint: Endpoint, text: string, budgetMs: number, index = 1): Promise<MessageResult> =>
  runTurn({
    session,
    detector: detectNexPane,
    scenario: 'nex-live',
    turn: { text, index },
    total: 1,
    budgetMs,
    typeDelayMs: 0,
    writeScreen: async () => undefined,
    oracle: endpointOracle(endpoint),
  });

const describeLlama = 'missing' in found ? describe.skip : describe;

describe('llama-server skip note', () => {
  it('says loudly when llama-server is not there', (ctx) => {
    if ('missing' in found) ctx.skip(found.missing);
    expect('bin' in found).toBe(true);
  });
});

describeLlama('the live oracle on a real llama-server behind the recording proxy', () => {
  it('a capped reply: replied, all of what the server streamed on screen, its numbers recorded; the replay without the server agrees', async () => {
    // --ignore-eos: the cap, not the model's whim, ends the reply.
    const llama = await server(['-c', '2048', '-n', '24', '--ignore-eos']);
    const { proxy, file } = await proxyTo(llama.url);
    const result = await send(await chatWith(proxy), proxy, 'hi', 60_000);
    expect(result.verdict, `${result.signal}\n${llama.log().slice(-2000)}`).toBe('replied');
    expect(result.reply).toMatchObject({ requests: 1, complete: true, seen: 1 });
    const entry = proxy.traffic.find((e) => e.lastUser === 'hi');
    expect(entry).toMatchObject({ mode: 'record', status: 200, complete: true, stream: true });
    // The server's own account: llama.cpp reports its prompt tokens, and the cap ended the reply.
    expect(entry?.relay).toMatchObject({ finishReason: 'length', completionTokens: 24 });
    expect(entry?.relay?.promptTokens).toBeGreaterThan(0);
    expect(entry?.relay?.chunks).toBeGreaterThan(5);
    expect(result.reply?.chars).toBe(entry?.reply?.length);

    await llama.kill();
    const replay = await replayOf(file);
    const again = await send(await chatWith(replay), replay, 'hi', 60_000);
    expect(again.verdict).toBe('replied');
    expect(again.detail).toBe(result.detail);
    expect(replay.traffic[0]).toMatchObject({ mode: 'replay', complete: true, reply: entry?.reply });
  }, 120_000);

  it('a reply still streaming at the budget: stalled with how much came and the pace, cause provider; never no-reply', async () => {
    const llama = await server(['-c', '4096', '-n', '3000', '--ignore-eos']);
    const { proxy } = await proxyTo(llama.url);
    const session = await chatWith(proxy);
    // 3000 tokens take the model about a minute; 15 s leaves room for a first byte on a loaded machine.
    const result = await send(session, proxy, 'write a very long story about a lighthouse', 15_000);
    expect(result.verdict).toBe('stalled');
    expect(result.signal).toMatch(
      /^endpoint: still streaming the reply at the budget \(\d+ chars within 15s, first byte after \d+\.\ds, \d+ chars\/s\): a slow reply, raise --reply-timeout$/,
    );
    expect(result.cause?.kind).toBe('provider');
    expect(result.cause?.text).toMatch(/^the endpoint was still streaming this reply at the budget/);
    // A second message typed while the first still streams never shows: it says what it waits behind.
    const second = await send(session, proxy, 'thanks', 2_000, 2);
    expect(second.verdict, second.signal).toBe('no-reply');
    expect(second.signal).toMatch(/queued behind the reply to "write a very long story about a lightho…", still in flight at the endpoint \(\d+ chars in/);
    expect(second.cause).toMatchObject({
      kind: 'provider',
      text: expect.stringMatching(/^queued: wg was still busy with the reply to "write a very long story/),
    });
  }, 120_000);

  it("the server's context smaller than the prompt: its 400 quoted, cause provider; the replay agrees", async () => {
    const llama = await server(['-c', '256', '-n', '16']);
    const { proxy, file } = await proxyTo(llama.url);
    // Digits are a token each to this model: a short line that is a long prompt.
    const long = `add these up: ${'1234567890 '.repeat(30).trim()}`;
    const result = await send(await chatWith(proxy), proxy, long, 30_000);
    expect(result.verdict, result.signal).toBe('error-shown');
    expect(result.detail).toMatch(/API error 400/);
    const entry = proxy.traffic.find((e) => e.n !== null);
    expect(entry?.status).toBe(400);
    expect(entry?.error).toMatch(/^400 from the server: .*exceeds the available context size \(256 tokens\)/);
    expect(result.cause).toMatchObject({
      kind: 'provider',
      text: expect.stringMatching(/exceeds the available context size .*: the server's context is smaller than wg's prompt/),
    });

    await llama.kill();
    const replay = await replayOf(file);
    const again = await send(await chatWith(replay), replay, long, 30_000);
    expect(again.verdict).toBe('error-shown');
    expect(again.cause?.text).toBe(result.cause?.text);
  }, 120_000);

  it('the server killed mid-reply: the cut wg sees, cause provider naming the dead connection; the replay cuts the same way', async () => {
    const llama = await server(['-c', '4096', '-n', '3000', '--ignore-eos']);
    const { proxy, file } = await proxyTo(llama.url);
    const session = await chatWith(proxy);
    const turn = send(session, proxy, 'write a very long story about a lighthouse', 60_000);
    // Killed once the reply is under way, as a crash would.
    for (let i = 0; i < 300 && !(proxy.streaming()[0]?.sent ?? 0); i++) await new Promise((r) => setTimeout(r, 100));
    expect(proxy.streaming()[0]?.sent).toBeGreaterThan(0);
    await llama.kill();
    const result = await turn;
    expect(result.passed).toBe(false);
    expect(result.verdict).toBe('error-shown');
    const entry = proxy.traffic.find((e) => e.n !== null);
    expect(entry).toMatchObject({ complete: false, error: expect.stringMatching(/^the server's connection died mid-answer/) });
    expect(result.cause).toMatchObject({ kind: 'provider', text: expect.stringMatching(/stream ended early: the server's connection died mid-answer/) });
    const recorded = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { cut?: string });
    expect(recorded.at(-1)?.cut).toBe('reset');

    const replay = await replayOf(file);
    const again = await send(await chatWith(replay), replay, 'write a very long story about a lighthouse', 60_000);
    expect(again.verdict).toBe('error-shown');
    expect(again.cause?.kind).toBe('provider');
  }, 120_000);

  it('the server not started: the proxy says it could not be reached, cause provider', async () => {
    const { proxy } = await proxyTo(`http://127.0.0.1:${await freePort()}`);
    const result = await send(await chatWith(proxy), proxy, 'hi', 10_000);
    expect(result.verdict).toBe('error-shown');
    expect(result.detail).toMatch(/API error 502: .*could not be reached: ECONNREFUSED/);
    expect(result.cause).toMatchObject({ kind: 'provider', text: expect.stringMatching(/could not be reached: ECONNREFUSED/) });
  }, 60_000);
});
