import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { detectorFor, installMatchers, maskVolatile, runTurn, startEndpoint, endpointOracle, TerminalSession } from '../../src/index.js';

// The public API as a wg developer would use it in a spec of their own: a TUI in a pty, the strict
// endpoint, one message typed and judged by the generation's detector, and the matchers.

installMatchers(expect);
const FIXTURE = fileURLToPath(new URL('../fixtures/fake-chat-tui.mjs', import.meta.url));
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the public API', () => {
  it('types a message into a chat TUI, judges it against the endpoint, and matches the screen', async () => {
    const endpoint = await startEndpoint({ replies: 'echo', chunkDelayMs: 1 });
    cleanups.push(() => endpoint.close());
    const session = await TerminalSession.spawn({
      file: process.execPath,
      args: [FIXTURE, '--style', 'nex', '--endpoint', endpoint.baseUrl],
      cols: 120,
      rows: 30,
    });
    cleanups.push(() => session.dispose({ killLeaked: true }));
    await session.waitForText('> █', { timeoutMs: 10_000 });
    const result = await runTurn({
      session,
      detector: detectorFor('nex-pane'),
      scenario: 'api',
      turn: { text: 'hi', index: 1 },
      total: 1,
      budgetMs: 5000,
      typeDelayMs: 0,
      writeScreen: async () => undefined,
      oracle: endpointOracle(endpoint),
    });
    expect(result).toHaveReplied();
    expect(session).toShowText('> hi');
    expect(session).not.toShowText('Error:');
    expect(session).toMatchScreenSnapshot('nex-pane-reply');
    // A layout change is caught: another screen does not match the stored one.
    expect(() => expect(['a different layout']).toMatchScreenSnapshot('nex-pane-reply')).toThrow(/the screen differs from .*nex-pane-reply\.screen\.txt/);
  });

  it('says why a message did not reply', () => {
    expect(() =>
      expect({
        text: 'hi',
        verdict: 'pane-died',
        passed: false,
        signal: 'screen: chat pane gone',
        cause: { kind: 'app', text: 'wg tui panicked', seen: [] },
      }).toHaveReplied(),
    ).toThrow('expected a reply to "hi", got pane-died: screen: chat pane gone (cause: app — wg tui panicked)');
  });

  it('masks what changes from run to run, not the layout', () => {
    const screen =
      '│ tester: hi  2s ago  #1/1 │\n│ ✻ Brewed for 0s · done 11:57 PM │\n│ /tmp/wg-tui-e2e-aVQlu4 │\n│ [usage: 3148 input · 9 output · $0.0128] │\n│ ⠙ Working │';
    expect(maskVolatile(screen)).toBe(
      '│ tester: hi  <dur>  #1/1 │\n│ * Brewed for <dur> * done <clock> │\n│ <tmp> │\n│ [usage: <n> input * <n> output * $<cost>] │\n│ ⠿ Working │',
    );
  });
});
