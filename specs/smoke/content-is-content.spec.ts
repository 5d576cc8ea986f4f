import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startEndpoint } from '../../src/endpoint/index.js';
import { endpointOracle } from '../../src/smoke/reply-oracle.js';
import { runTurn as judgeTurn } from '../../src/smoke/turn.js';
import { agreeing } from './invariant.js';
import { TerminalSession } from '../../src/terminal/index.js';
import { detectNexTmux } from '../../src/wg/surfaces/nex-tmux.js';
import { detectPiTmux, piReady } from '../../src/wg/surfaces/pi.js';
import type { TurnDetector } from '../../src/wg/surfaces/observation.js';

// Every case's cause must agree with its own signal (src/smoke/cause-invariant.ts).
const runTurn = async (...args: Parameters<typeof judgeTurn>) => agreeing(await judgeTurn(...args));

// Text inside the assistant's reply is the reply, whatever it looks like: a first line that repeats
// the user's message is not the echo, and a sentence about `Retrying (2/3) in 2s...` is not Pi's
// retry notice. Decided by position and by what the endpoint streamed, on the fixture's Pi pane.

const FIXTURE = fileURLToPath(new URL('../fixtures/fake-chat-tui.mjs', import.meta.url));
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const piTurn = (text: string, reply: string) => chatTurn('pi', text, reply);

async function chatTurn(style: 'pi' | 'nex', text: string, reply: string) {
  const endpoint = await startEndpoint({ replies: [{ reply }], chunkDelayMs: 1 });
  cleanups.push(() => endpoint.close());
  const session = await TerminalSession.spawn({
    file: process.execPath,
    args: [FIXTURE, '--style', style, '--endpoint', endpoint.baseUrl],
    cols: 120,
    rows: 30,
  });
  cleanups.push(async () => void (await session.dispose({ killLeaked: true })));
  if (style === 'pi') await session.waitFor((s) => piReady(s.lines) || undefined, { timeoutMs: 10_000, phase: "the fixture's Pi editor" });
  else await session.waitForText('> █', { timeoutMs: 10_000 });
  const detector: TurnDetector = style === 'pi' ? detectPiTmux : detectNexTmux;
  return runTurn({
    session,
    detector,
    scenario: 'content',
    turn: { text, index: 1 },
    total: 1,
    budgetMs: 10_000,
    typeDelayMs: 0,
    writeScreen: async () => undefined,
    oracle: endpointOracle(endpoint),
  });
}

describe("content that looks like the chat's own structure, on Pi", () => {
  it('a reply whose first line repeats the message word for word passes whole', async () => {
    const result = await piTurn('what is a closure', 'what is a closure\n\nA closure is a function that keeps the variables of the scope it was made in.');
    expect(result.verdict, result.signal).toBe('replied');
    expect(result.reply?.seen).toBe(1);
  });

  it("a reply that mentions Pi's retry notice is not a retry", async () => {
    const result = await piTurn('hi', 'If the server is busy, Pi prints Retrying (2/3) in 2s... and tries again; you need not do anything.');
    expect(result.verdict, result.signal).toBe('replied');
    expect(result.retries).toEqual([]);
  });
});

// nex's prompt and echo are `> `: a markdown blockquote in the reply (`> Note: …`, and its bare `>`
// separator line) is the reply's, told by position: the prompt is the last row the chat drew.
describe("content that looks like the chat's own structure, on nex", () => {
  it('a reply with a blockquote, bare `>` separator included, passes whole', async () => {
    const reply = 'Sure, here is the gist.\n\n> Note: the cache is per process.\n>\n> Restart the service to clear it.\n\nAnything else?';
    const result = await chatTurn('nex', 'how does the cache work', reply);
    expect(result.verdict, result.signal).toBe('replied');
    expect(result.reply?.seen).toBe(1);
  });

  it('a reply whose first line repeats the message passes whole', async () => {
    const result = await chatTurn(
      'nex',
      'what is a closure',
      'what is a closure\n\nA closure is a function that keeps the variables of the scope it was made in.',
    );
    expect(result.verdict, result.signal).toBe('replied');
  });
});
