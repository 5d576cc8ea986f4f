import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runOnStandIn } from './stand-in.js';

// A run starts a TUI, a daemon and an endpoint; on a loaded 2-core machine one may take a while.
vi.setConfig({ testTimeout: 90_000 });

// Every run keeps wg's own input trace (`wg tui --trace FILE`) in the scenario's artifacts where the
// build's `wg tui --help` lists the flag, and says so in probe.json. The stand-in writes one line per
// key its TUI reads, in wg's format.

const probeOf = (artifacts: string) => JSON.parse(readFileSync(join(artifacts, 'probe.json'), 'utf8')) as { tuiTrace: boolean };

describe("wg's own trace in the artifacts", () => {
  it('composer (bc1dbece): `wg tui --trace` into nex-local/, with the `c` that opened the composer', async () => {
    const r = await runOnStandIn('composer', { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.calls).toContain('tui --trace nex-local/wg-trace.jsonl');
    expect(probeOf(r.artifacts).tuiTrace).toBe(true);
    const lines = readFileSync(join(r.artifacts, 'nex-local', 'wg-trace.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const first = JSON.parse(lines[0] ?? '{}') as { t: number; event: { type: string; code: string; modifiers: string }; state: { focused_panel: string } };
    expect(first.event).toEqual({ type: 'Key', code: 'c', modifiers: '' });
    expect(first.t).toBeGreaterThan(0);
    expect(first.state.focused_panel).toBe('graph');
  });

  it('a build whose `wg tui --help` does not list --trace: plain `wg tui`, no trace, probe.json says so', async () => {
    const help = readFileSync(new URL('../../../snapshots/real-wg/wg-bc1dbece/help/wg_tui.txt', import.meta.url), 'utf8').replace(/^.*--trace <FILE>.*\n/m, '');
    const r = await runOnStandIn({ extends: 'composer', helpText: { tui: help } }, { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    expect(r.calls).toContain('tui');
    expect(r.calls.join('\n')).not.toMatch(/--trace/);
    expect(probeOf(r.artifacts).tuiTrace).toBe(false);
    expect(existsSync(join(r.artifacts, 'nex-local', 'wg-trace.jsonl'))).toBe(false);
  });
});
