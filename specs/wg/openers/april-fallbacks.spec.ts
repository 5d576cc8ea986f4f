import { describe, expect, it, vi } from 'vitest';
import { linesOf, runOnStandIn } from './stand-in.js';

// A run starts a TUI, a daemon and an endpoint; on a loaded 2-core machine one may take a while.
vi.setConfig({ testTimeout: 90_000 });

// The nex-pane generation's fallbacks, which wait on wg's screen for a while before they decide
// (the composer's empty state 12 s, a banner with no prompt 10 s): a file of their own, so they run
// beside the quick cases.

describe('the nex pane falls back to what the Chat tab shows', () => {
  it('only the composer for 12 s: the messages are typed there', async () => {
    const r = await runOnStandIn({ extends: 'nex-pane', tui: { start: 'composer' } }, { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.run.scenarios[0]?.surface).toBe('composer');
    expect(linesOf(r, 'FINDING')).toEqual([expect.stringMatching(/the Chat tab never showed the `wg nex` pane: after 12s it still shows the composer/)]);
  }, 60_000);

  it("claude-local: no claude pane, only the composer: the daemon's claude handler answers there", async () => {
    const r = await runOnStandIn({ extends: 'nex-pane', tui: { start: 'composer' } }, { scenario: ['claude-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.run.scenarios[0]?.surface).toBe('composer');
    expect(linesOf(r, 'FINDING')).toEqual([expect.stringMatching(/the Chat tab shows no claude pane: after 12s it still shows the composer/)]);
  }, 60_000);

  it("a banner and no prompt (nex --chat): typed into as a person would, then the hint row's Enter opens the composer", async () => {
    const r = await runOnStandIn({ extends: 'nex-pane-no-x', tui: { implicit: { kind: 'nex-closed' } } }, { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.run.scenarios[0]?.surface).toBe('composer-fed-pane');
    const findings = linesOf(r, 'FINDING');
    expect(findings).toContainEqual(expect.stringMatching(/the chat pane shows nex's banner but no `> ` prompt after 10s/));
    expect(findings).toContainEqual(expect.stringMatching(/wg's hint reads "Enter: chat": pressed Enter, as a person would, which opened the composer/));
  }, 60_000);
});
