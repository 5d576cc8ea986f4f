import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startEndpoint, type Endpoint } from '../../src/endpoint/index.js';
import { endpointOracle } from '../../src/smoke/reply-oracle.js';
import { runTurn as judgeTurn } from '../../src/smoke/turn.js';
import { agreeing } from './invariant.js';
import { TerminalSession } from '../../src/terminal/index.js';
import { detectNexPane } from '../../src/wg/surfaces/nex-pane.js';

// Every case's cause must agree with its own signal (src/smoke/cause-invariant.ts).
const runTurn = async (...args: Parameters<typeof judgeTurn>) => agreeing(await judgeTurn(...args));

// A reasoning block streamed inline before the answer (`<think>…</think>`, Qwen3-family models on a
// server without a reasoning parser): a chat may show it, fold it or hide it; the answer after it is
// the reply. Shown raw or hidden, a whole answer passes; an answer missing a line does not.

const FIXTURE = fileURLToPath(new URL('../fixtures/fake-chat-tui.mjs', import.meta.url));
const THINK = '<think>\nThe user greets me. I should greet back briefly and offer help.\n</think>\n\n';
const ANSWER = 'Hello! How can I help you today?\nI can read code, explain errors and write tests.';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function turn(flags: string[], modes = 'reply', reasoningParser = false) {
  const endpoint: Endpoint = await startEndpoint({ replies: [{ reply: `${THINK}${ANSWER}` }], chunkDelayMs: 1, reasoningParser });
  cleanups.push(() => endpoint.close());
  const session = await TerminalSession.spawn({
    file: process.execPath,
    args: [FIXTURE, '--style', 'nex', '--endpoint', endpoint.baseUrl, '--modes', modes, ...flags],
    cols: 120,
    rows: 30,
  });
  cleanups.push(async () => void (await session.dispose({ killLeaked: true })));
  await session.waitForText('> █', { timeoutMs: 10_000 });
  const result = await runTurn({
    session,
    detector: detectNexPane,
    scenario: 'reasoning',
    turn: { text: 'hi', index: 1 },
    total: 1,
    budgetMs: 10_000,
    typeDelayMs: 0,
    writeScreen: async () => undefined,
    oracle: endpointOracle(endpoint),
  });
  return { result, screen: session.screen().lines.join('\n') };
}

describe('a reasoning block before the answer', () => {
  it('shown raw: the answer is the reply, and it passes', async () => {
    const { result, screen } = await turn([]);
    expect(screen).toContain('<think>');
    expect(result.verdict, result.signal).toBe('replied');
    expect(result.reply?.seen).toBe(1);
  });

  it('hidden, as wg nex does: the answer is the reply, and it passes', async () => {
    const { result, screen } = await turn(['--hide-think']);
    expect(screen).not.toContain('The user greets me');
    expect(result.verdict, result.signal).toBe('replied');
    expect(result.reply?.seen).toBe(1);
  });

  it('hidden, with a line of the answer lost: not a pass', async () => {
    const { result } = await turn(['--hide-think'], 'garble');
    expect(result.passed).toBe(false);
    expect(result.verdict).toBe('reply-garbled');
  });
});

// The same block sent apart, as `reasoning_content` (vLLM, SGLang with --reasoning-parser): the
// answer is the reply whether the chat draws the reasoning or leaves it out.
describe('reasoning sent apart (reasoning_content)', () => {
  it('left out by the chat: the answer passes', async () => {
    const { result, screen } = await turn([], 'reply', true);
    expect(screen).not.toContain('The user greets me');
    expect(screen).not.toContain('<think>');
    expect(result.verdict, result.signal).toBe('replied');
    expect(result.reply?.chars).toBe(ANSWER.length);
  });

  it('drawn by the chat above the answer: the answer passes', async () => {
    const { result, screen } = await turn(['--show-reasoning'], 'reply', true);
    expect(screen).toContain('Thinking: The user greets me');
    expect(result.verdict, result.signal).toBe('replied');
  });

  it('drawn, with a line of the answer lost: not a pass', async () => {
    const { result } = await turn(['--show-reasoning'], 'garble', true);
    expect(result.verdict).toBe('reply-garbled');
  });
});
