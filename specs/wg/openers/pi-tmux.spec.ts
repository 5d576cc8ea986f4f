import { describe, expect, it, vi } from 'vitest';
import { linesOf, runOnStandIn } from './stand-in.js';

// A run starts a TUI, a daemon and an endpoint; on a loaded 2-core machine one may take a while.
vi.setConfig({ testTimeout: 90_000 });

// Late July and August 2026 on the wg stand-in: Pi in tmux (graphwork/wg b0892ea7, today's; 829c9de4,
// chats on Pi routes only), through the harness's real smoke.

const URL_ = /http:\/\/127\.0\.0\.1:\d+/;
const withUrl = (calls: string[]) => calls.map((c) => c.replace(URL_, 'URL'));
const EXEC_UNSELECTED = 'Error: error[WG-EXEC-UNSELECTED]: no LLM execution system has been selected.';

describe("today's wg (b0892ea7)", () => {
  it('nex-local: the literal init is refused in wg’s words, then Pi’s provider and the exact Pi route', async () => {
    const r = await runOnStandIn('pi-tmux', { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.run.scenarios[0]?.surface).toBe('pi-tmux');
    expect(linesOf(r, 'FINDING')).toEqual([
      expect.stringMatching(/wg REJECTED the user's literal command: .* exit 1: Error: WG does not configure LLM endpoints; configure the provider in Pi\./),
    ]);
    expect(withUrl(r.calls)).toEqual([
      'init -m qwen3-coder -e URL -x nex',
      'init -m pi:e2e:qwen3-coder',
      'service start',
      'tui --trace nex-local/wg-trace.jsonl',
      '--json tui-dump',
      'service stop --kill-agents',
    ]);
  });

  it('pi-local: Pi boots (`Booting agent...`), then its editor takes keys', async () => {
    const r = await runOnStandIn(
      { extends: 'pi-tmux', tui: { launcher: { rows: [{ label: 'Pi (choose model in Pi)', launch: { kind: 'pi', bootMs: 1500 } }] } } },
      {
        scenario: ['pi-local'],
      },
    );
    expect(r.exitCode).toBe(0);
    expect(r.calls.slice(0, 2)).toEqual(['init -m pi:e2e:qwen3-coder', 'service start']);
  });

  it('claude-local: `-x claude` refused, `wg chat new -m claude:opus`, the composer view', async () => {
    const r = await runOnStandIn('pi-tmux', { scenario: ['claude-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.run.scenarios[0]?.surface).toBe('composer');
    expect(linesOf(r, 'FINDING')).toEqual([
      expect.stringMatching(/wg REJECTED `wg init -x claude`: .*legacy executor "claude" is unsupported; Pi is the sole LLM handler/),
    ]);
    expect(r.calls.slice(0, 4)).toEqual(['init -x claude', 'init -m pi:anthropic:claude-opus-4', 'chat new -m claude:opus', 'service start']);
  });

  it('route: Pi’s provider, then `wg init --route pi -m pi:e2e:MODEL`; claude-local has no route', async () => {
    const pi = await runOnStandIn('pi-tmux', { scenario: ['pi-local'], setup: 'route' });
    expect(pi.exitCode).toBe(0);
    expect(pi.calls.slice(0, 2)).toEqual(['init --route pi -m pi:e2e:qwen3-coder', 'service start']);
    const claude = await runOnStandIn('pi-tmux', { scenario: ['claude-local'], setup: 'route' });
    expect(claude.exitCode).toBe(2);
    expect(linesOf(claude, 'SKIP')).toEqual([
      expect.stringMatching(/ROUTE SETUP SKIPPED — this wg \(generation pi-tmux\): its `wg init --route` names \(pi\) have none for a claude chat/),
    ]);
    expect(claude.calls).toEqual([]);
  });

  it('plain: the service refused (WG-EXEC-UNSELECTED) is said, the chat made in the TUI all the same', async () => {
    const r = await runOnStandIn({ extends: 'pi-tmux', service: { refuse: { plain: EXEC_UNSELECTED } } }, { scenario: ['pi-local'], setup: 'plain' });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'FINDING')).toEqual([
      expect.stringMatching(/plain `wg init` accepted; the chat is made in the New chat launcher/),
      expect.stringMatching(/`wg service start` REFUSED after the plain init: `wg service start` exit 1: Error: error\[WG-EXEC-UNSELECTED\]/),
    ]);
    expect(r.calls.slice(0, 3)).toEqual(['init', 'service start', 'tui --trace pi-local/wg-trace.jsonl']);
  });

  it('plain claude-local: the launcher offers no claude chat (its rows, the executors of `+ Add new...`): PLAIN SETUP SKIPPED', async () => {
    const r = await runOnStandIn('pi-tmux', { scenario: ['claude-local'], setup: 'plain' });
    expect(r.exitCode).toBe(2);
    expect(linesOf(r, 'SKIP')).toEqual([
      expect.stringMatching(
        /PLAIN SETUP SKIPPED — this wg's New chat launcher offers no claude chat \(rows: "Pi \(choose model in Pi\)", "\+ Add new\.\.\."; `\+ Add new\.\.\.` executors: pi\)/,
      ),
    ]);
  });

  it('a launch the launcher refuses in its dialog (⚠ Error: …) is chat-failed with its words', async () => {
    const profile = { extends: 'pi-tmux', tui: { launcher: { rows: [{ label: 'Pi (choose model in Pi)', launch: { error: EXEC_UNSELECTED } }] } } };
    const r = await runOnStandIn(profile, { scenario: ['pi-local'] });
    expect(r.exitCode).toBe(1);
    expect(linesOf(r, 'FAIL')).toEqual([expect.stringMatching(/^FAIL pi-local 1\/1 "hi" chat-failed/)]);
    expect(r.run.scenarios[0]?.messages[0]?.detail).toMatch(/the New chat launcher did not start the chat: Error: error\[WG-EXEC-UNSELECTED\]/);
  });

  it("wg's own `Chat unavailable … refused Pi chat start` is chat-failed (exit 1)", async () => {
    const profile = { extends: 'pi-tmux', tui: { launcher: { rows: [{ label: 'Pi (choose model in Pi)', launch: { kind: 'pi', fate: 'unavailable' } }] } } };
    const r = await runOnStandIn(profile, { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(1);
    expect(r.run.scenarios[0]?.messages[0]).toMatchObject({ verdict: 'chat-failed' });
    expect(r.run.scenarios[0]?.messages[0]?.detail).toMatch(/Chat unavailable: Chat 0 \(\.chat-0\) refused Pi chat start/);
  });

  it('no `pi` on this machine: a loud PI SMOKE SKIPPED, not a failure blamed on wg', async () => {
    const r = await runOnStandIn('pi-tmux', { scenario: ['nex-local'] }, { pi: false });
    expect(r.exitCode).toBe(2);
    expect(linesOf(r, 'SKIP')).toEqual([
      expect.stringMatching(/PI SMOKE SKIPPED — this wg.s chat runs Pi and there is no `pi` \(--pi, PI_BIN, PATH or the install cache\)/),
    ]);
  });
});

describe('late July: chats on Pi routes only (829c9de4)', () => {
  it('claude-local: `wg chat new -m claude:opus` refused (WG-PI-ROUTE-REQUIRED): CLAUDE SMOKE SKIPPED', async () => {
    const r = await runOnStandIn('pi-tmux-late-july', { scenario: ['claude-local'] });
    expect(r.exitCode).toBe(2);
    expect(linesOf(r, 'SKIP')).toEqual([
      expect.stringMatching(/^SKIP claude-local CLAUDE SMOKE SKIPPED — this wg offers no claude chat: .*WG-PI-ROUTE-REQUIRED/),
    ]);
    expect(r.calls).toEqual(['init -x claude', 'init -m pi:anthropic:claude-opus-4', 'chat new -m claude:opus']);
  });

  it('pi-local: the launcher’s `pi:…` row', async () => {
    const r = await runOnStandIn('pi-tmux-late-july', { scenario: ['pi-local'] });
    expect(r.exitCode).toBe(0);
  });

  it('plain, where no route is configured: `+ Add new...` with pi and the exact route typed', async () => {
    const profile = { extends: 'pi-tmux-late-july', tui: { launcher: { rows: [{ label: '+ Add new...' }] } } };
    const r = await runOnStandIn(profile, { scenario: ['nex-local'], setup: 'plain' });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'FINDING')).toContainEqual(
      expect.stringMatching(
        /the launcher has no Pi row \(only `\+ Add new\.\.\.`\) after a plain init: created the chat through `\+ Add new\.\.\.` — Executor: ◉ pi · ▸ Model: pi:e2e:qwen3-coder/,
      ),
    );
  });

  it('plain refused without a Pi route: PLAIN SETUP SKIPPED', async () => {
    const profile = {
      extends: 'pi-tmux-late-july',
      init: { refuse: [{ when: 'bare', say: 'Error: `wg init` needs an exact Pi route: pass -m pi:<provider>:<model>' }] },
    };
    const r = await runOnStandIn(profile, { scenario: ['pi-local'], setup: 'plain' });
    expect(r.exitCode).toBe(2);
    expect(linesOf(r, 'SKIP')).toEqual([
      expect.stringMatching(/PLAIN SETUP SKIPPED — this wg refuses a bare `wg init`: `wg init` exit 1: Error: `wg init` needs an exact Pi route/),
    ]);
    expect(r.calls).toEqual(['init']);
  });
});
