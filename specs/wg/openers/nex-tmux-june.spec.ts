import { describe, expect, it, vi } from 'vitest';
import { linesOf, runOnStandIn } from './stand-in.js';

// A run starts a TUI, a daemon and an endpoint; on a loaded 2-core machine one may take a while.
vi.setConfig({ testTimeout: 90_000 });

// May and June 2026 on the wg stand-in: nex in tmux behind the Chat pane, the implicit chat
// (graphwork/wg b66be5d3), through the harness's real smoke. (July: nex-tmux-july.spec.ts.)

const URL_ = /http:\/\/127\.0\.0\.1:\d+/;
const withUrl = (calls: string[]) => calls.map((c) => c.replace(URL_, 'URL'));

describe('June: the implicit chat (b66be5d3)', () => {
  it('nex-local: the literal init accepted with its deprecation warning said, the implicit nex chat', async () => {
    const r = await runOnStandIn('nex-tmux', { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.run.scenarios[0]?.surface).toBe('nex-tmux');
    expect(linesOf(r, 'FINDING')).toEqual([
      expect.stringMatching(/wg accepted the user's literal command with a warning: warning: `--executor nex` \(`-x nex`\) is deprecated/),
    ]);
    expect(withUrl(r.calls)).toEqual([
      'init -m qwen3-coder -e URL -x nex',
      'service start',
      'tui --trace nex-local/wg-trace.jsonl',
      '--json tui-dump',
      'service stop --kill-agents',
    ]);
  });

  it('claude-local: `wg init -x claude`, its implicit chat runs claude', async () => {
    const r = await runOnStandIn('nex-tmux', { scenario: ['claude-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.run.scenarios[0]?.surface).toBe('claude-pane');
    expect(linesOf(r, 'FINDING')).toEqual([
      expect.stringMatching(/wg accepted `wg init -x claude` with a warning/),
      expect.stringMatching(/the TUI opened its implicit chat, and it runs claude/),
    ]);
  });

  it('route: `wg init --route nex-custom -m M -e URL`; claude-local: `--route claude-cli`', async () => {
    const nex = await runOnStandIn('nex-tmux', { scenario: ['nex-local'], setup: 'route' });
    expect(nex.exitCode).toBe(0);
    expect(withUrl(nex.calls).slice(0, 2)).toEqual(['init --route nex-custom -m qwen3-coder -e URL', 'service start']);
    expect(linesOf(nex, 'FINDING')).toEqual([expect.stringMatching(/route setup: `wg init --route nex-custom -m qwen3-coder -e http.*` accepted/)]);
    const claude = await runOnStandIn('nex-tmux', { scenario: ['claude-local'], setup: 'route' });
    expect(claude.calls.slice(0, 1)).toEqual(['init --route claude-cli']);
  });

  it('plain: the implicit chat runs claude, which is not installed, and dies; the nex chat is made from its panel (`E`, `+ Add new...`)', async () => {
    const r = await runOnStandIn('nex-tmux', { scenario: ['nex-local'], setup: 'plain' });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'FINDING')).toEqual([
      expect.stringMatching(/plain setup: `wg init` with no model flags/),
      expect.stringMatching(
        /wg's implicit chat died before anything was typed \(Chat agent died\): Exit status: exit code 1; Executor:\s+claude; Command:\s+claude -n .* — `claude` is not on wg's PATH on this machine and the plain setup chose no executor \(wg's default\), so not counted against wg; making a nex chat/,
      ),
      expect.stringMatching(
        /the New chat launcher offers no nex preset \(it preselects "claude:opus.*"\): created the chat through `\+ Add new\.\.\.` — Executor: ◉ nex · Model: nex:qwen3-coder · ▸ Endpoint: http/,
      ),
    ]);
    expect(r.calls.slice(0, 3)).toEqual(['init', 'service start', 'tui --trace nex-local/wg-trace.jsonl']);
  });

  it("the implicit chat wg runs for the user's own setup dies as the TUI starts (2a63fd97): a counted FAIL with the panel's words, and the messages judged on the chat made from its launcher", async () => {
    // 2a63fd97 (2026-05-03), now and then under load: `Chat agent died`, exit code 0, `wg nex -m M -e URL`.
    const profile = {
      extends: 'nex-tmux',
      tui: { implicit: { fate: 'dies' }, deadPanel: { exit: 'exit code 0', executor: 'native', command: 'wg nex -m qwen3-coder -e http://127.0.0.1:1' } },
    };
    const r = await runOnStandIn(profile, { scenario: ['nex-local'] });
    expect(linesOf(r, 'FAIL')).toEqual([
      "FAIL nex-local wg's implicit chat died before anything was typed (Chat agent died): Exit status: exit code 0; Executor: native; Command: wg nex -m qwen3-coder -e http://127.0.0.1:1",
    ]);
    expect(linesOf(r, 'PASS')).toEqual([expect.stringMatching(/^PASS nex-local 1\/1 "hi" replied/)]);
    expect(r.lines.at(-1)).toBe('1 passed, 1 failed, 0 skipped');
    expect(r.exitCode).toBe(1);
    expect(r.run.scenarios[0]?.wgFailures).toHaveLength(1);
  });

  it('May: the launched chat opens behind the dead one; brought forward with the hint row’s command key, then its digit', async () => {
    const profile = {
      extends: 'nex-tmux',
      tui: { launcher: { addNew: { launch: { nex: { kind: 'nex', tab: 'behind' } } } } },
    };
    const r = await runOnStandIn(profile, { scenario: ['nex-local'], setup: 'plain' });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'FINDING')).toContainEqual(
      expect.stringMatching(/wg opened the launched chat in a background tab \(\[2\] \.chat-1\): brought it forward with Ctrl\+T, then 2/),
    );
  });

  it('a launched chat that cannot be brought forward is chat-stuck (exit 1), not a setup failure', async () => {
    const profile = {
      extends: 'nex-tmux',
      tui: { launcher: { addNew: { launch: { nex: { kind: 'nex', tab: 'stuck-behind' } } } } },
    };
    const r = await runOnStandIn(profile, { scenario: ['nex-local'], setup: 'plain' });
    expect(r.exitCode).toBe(1);
    expect(linesOf(r, 'FAIL')).toEqual([expect.stringMatching(/^FAIL nex-local 1\/1 "hi" chat-stuck/)]);
    expect(r.run.scenarios[0]?.messages[0]?.signal).toMatch(/wg launched a nex chat \(Enter on the launcher's `\+ Add new\.\.\.` form\); not ready after/);
  }, 60_000);

  it('a launched chat that dies as it boots is chat-failed, with its panel’s words', async () => {
    // It dies once the opener waits for it (2.5 s after the launch); one that dies sooner: the case below.
    const profile = {
      extends: 'nex-tmux',
      tui: { launcher: { addNew: { launch: { nex: { kind: 'nex', fate: 'dies', bootMs: 2500 } } } } },
    };
    const r = await runOnStandIn(profile, { scenario: ['nex-local'], setup: 'plain', message: ['hi', 'bye'] });
    expect(r.exitCode).toBe(1);
    expect(linesOf(r, 'FAIL')).toEqual([expect.stringMatching(/^FAIL nex-local 1\/2 "hi" chat-failed/)]);
    expect(r.run.scenarios[0]?.messages.map((m) => m.verdict)).toEqual(['chat-failed', 'not-sent']);
    expect(r.run.scenarios[0]?.messages[0]?.detail).toMatch(
      /the nex chat made in the New chat launcher died as it started \(Chat agent died\): Exit status: exit code 1/,
    );
  });

  // A launched chat that dies before the opener first looks (within the second the tab bar is
  // watched) is never seen booting: its panel counts as its own because it was not on screen before
  // the launch (it used to be taken for the implicit chat's, and the run said chat-stuck after 45 s).
  it('a launched chat that dies at once is chat-failed too, its panel new on screen', async () => {
    const profile = { extends: 'nex-tmux', tui: { launcher: { addNew: { launch: { nex: { kind: 'nex', fate: 'dies', bootMs: 100 } } } } } };
    const r = await runOnStandIn(profile, { scenario: ['nex-local'], setup: 'plain' });
    expect(r.run.scenarios[0]?.messages[0]?.verdict).toBe('chat-failed');
  });

  it('a pane the TUI only observes (NAV) for a moment, then takes keys: no finding', async () => {
    const r = await runOnStandIn({ extends: 'nex-tmux', tui: { implicit: { fate: 'observed' } } }, { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'FINDING')).toHaveLength(1);
  });

  it('a pane the TUI only observes (NAV) for good: said before the first message, whose keys go to the TUI', async () => {
    const r = await runOnStandIn(
      { extends: 'nex-tmux', tui: { implicit: { fate: 'observed' }, observedMs: 600_000 } },
      { scenario: ['nex-local'], 'first-reply-timeout': '3' },
    );
    expect(r.exitCode).toBe(1);
    expect(linesOf(r, 'FINDING')).toContainEqual(
      expect.stringMatching(/wg shows the chat pane but does not give it the keys: the status row says `NAV`, not `PTY`, for 10s/),
    );
    expect(r.run.scenarios[0]?.messages[0]?.verdict).toBe('no-reply');
  });

  it('pi-local: a launcher with no Pi row and no `+ Add new...` is a counted skip', async () => {
    const profile = {
      extends: 'nex-tmux',
      build: 'wg-1d1e4152',
      tui: { start: 'no-chat', launcher: { rows: [{ label: 'claude:opus     Claude CLI (Opus)' }] } },
    };
    const r = await runOnStandIn(profile, { scenario: ['pi-local'] });
    expect(r.exitCode).toBe(2);
    expect(linesOf(r, 'SKIP')).toEqual([
      expect.stringMatching(/^SKIP pi-local PI SMOKE SKIPPED — the New chat launcher of this wg has no Pi row \(rows: "claude:opus\s+Claude CLI \(Opus\)"\)/),
    ]);
  });
});
