import { describe, expect, it, vi } from 'vitest';
import { linesOf, runOnStandIn } from './stand-in.js';

// A run starts a TUI, a daemon and an endpoint; on a loaded 2-core machine one may take a while.
vi.setConfig({ testTimeout: 90_000 });

// April 2026 on the wg stand-in, through the harness's real smoke: the first composer chat
// (graphwork/wg bc1dbece) and the nex pane (graphwork/workgraph 3b885405; graphwork/wg ed81e927,
// whose `wg init` has -m/-e but no -x yet). Each case asserts the verdicts, the FINDING lines, the
// exit code and the wg commands in order.

const URL_ = /http:\/\/127\.0\.0\.1:\d+/;
const withUrl = (calls: string[]) => calls.map((c) => c.replace(URL_, 'URL'));

describe('the composer (bc1dbece)', () => {
  it('nex-local: the literal init is rejected, `wg config` and `wg endpoints add` stand in, `c` opens the composer', async () => {
    const r = await runOnStandIn('composer', { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'PASS')).toEqual([expect.stringMatching(/^PASS nex-local 1\/1 "hi" replied/)]);
    expect(r.run.scenarios[0]?.surface).toBe('composer');
    expect(linesOf(r, 'FINDING')).toEqual([expect.stringMatching(/wg REJECTED the user's literal .* exit 2: error: unexpected argument '-m' found/)]);
    expect(withUrl(r.calls)).toEqual([
      'init -m qwen3-coder -e URL -x nex',
      'init',
      'config --coordinator-executor native --coordinator-model local:qwen3-coder',
      'endpoints add default --provider local --url URL --model qwen3-coder --default',
      'service start',
      'tui --trace nex-local/wg-trace.jsonl',
      '--json tui-dump',
      '--json tui-dump',
      'service stop --kill-agents',
    ]);
  });

  it("claude-local: a bare init, the daemon's claude handler behind the composer", async () => {
    const r = await runOnStandIn('composer', { scenario: ['claude-local'] });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'PASS')).toHaveLength(1);
    expect(r.calls.slice(0, 3)).toEqual(['init', 'service start', 'tui --trace claude-local/wg-trace.jsonl']);
  });

  it('an error the chat shows is error-shown, exit 1, and the outbox agrees', async () => {
    const r = await runOnStandIn({ extends: 'composer', tui: { modes: 'error' } }, { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(1);
    expect(linesOf(r, 'FAIL')).toEqual([expect.stringMatching(/^FAIL nex-local 1\/1 "hi" error-shown/)]);
  });

  it('plain and route are not offered: counted skips, nothing run', async () => {
    const plain = await runOnStandIn('composer', { scenario: ['nex-local'], setup: 'plain' });
    expect(plain.exitCode).toBe(2);
    expect(linesOf(plain, 'SKIP')).toEqual([
      expect.stringMatching(/^SKIP nex-local PLAIN SETUP SKIPPED — this wg \(generation composer\) has no New chat launcher/),
    ]);
    expect(plain.calls).toEqual([]);
  });
});

describe('the nex pane (3b885405)', () => {
  it('nex-local: the literal init, the service with its chat handler, the pane confirmed by tui-dump', async () => {
    const r = await runOnStandIn('nex-pane', { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.run.scenarios[0]?.surface).toBe('nex-pane');
    expect(linesOf(r, 'FINDING')).toEqual([]);
    expect(withUrl(r.calls)).toEqual([
      'init -m qwen3-coder -e URL -x nex',
      'service start',
      'tui --trace nex-local/wg-trace.jsonl',
      '--json tui-dump',
      'service stop --kill-agents',
    ]);
  });

  it('claude-local: `wg init -x claude`, claude in the pane', async () => {
    const r = await runOnStandIn('nex-pane', { scenario: ['claude-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.run.scenarios[0]?.surface).toBe('claude-pane');
    expect(r.calls).toEqual(['init -x claude', 'service start', 'tui --trace claude-local/wg-trace.jsonl', '--json tui-dump', 'service stop --kill-agents']);
  });

  it('a refused init is a setup failure (exit 3) naming wg’s words', async () => {
    const r = await runOnStandIn(
      { extends: 'nex-pane', init: { refuse: [{ when: '-x', say: 'Error: the executor nex is not installed' }] } },
      { scenario: ['nex-local'] },
    );
    expect(r.exitCode).toBe(3);
    expect(linesOf(r, 'FAIL')).toEqual([
      expect.stringMatching(/setup .*`wg init -m qwen3-coder -e http.* -x nex` exit 1: Error: the executor nex is not installed/),
    ]);
    expect(r.calls).toEqual([expect.stringMatching(/^init -m/)]);
  });

  it('pi-local: no Pi in this build, a counted skip', async () => {
    const r = await runOnStandIn('nex-pane', { scenario: ['pi-local'] });
    expect(r.exitCode).toBe(2);
    expect(linesOf(r, 'SKIP')).toEqual([expect.stringMatching(/^SKIP pi-local PI SMOKE SKIPPED — this wg offers no Pi chat/)]);
  });

  it('leftovers after `wg service stop` are killed and said', async () => {
    const r = await runOnStandIn({ extends: 'nex-pane', service: { leftover: true } }, { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'FINDING')).toEqual([
      expect.stringMatching(/processes still running in the project after `wg service stop` were killed: \d+ .*daemon\.mjs/),
    ]);
  });
});

describe('the nex pane without -x (ed81e927, 04-21..25)', () => {
  it('nex-local: -x refused by clap, then `wg init -m M -e URL`, whose stored model makes the executor native', async () => {
    const r = await runOnStandIn('nex-pane-no-x', { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'FINDING')).toEqual([
      expect.stringMatching(/wg REJECTED the user's literal .* exit 2: error: unexpected argument '-x' found\. Running the nearest equivalent/),
      expect.stringMatching(
        /stored coordinator\.model = "local:qwen3-coder", no coordinator\.executor, default endpoint local → URL \(verbatim\): the chat's executor is native/,
      ),
    ]);
    expect(withUrl(r.calls)).toEqual([
      'init -m qwen3-coder -e URL -x nex',
      'init -m qwen3-coder -e URL',
      'service start',
      'tui --trace nex-local/wg-trace.jsonl',
      '--json tui-dump',
      'service stop --kill-agents',
    ]);
  });

  it('a model stored without the local: prefix leaves the chat on claude: setup failure', async () => {
    const r = await runOnStandIn({ extends: 'nex-pane-no-x', init: { model: '' } }, { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(3);
    expect(linesOf(r, 'FAIL')).toEqual([expect.stringMatching(/left the chat on executor claude, not nex/)]);
  });

  it('claude-local: -x refused, its default executor is claude: a bare `wg init`', async () => {
    const r = await runOnStandIn({ extends: 'nex-pane-no-x', init: { defaultExecutor: 'claude', refuse: [] } }, { scenario: ['claude-local'] });
    expect(r.exitCode).toBe(0);
    expect(linesOf(r, 'FINDING')).toEqual([expect.stringMatching(/wg REJECTED `wg init -x claude`: .*unexpected argument '-x' found\. This wg has no -x yet/)]);
    expect(r.calls.slice(0, 2)).toEqual(['init -x claude', 'init']);
  });
});

describe("the nex pane's own record (wg's pty dump)", () => {
  it('a reply taller than the pane: its echo scrolled off, the turn is read from the dump', async () => {
    const r = await runOnStandIn('nex-pane', { scenario: ['nex-local'], message: ['what can you help me with?'] });
    expect(r.exitCode).toBe(0);
    expect(r.run.scenarios[0]?.messages[0]?.reply).toMatchObject({ source: 'history' });
  });

  it('a pane that dies after its error: pane-died, with the last words the dump kept', async () => {
    const r = await runOnStandIn({ extends: 'nex-pane', tui: { modes: 'die' } }, { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(1);
    expect(r.run.scenarios[0]?.messages[0]?.verdict).toBe('pane-died');
    expect(r.run.scenarios[0]?.messages[0]?.detail).toMatch(/Error: API request failed|LLM request failed/);
  });
});
