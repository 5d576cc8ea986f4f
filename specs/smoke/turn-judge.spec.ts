import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runTurn as judgeTurn } from '../../src/smoke/turn.js';
import { agreeing } from './invariant.js';
import { TerminalSession } from '../../src/terminal/index.js';
import { detectNexPane } from '../../src/wg/surfaces/nex-pane.js';
import { detectPiTmux, piReady } from '../../src/wg/surfaces/pi.js';

// Every case's cause must agree with its own signal (src/smoke/cause-invariant.ts).
const runTurn = async (...args: Parameters<typeof judgeTurn>) => agreeing(await judgeTurn(...args));

// The turn judge in a real pty against a fixture that draws wg's two chat UIs with their real
// marker strings and fails in each of the ways wg has failed. Budgets are generous and never asserted.

const FIXTURE = fileURLToPath(new URL('../fixtures/fake-chat-tui.mjs', import.meta.url));
const sessions: TerminalSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose({ killLeaked: true })));
});

async function chat(style: 'nex' | 'pi', modes: string): Promise<TerminalSession> {
  const session = await TerminalSession.spawn({ file: process.execPath, args: [FIXTURE, '--style', style, '--modes', modes], cols: 120, rows: 30 });
  sessions.push(session);
  await session.waitFor((s) => (style === 'pi' ? piReady(s.lines) : s.text.includes('> █')), { timeoutMs: 10_000 });
  return session;
}

async function send(session: TerminalSession, style: 'nex' | 'pi', text: string, index: number, budgetMs = 10_000) {
  return runTurn({
    session,
    detector: style === 'nex' ? detectNexPane : detectPiTmux,
    scenario: 'fixture',
    turn: { text, index },
    total: 5,
    budgetMs,
    typeDelayMs: 5,
    writeScreen: async () => undefined,
  });
}

// 0c3a7f76 (05-22): a REPL that takes the line, redraws its prompt at once and prints the reply over
// it a moment later. The prompt back with nothing is not yet an empty reply: a person waits.
describe('turn judge on a queueing REPL', () => {
  it('waits for the reply drawn after the prompt came back', async () => {
    const result = await send(await chat('nex', 'queue'), 'nex', 'hi', 1);
    expect(result).toMatchObject({ verdict: 'replied', detail: 'Reply 1 to: hi' });
  });

  it('still calls a prompt that comes back with nothing, and stays so, an empty reply', async () => {
    const result = await send(await chat('nex', 'empty'), 'nex', 'hi', 1);
    expect(result).toMatchObject({ verdict: 'error-shown', detail: 'empty reply' });
  });
});

describe.each(['nex', 'pi'] as const)('turn judge on the %s chat', (style) => {
  it('replies, turn after turn', async () => {
    const session = await chat(style, 'reply');
    for (const [i, text] of ['hi', 'tell me a joke', 'thanks'].entries()) {
      const result = await send(session, style, text, i + 1);
      expect(result).toMatchObject({ verdict: 'replied', passed: true, detail: `Reply ${i + 1} to: ${text}` });
      expect(result.firstGlyphMs).toBeLessThanOrEqual(result.settledMs ?? Infinity);
    }
  });

  it('waits through a visible retry and says so', async () => {
    const result = await send(await chat(style, 'retry'), style, 'hi', 1);
    expect(result.verdict).toBe('replied');
    if (style === 'pi') expect(result.retries).toEqual(['1/3']);
  });

  it('reports an error line as error-shown', async () => {
    const result = await send(await chat(style, 'error'), style, 'hi', 1);
    expect(result.verdict).toBe('error-shown');
    expect(result.detail).toMatch(/Error: /);
  });

  it('calls a reply that never finishes stalled, and silence no-reply', async () => {
    expect((await send(await chat(style, 'stall'), style, 'hi', 1, 1500)).verdict).toBe('stalled');
    expect((await send(await chat(style, 'hang'), style, 'hi', 1, 1500)).verdict).toBe('no-reply');
  });

  it('tells a panic from a plain exit', async () => {
    const panicked = await send(await chat(style, 'panic'), style, 'hi', 1);
    expect(panicked).toMatchObject({ verdict: 'tui-panicked' });
    expect(panicked.detail).toMatch(/panicked at src\/tui\/render.rs/);
    expect((await send(await chat(style, 'exit'), style, 'hi', 1)).verdict).toBe('tui-exited');
  });
});

describe('turn judge on the nex pane that dies', () => {
  it('reports pane-died with the error it painted on the way out', async () => {
    const result = await send(await chat('nex', 'reply,die'), 'nex', 'hi', 1);
    expect(result.verdict).toBe('replied');
    const died = await send(sessions[0] as TerminalSession, 'nex', 'again', 2);
    expect(died.verdict).toBe('pane-died');
    expect(died.detail).toMatch(/API error 400/);
  });
});
