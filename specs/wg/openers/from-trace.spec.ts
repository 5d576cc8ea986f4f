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
    expect(linesOf(r, 'FINDING')).toContainEqual(expect.stringMatching(/replayed 1 of 1 events of .*recorded\.jsonl \(pace fast\)$/));
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
    expect(linesOf(r, 'FAIL')).toEqual([`FAIL nex-local ${diverged} (screen: diverged-1.txt)`]);
    expect(linesOf(r, 'FINDING')).toContainEqual(
      expect.stringMatching(/replayed 1 of 2 events .*\(pace recorded, gaps cut to 5 s\); stopped: diverged at event 1$/),
    );
    expect(existsSync(join(r.artifacts, 'nex-local', 'diverged-1.txt'))).toBe(true);
    expect(r.exitCode).toBe(1);
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
});
