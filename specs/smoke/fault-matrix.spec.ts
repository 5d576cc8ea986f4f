import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startEndpoint, type Endpoint, type FaultRule } from '../../src/endpoint/index.js';
import { endpointOracle } from '../../src/smoke/reply-oracle.js';
import { runTurn as judgeTurn } from '../../src/smoke/turn.js';
import { agreeing } from './invariant.js';
import { TerminalSession } from '../../src/terminal/index.js';
import { detectNexPane } from '../../src/wg/surfaces/nex-pane.js';

// Every case's cause must agree with its own signal (src/smoke/cause-invariant.ts).
const runTurn = async (...args: Parameters<typeof judgeTurn>) => agreeing(await judgeTurn(...args));

// One fault per case, against the real embedded endpoint, judged on the fixture chat (the April
// nex pane's markers): the verdict, the words it carries (the final error, not a retry notice),
// and that it comes within its deadline. The same faults on real wg are in the README's table.

const FIXTURE = fileURLToPath(new URL('../fixtures/fake-chat-tui.mjs', import.meta.url));
const BUDGET_MS = 3000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function chatWith(endpoint: Endpoint | { baseUrl: string }, extra: string[] = []): Promise<TerminalSession> {
  const session = await TerminalSession.spawn({
    file: process.execPath,
    args: [FIXTURE, '--style', 'nex', '--endpoint', endpoint.baseUrl, ...extra],
    cols: 120,
    rows: 30,
  });
  cleanups.push(async () => void (await session.dispose({ killLeaked: true })));
  await session.waitForText('> █', { timeoutMs: 10_000 });
  return session;
}

async function endpointWith(faults: FaultRule[]): Promise<Endpoint> {
  const endpoint = await startEndpoint({ replies: 'corpus', faults, chunkDelayMs: 1 });
  cleanups.push(() => endpoint.close());
  return endpoint;
}

const send = (session: TerminalSession, endpoint: Endpoint | undefined, text = 'hi') =>
  runTurn({
    session,
    detector: detectNexPane,
    scenario: 'faults',
    turn: { text, index: 1 },
    total: 1,
    budgetMs: BUDGET_MS,
    typeDelayMs: 0,
    writeScreen: async () => undefined,
    oracle: endpoint ? endpointOracle(endpoint) : undefined,
  });

describe('fault matrix on the fixture chat', () => {
  it.each([
    [401, /API error 401/],
    [404, /API error 404/],
    [429, /API error 429/],
    [500, /API error 500/],
    [503, /API error 503/],
  ])('HTTP %i: error-shown with the status, at once', async (status, words) => {
    const endpoint = await endpointWith([{ fault: 'status', status, retryAfter: status === 429 ? 1 : undefined, times: 'always' }]);
    const result = await send(await chatWith(endpoint), endpoint);
    expect(result.verdict).toBe('error-shown');
    expect(result.detail).toMatch(words);
    expect(result.settledMs).toBeLessThan(BUDGET_MS);
    // The planted fault is named on the message it hit, and is its cause.
    expect(result.faults?.[0]).toMatch(new RegExp(`^status ${status}`));
    expect(result.cause).toMatchObject({ kind: 'provider', text: expect.stringMatching(new RegExp(`injected fault: status ${status}`)) });
  });

  it('a stream that stops: stalled at the budget, with what the endpoint had sent', async () => {
    const endpoint = await endpointWith([{ fault: 'stall', afterChunks: 2, ms: 60_000, times: 'always' }]);
    const result = await send(await chatWith(endpoint), endpoint);
    expect(result.verdict).toBe('stalled');
    expect(result.signal).toMatch(/endpoint: still streaming the reply at the budget/);
    expect(result.settledMs).toBeGreaterThanOrEqual(BUDGET_MS - 50);
    expect(result.settledMs).toBeLessThan(BUDGET_MS + 2000);
  });

  it('the first token past the budget: stalled (a slow reply), not no-reply', async () => {
    const endpoint = await endpointWith([{ fault: 'delay', ms: 60_000, times: 'always' }]);
    const result = await send(await chatWith(endpoint), endpoint);
    expect(result.verdict).toBe('stalled');
    expect(result.signal).toMatch(/endpoint: still answering at the budget \(0 of \d+ chars sent within 3s\)/);
    // The cause reads the same evidence: the reply in flight, never "no request reached the endpoint".
    expect(result.cause?.kind).toBe('provider');
    expect(result.cause?.seen.join('\n')).toMatch(/this reply still in flight \(0 of \d+ chars sent in \d\.\ds\)/);
    expect(result.settledMs).toBeLessThan(BUDGET_MS + 2000);
  });

  it.each([
    ['drop', { fault: 'drop', afterChunks: 2, times: 'always' } satisfies FaultRule],
    ['malformed SSE', { fault: 'malformed', times: 'always' } satisfies FaultRule],
  ])('%s: the error the chat draws, never a pass', async (_, fault) => {
    const endpoint = await endpointWith([fault]);
    const result = await send(await chatWith(endpoint), endpoint);
    expect(result.verdict).toBe('error-shown');
    expect(result.passed).toBe(false);
  });

  it('an empty reply: error-shown "empty reply"', async () => {
    const endpoint = await endpointWith([{ fault: 'empty', times: 'always' }]);
    const result = await send(await chatWith(endpoint), endpoint);
    expect(result).toMatchObject({ verdict: 'error-shown', detail: 'empty reply' });
  });

  it('the endpoint down before the message: the connection error', async () => {
    const endpoint = await endpointWith([]);
    const session = await chatWith(endpoint);
    await endpoint.close();
    const result = await send(session, undefined);
    expect(result.verdict).toBe('error-shown');
    expect(result.detail).toMatch(/connection failed: ECONNREFUSED/);
  });

  it('wg tui killed while the reply streams: tui-exited', async () => {
    const endpoint = await endpointWith([{ fault: 'stall', afterChunks: 2, ms: 60_000, times: 'always' }]);
    const session = await chatWith(endpoint);
    setTimeout(() => process.kill(session.pid, 'SIGKILL'), 400);
    const result = await send(session, endpoint);
    expect(result.verdict).toBe('tui-exited');
    expect(result.signal).toMatch(/SIGKILL/);
  });

  it('a chat that never calls the model (app wiring): cause app, no request in the window', async () => {
    const endpoint = await endpointWith([]);
    const result = await send(await chatWith(endpoint, ['--modes', 'hang']), endpoint);
    expect(result.verdict).toBe('no-reply');
    expect(result.cause).toMatchObject({ kind: 'app', text: expect.stringMatching(/^no request reached the endpoint .*wg never called the model/) });
    expect(result.cause?.seen).toContain('endpoint: no request finished in the window');
  });

  it('a chat that posts to /chat/completions (no /v1): cause app, the refused route counted', async () => {
    const endpoint = await endpointWith([]);
    const result = await send(await chatWith(endpoint, ['--chat-path', '/chat/completions']), endpoint);
    expect(result.verdict).toBe('error-shown');
    expect(result.cause).toMatchObject({ kind: 'app', text: '1 request, all refused: 1× 404 POST /chat/completions — the path lacks /v1' });
  });

  it('a reply: no cause', async () => {
    const endpoint = await endpointWith([]);
    const result = await send(await chatWith(endpoint), endpoint);
    expect(result.verdict).toBe('replied');
    expect(result.cause).toBeUndefined();
  });

  it('the terminal resized mid-reply: still judged on the whole reply', async () => {
    const endpoint = await startEndpoint({ replies: 'corpus', pace: { ttftMs: 0, tokensPerSec: 400, chunking: 'token' } });
    cleanups.push(() => endpoint.close());
    const session = await chatWith(endpoint);
    setTimeout(() => session.resize(100, 32), 300);
    const result = await runTurn({
      session,
      detector: detectNexPane,
      scenario: 'faults',
      turn: { text: 'tell me a short joke', index: 1 },
      total: 1,
      budgetMs: 10_000,
      typeDelayMs: 0,
      writeScreen: async () => undefined,
      oracle: endpointOracle(endpoint),
    });
    expect(result).toMatchObject({ verdict: 'replied', reply: { seen: 1, complete: true } });
  });
});
