import { describe, expect, it, vi } from 'vitest';
import { linesOf, runOnStandIn } from './stand-in.js';

// A run starts a TUI, a daemon and an endpoint; on a loaded 2-core machine one may take a while.
vi.setConfig({ testTimeout: 90_000 });

// July 2026 on the wg stand-in: nex in tmux with no implicit chat, the New chat launcher with Pi
// beside nex (graphwork/wg 1d1e4152), through the harness's real smoke. (June: nex-tmux-june.spec.ts.)

const URL_ = /http:\/\/127\.0\.0\.1:\d+/;
const withUrl = (calls: string[]) => calls.map((c) => c.replace(URL_, 'URL'));
const ADD_NEW = { label: '+ Add new...' };

describe('July: no implicit chat, the New chat launcher (1d1e4152)', () => {
  it('nex-local: `n`, no nex preset, `+ Add new...` with nex, the model and the endpoint', async () => {
    const r = await runOnStandIn('nex-tmux-july', { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'FINDING').slice(1)).toEqual([
      expect.stringMatching(/no implicit chat in this wg \(`No chat selected\.`\): opening one with `n`/),
      expect.stringMatching(/the New chat launcher offers no nex preset \(it preselects "codex:gpt-5\.5/),
    ]);
  });

  it('nex-local: a nex preset in the launcher is launched with Enter', async () => {
    const profile = {
      extends: 'nex-tmux-july',
      tui: { launcher: { rows: [{ label: 'nex:qwen3-coder   nex (project default)', launch: { kind: 'nex' } }, ADD_NEW] } },
    };
    const r = await runOnStandIn(profile, { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'FINDING')).toContainEqual(expect.stringMatching(/opened the chat from the New chat launcher \(Enter on "nex:qwen3-coder/));
  });

  it('pi-local: the Pi row beside nex', async () => {
    const r = await runOnStandIn('nex-tmux-july', { scenario: ['pi-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.run.scenarios[0]?.surface).toBe('pi-tmux');
    expect(linesOf(r, 'FINDING')).toContainEqual(
      expect.stringMatching(/opened Pi from the New chat launcher \(Enter on "pi\s+Pi \(pi\.dev\)"\), beside the project's nex/),
    );
  });

  it('pi-local on its route: `wg init --route nex-custom`, Pi beside nex', async () => {
    const r = await runOnStandIn('nex-tmux-july', { scenario: ['pi-local'], setup: 'route' });
    expect(r.exitCode).toBe(0);
    expect(withUrl(r.calls).slice(0, 1)).toEqual(['init --route nex-custom -m qwen3-coder -e URL']);
  });

  it('pi-local: a Pi row without a model (late June) goes through `+ Add new...` with the pi executor', async () => {
    const profile = { extends: 'nex-tmux-july', tui: { launcher: { rows: [{ label: 'pi   Pi (press m to set model)' }, ADD_NEW] } } };
    const r = await runOnStandIn(profile, { scenario: ['pi-local'] });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'FINDING')).toContainEqual(
      expect.stringMatching(
        /the launcher's Pi row has no model \("pi\s+Pi \(press m to set model\)"\): created the chat through `\+ Add new\.\.\.` — Executor: ◉ pi · ▸ Model: nex:qwen3-coder/,
      ),
    );
  });

  it('pi-local: no Pi row, but `+ Add new...` has the pi executor (06-22)', async () => {
    const profile = { extends: 'nex-tmux-july', tui: { launcher: { rows: [{ label: 'claude:opus     Claude CLI (Opus)' }, ADD_NEW] } } };
    const r = await runOnStandIn(profile, { scenario: ['pi-local'] });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'FINDING')).toContainEqual(
      expect.stringMatching(/the New chat launcher has no Pi row \(rows: "claude:opus.*", "\+ Add new\.\.\."\): created the chat through/),
    );
  });

  it('claude-local: the launcher’s claude preset', async () => {
    const r = await runOnStandIn('nex-tmux-july', { scenario: ['claude-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.run.scenarios[0]?.surface).toBe('claude-pane');
    expect(linesOf(r, 'FINDING')).toContainEqual(expect.stringMatching(/opened claude from the New chat launcher \(Enter on "claude:opus/));
  });

  it('claude-local: a launcher without a claude preset is a setup failure naming its rows', async () => {
    const profile = { extends: 'nex-tmux-july', tui: { launcher: { rows: [{ label: 'pi              Pi (pi.dev)' }, ADD_NEW] } } };
    const r = await runOnStandIn(profile, { scenario: ['claude-local'] });
    expect(r.exitCode).toBe(3);
    expect(linesOf(r, 'FAIL')).toEqual([expect.stringMatching(/offers no claude preset \(rows: "pi\s+Pi \(pi\.dev\)", "\+ Add new\.\.\."\)/)]);
  });
});
