import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseTrace } from '../../../src/wg/trace.js';
import { tempDir } from '../../setup/temp.js';
import { linesOf, runOnStandIn } from './stand-in.js';

// A run starts a TUI, a daemon and an endpoint; on a loaded 2-core machine one may take a while.
vi.setConfig({ testTimeout: 90_000 });

// `run --from-trace`: a recorded trace typed into the stand-in's `wg tui` after the usual setup; the
// live TUI's own trace is compared with the recorded states, event by event.

function traceFile(lines: object[]): string {
  const file = join(tempDir('wg-e2e-from-trace-'), 'recorded.jsonl');
  writeFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return file;
}

const graph = { focused_panel: 'graph', right_panel_tab: 'chat', input_mode: 'Normal', chat_input_route: null };

describe('run --from-trace on the stand-in (composer, bc1dbece)', () => {
  it('the `c` that opens the composer, where the recorded state is the live one: no divergence', async () => {
    const file = traceFile([{ t: 0.3, event: { type: 'Key', code: 'c', modifiers: '' }, state: graph }]);
    const r = await runOnStandIn('composer', { scenario: ['nex-local'], 'from-trace': file, 'trace-pace': 'fast' });
    expect(linesOf(r, 'FINDING')).toContainEqual(expect.stringMatching(/replayed 1 of 1 events of .*recorded\.jsonl \(pace fast\); 0 of 0 messages judged$/));
    expect(r.lines.join('\n')).not.toMatch(/DIVERGED/);
    expect(r.exitCode).toBe(0);
    const live = parseTrace(readFileSync(join(r.artifacts, 'nex-local', 'wg-trace.jsonl'), 'utf8'));
    expect(live.map((e) => e.event)).toEqual([{ type: 'Key', code: 'c', modifiers: '' }]);
  });

  it('a recorded state the live TUI is not in: DIVERGED with both, the screen saved, exit 1', async () => {
    const file = traceFile([
      { t: 0.2, event: { type: 'Key', code: 'c', modifiers: '' }, state: { ...graph, input_mode: 'ChatInput', chat_input_route: 'native_composer' } },
      { t: 0.4, event: { type: 'Key', code: 'h', modifiers: '' }, state: graph },
    ]);
    const r = await runOnStandIn('composer', { scenario: ['nex-local'], 'from-trace': file });
    const diverged =
      'DIVERGED at event 1 (t=0.2s, key c): recorded input_mode=ChatInput chat_input_route=native_composer, live input_mode=Normal chat_input_route=none';
    expect(linesOf(r, 'FAIL')).toEqual([`FAIL nex-local ${diverged} (screen before: diverged-1-before.txt, after: diverged-1-after.txt)`]);
    expect(linesOf(r, 'FINDING')).toContainEqual(
      expect.stringMatching(/replayed 1 of 2 events .*\(pace recorded, gaps cut to 5 s\); 0 of 0 messages judged; stopped: diverged at event 1$/),
    );
    // Before: the graph as the key found it; after: what the live TUI made of it.
    expect(readFileSync(join(r.artifacts, 'nex-local', 'diverged-1-before.txt'), 'utf8')).not.toMatch(/Chat with Coordinator.*\n.*> /);
    expect(existsSync(join(r.artifacts, 'nex-local', 'diverged-1-after.txt'))).toBe(true);
    expect(r.exitCode).toBe(1);
  });

  it('each Enter the trace sent into the chat input is a judged message, its text the keys typed before it', async () => {
    const composer = { ...graph, focused_panel: 'right_panel', input_mode: 'ChatInput', chat_input_route: 'native_composer' };
    const keys = (text: string, from: number) =>
      [...text].map((code, i) => ({ t: from + i * 0.05, event: { type: 'Key', code, modifiers: '' }, state: composer }));
    const file = traceFile([
      { t: 0.3, event: { type: 'Key', code: 'c', modifiers: '' }, state: graph },
      ...keys('hi', 1),
      { t: 1.2, event: { type: 'Key', code: 'Enter', modifiers: '' }, state: composer },
      ...keys('a joke', 3),
      { t: 3.5, event: { type: 'Key', code: 'Enter', modifiers: '' }, state: composer },
    ]);
    const r = await runOnStandIn('composer', { scenario: ['nex-local'], 'from-trace': file, 'trace-pace': 'fast' });
    expect(linesOf(r, 'PASS')).toEqual([
      expect.stringMatching(/^PASS nex-local 1\/2 "hi" replied/),
      expect.stringMatching(/^PASS nex-local 2\/2 "a joke" replied/),
    ]);
    expect(linesOf(r, 'FINDING')).toContainEqual(expect.stringMatching(/replayed 11 of 11 events .*; 2 of 2 messages judged$/));
    expect(r.lines.join('\n')).not.toMatch(/DIVERGED/);
    expect(r.exitCode).toBe(0);
  });

  it('a build without `wg tui --trace` cannot be compared: a setup failure before anything is started', async () => {
    const help = readFileSync(new URL('../../../snapshots/real-wg/wg-bc1dbece/help/wg_tui.txt', import.meta.url), 'utf8').replace(/^.*--trace <FILE>.*\n/m, '');
    const file = traceFile([{ t: 0.2, event: { type: 'Key', code: 'c', modifiers: '' }, state: graph }]);
    const r = await runOnStandIn({ extends: 'composer', helpText: { tui: help } }, { scenario: ['nex-local'], 'from-trace': file });
    expect(linesOf(r, 'FAIL')).toEqual([
      expect.stringMatching(
        /FAIL nex-local setup.*--from-trace compares the live state with wg's own trace, and this build's `wg tui --help` lists no --trace/,
      ),
    ]);
    expect(r.calls).not.toContain('tui');
    expect(r.exitCode).toBe(3);
  });

  it('the Pi chat a person opens with `n` and Enter on the launcher (pi-tmux): the harness presses nothing, reads the Pi pane, judges the message', async () => {
    const normal = { ...graph, selected_task: null };
    const pi = { focused_panel: 'right_panel', right_panel_tab: 'chat', input_mode: 'Normal', chat_input_route: 'embedded_vendor_pty' };
    const file = traceFile([
      { t: 0.5, event: { type: 'Key', code: 'n', modifiers: '' }, state: normal },
      { t: 1.5, event: { type: 'Key', code: 'Enter', modifiers: '' }, state: { ...normal, input_mode: 'Launcher' } },
      ...[...'hi'].map((code, i) => ({ t: 4 + i * 0.1, event: { type: 'Key', code, modifiers: '' }, state: pi })),
      { t: 4.5, event: { type: 'Key', code: 'Enter', modifiers: '' }, state: pi },
    ]);
    const r = await runOnStandIn('pi-tmux', { scenario: ['pi-local'], 'from-trace': file, 'trace-pace': 'fast' });
    expect(linesOf(r, 'PASS')).toEqual([expect.stringMatching(/^PASS pi-local 1\/1 "hi" replied/)]);
    expect(r.run.scenarios[0]?.surface).toBe('pi-tmux');
    expect(r.lines.join('\n')).not.toMatch(/DIVERGED/);
    expect(r.exitCode).toBe(0);
  });

  it('a replay that stops at a divergence fails with the DIVERGED line and lists the messages it never reached as not sent', async () => {
    const composer = { ...graph, focused_panel: 'right_panel', input_mode: 'ChatInput', chat_input_route: 'native_composer' };
    // Recorded where `c` found a launcher open; this build's TUI is in its Normal mode there.
    const file = traceFile([
      { t: 0.3, event: { type: 'Key', code: 'c', modifiers: '' }, state: { ...graph, input_mode: 'Launcher' } },
      ...[...'hi'].map((code, i) => ({ t: 1 + i * 0.1, event: { type: 'Key', code, modifiers: '' }, state: composer })),
      { t: 1.5, event: { type: 'Key', code: 'Enter', modifiers: '' }, state: composer },
    ]);
    const r = await runOnStandIn('composer', { scenario: ['nex-local'], 'from-trace': file, 'trace-pace': 'fast' });
    expect(linesOf(r, 'FAIL')).toEqual([
      expect.stringMatching(/^FAIL nex-local DIVERGED at event 1 \(t=0\.3s, key c\): recorded input_mode=Launcher, live input_mode=Normal/),
    ]);
    expect(linesOf(r, 'SKIP')).toEqual([
      expect.stringMatching(/^SKIP nex-local 1\/1 "hi" not-sent: the replay stopped before this message \(diverged at event 1\)/),
    ]);
    expect(r.lines.at(-1)).toBe('0 passed, 1 failed, 1 skipped');
    expect(r.exitCode).toBe(1);
  });

  it("June's implicit nex chat (nex-tmux): the keys go straight into the pane, and the nex REPL's surface judges them", async () => {
    // Before July a trace has no input mode: the chat panel focused on the Chat tab is the chat's input.
    const pane = { focused_panel: 'right_panel', right_panel_tab: 'chat' };
    const file = traceFile([
      ...[...'hi'].map((code, i) => ({ t: 1 + i * 0.1, event: { type: 'Key', code, modifiers: '' }, state: pane })),
      { t: 1.5, event: { type: 'Key', code: 'Enter', modifiers: '' }, state: pane },
    ]);
    const r = await runOnStandIn('nex-tmux', { scenario: ['nex-local'], 'from-trace': file, 'trace-pace': 'fast' });
    expect(linesOf(r, 'PASS')).toEqual([expect.stringMatching(/^PASS nex-local 1\/1 "hi" replied/)]);
    expect(r.run.scenarios[0]?.surface).toBe('nex-tmux');
    expect(r.exitCode).toBe(0);
  });

  it("--paste-text: the user's own pasted text typed as a bracketed paste and judged as the message; a file that does not fit the trace is refused before wg is set up", async () => {
    const composer = { ...graph, focused_panel: 'right_panel', input_mode: 'ChatInput', chat_input_route: 'native_composer' };
    const file = traceFile([
      { t: 0.3, event: { type: 'Key', code: 'c', modifiers: '' }, state: graph },
      { t: 1, event: { type: 'Paste', len: 11 }, state: composer },
      { t: 1.5, event: { type: 'Key', code: 'Enter', modifiers: '' }, state: composer },
    ]);
    const dir = tempDir('wg-e2e-paste-');
    writeFileSync(join(dir, 'good.txt'), 'naïve joke\n');
    writeFileSync(join(dir, 'bad.txt'), 'joke\n');
    const good = await runOnStandIn('composer', { scenario: ['nex-local'], 'from-trace': file, 'trace-pace': 'fast', 'paste-text': join(dir, 'good.txt') });
    expect(linesOf(good, 'PASS')).toEqual([expect.stringMatching(/^PASS nex-local 1\/1 "naïve joke" replied/)]);
    const bad = await runOnStandIn('composer', { scenario: ['nex-local'], 'from-trace': file, 'paste-text': join(dir, 'bad.txt') });
    expect(linesOf(bad, 'FAIL')).toEqual([expect.stringMatching(/does not fit the trace: paste 1 is 11 bytes in the trace and 4 in the paste file$/)]);
    expect(bad.calls.filter((c) => /^(init|service|tui)\b/.test(c))).toEqual([]);
    expect(bad.exitCode).toBe(3);
  });
});
