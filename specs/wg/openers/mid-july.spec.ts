import { describe, expect, it, vi } from 'vitest';
import { linesOf, runOnStandIn } from './stand-in.js';

// A run starts a TUI, a daemon and an endpoint; on a loaded 2-core machine one may take a while.
vi.setConfig({ testTimeout: 90_000 });

// Mid July 2026 (graphwork/wg 58380883) on the wg stand-in: the implicit chat shown in the composer
// view (`Chat with Agent`), and after a plain init the service refused and the Chat tab without
// chat or agent (`Chat agent not active.`). These wait out the composer's 12 s on screen.

const MID_JULY = { extends: 'nex-tmux-july', tui: { start: 'chat', implicit: { fate: 'composer', bootMs: 0 } } };
const EXEC_UNSELECTED = 'Error: error[WG-EXEC-UNSELECTED]: no LLM execution system has been selected.';

describe('the composer view (58380883)', () => {
  it('nex-local: the implicit chat in the composer view, typed into there', async () => {
    const r = await runOnStandIn(MID_JULY, { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.run.scenarios[0]?.surface).toBe('composer');
    expect(linesOf(r, 'FINDING')).toContainEqual(
      expect.stringMatching(
        /the Chat tab shows the implicit chat in the composer view \("Chat with Agent", "Press 'c' or ':' to start typing\."\) and no nex pane after 12s/,
      ),
    );
  });

  it('plain nex-local: no chat and no agent; the nex chat made in the launcher shows in the composer view', async () => {
    const profile = {
      extends: 'nex-tmux-july',
      service: { refuse: { plain: EXEC_UNSELECTED } },
      tui: { start: 'inactive', launcher: { addNew: { launch: { nex: { kind: 'nex', fate: 'inactive' } } } } },
    };
    const r = await runOnStandIn(profile, { scenario: ['nex-local'], setup: 'plain' });
    expect(r.exitCode).toBe(0);
    const findings = linesOf(r, 'FINDING');
    expect(findings).toContainEqual(expect.stringMatching(/`wg service start` REFUSED after the plain init/));
    expect(findings).toContainEqual(expect.stringMatching(/no chat and no chat agent \(`Chat agent not active\. Start with: wg service start`/));
    expect(findings).toContainEqual(
      expect.stringMatching(/the launched nex chat shows in the composer view \("Chat agent not active\."\) and no pane after 12s/),
    );
  });

  it("pi-local: Ctrl+O from the composer view starts the pane, which dies (running claude for the user's `-x nex` project): wg's failure, counted; Pi is made from its panel (`E`)", async () => {
    const r = await runOnStandIn({ ...MID_JULY, tui: { ...MID_JULY.tui, ctrlO: 'dies' } }, { scenario: ['pi-local'] });
    expect(linesOf(r, 'FAIL')).toEqual([
      expect.stringMatching(
        /^FAIL pi-local Ctrl\+O started the implicit chat's pane and it died \(Chat agent died\): Exit status: exit code 1; Executor:\s+claude/,
      ),
    ]);
    expect(linesOf(r, 'PASS')).toHaveLength(1);
    expect(r.exitCode).toBe(1);
    expect(r.run.scenarios[0]?.surface).toBe('pi-tmux');
    const findings = linesOf(r, 'FINDING');
    expect(findings).toContainEqual(expect.stringMatching(/this wg opened its implicit chat in the composer view \("Chat with Agent"/));
    expect(findings).toContainEqual("FINDING pi-local the Pi chat is made from its panel's launcher (`E`)");
    expect(findings).toContainEqual(expect.stringMatching(/opened Pi from the New chat launcher \(Enter on "pi\s+Pi \(pi\.dev\)"\)/));
  });
});
