import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatSurface } from '../../src/wg/generations/nex-pane.js';
import { generationFor, planSetup } from '../../src/wg/generations/index.js';
import { impliedExecutor, NO_EXECUTOR_SETUP_PATH, readStoredChatConfig, serviceExecutor } from '../../src/wg/flows/init-no-executor.js';
import { PI_ROW } from '../../src/wg/generations/nex-tmux.js';
import { classify, type WgCapabilities } from '../../src/wg/probe.js';

// Probe decisions for the setup eras of issue 13, on the builds' own --help texts
// (snapshots/real-wg/<build>/help/) and the files they wrote.

const snapshots = new URL('../../snapshots/real-wg/', import.meta.url).pathname;

function recordedHelp(build: string): Record<string, string> {
  const dir = join(snapshots, build, 'help');
  return Object.fromEntries(readdirSync(dir).map((f) => [f.replace(/\.txt$/, '').replace(/_/g, ' '), readFileSync(join(dir, f), 'utf8')]));
}

const caps = (build: string): WgCapabilities => ({ ...classify(recordedHelp(build)), helpTexts: {} });

/** How the table sets this build up for the kind of chat with `--setup literal`, in words; undefined when it is a skip. */
function literalPath(c: WgCapabilities, kind: 'endpoint' | 'pi'): string | undefined {
  const generation = generationFor(c);
  const plan = generation && planSetup(generation, c, 'literal', kind);
  return plan && 'entry' in plan ? plan.entry.path : undefined;
}

describe('probe: wg init takes -m/-e but not yet -x (graphwork/wg 2026-04-21..25)', () => {
  for (const build of ['wg-ed81e927', 'wg-93b81e0a', 'wg-42692002']) {
    it(`${build}: the nex-pane generation, set up with \`wg init -m M -e URL\` after the literal command`, () => {
      const c = caps(build);
      expect(c.generation).toBe('nex-pane');
      expect(c.init).toMatchObject({ model: true, endpoint: true, executor: false });
      expect(c.reasons.join(' ')).toMatch(/-m\/-e but no -x/);
      expect(generationFor(c)?.name).toBe('nex-pane');
      expect(literalPath(c, 'endpoint')).toBe(NO_EXECUTOR_SETUP_PATH);
      expect(c.pi).toBe(false);
    });
  }

  it('keeps the literal setup path where -x exists (wg 78bb9e2c, workgraph 3b885405)', () => {
    for (const build of ['wg-78bb9e2c', 'workgraph-3b885405']) {
      const c = caps(build);
      expect(c.init.executor).toBe(true);
      expect(literalPath(c, 'endpoint')).toMatch(/^the user's literal `wg init -m MODEL -e URL -x nex`, then `wg service start`$/);
    }
  });

  it("reads what ed81e927's `wg init -m qwen3-coder -e URL` stored: local:qwen3-coder, no coordinator executor, so native", () => {
    const stored = readStoredChatConfig(readFileSync(join(snapshots, 'wg-ed81e927', 'init-config.toml'), 'utf8'));
    expect(stored).toEqual({
      coordinatorModel: 'local:qwen3-coder',
      coordinatorExecutor: undefined,
      endpointUrl: 'http://127.0.0.1:9',
      endpointProvider: 'local',
    });
    expect(impliedExecutor(stored)).toBe('native');
  });

  it('derives the executor as that week of wg does: set, else the model prefix', () => {
    expect(impliedExecutor({ coordinatorModel: 'claude:opus' })).toBe('claude');
    expect(impliedExecutor({ coordinatorModel: 'codex:gpt-5' })).toBe('codex');
    expect(impliedExecutor({ coordinatorModel: 'opus' })).toBe('claude');
    expect(impliedExecutor({ coordinatorModel: 'local:m', coordinatorExecutor: 'claude' })).toBe('claude');
    expect(serviceExecutor('Coordinator: max_agents=8, poll_interval=60s, executor=native, model=local:qwen3-coder')).toBe('native');
    expect(serviceExecutor('Service started (PID 1)')).toBeUndefined();
  });

  it("tells 42692002's prompt-less pane (wg nex --chat) from a ready pane and from the composer", () => {
    const screen = readFileSync(join(snapshots, 'wg-42692002', 'nex-local', 'msg-1-before.txt'), 'utf8').split('\n');
    expect(chatSurface(screen)).toBe('banner');
    expect(chatSurface(readFileSync(join(snapshots, 'workgraph-5422563c', 'nex-local', 'msg-1-after.txt'), 'utf8').split('\n'))).toBe('pane');
  });
});

describe('probe: Pi in the build (pi-local)', () => {
  it('finds Pi beside nex on July (1d1e4152: pi-handler, pi-plugin) and as the only chat today (b0892ea7: pi: routes)', () => {
    const july = caps('wg-1d1e4152');
    expect(july.generation).toBe('nex-tmux');
    expect(july.pi).toBe(true);
    expect(july.reasons.join(' ')).toMatch(/Pi: `wg pi-handler`, `wg pi-plugin`/);
    expect(july.reasons.join(' ')).not.toMatch(/takes `pi:` routes/);
    expect(literalPath(july, 'pi')).toMatch(/Pi chat opened from the New chat launcher's Pi row/);
    const today = caps('wg-b0892ea7');
    expect(today.pi).toBe(true);
    expect(today.reasons.join(' ')).toMatch(/`wg init` takes `pi:` routes/);
    expect(literalPath(today, 'pi')).toMatch(/`wg init -m pi:e2e:MODEL`/);
  });

  it('finds no Pi before June (b66be5d3, 4ad9da75, 78bb9e2c, bc1dbece, workgraph 3b885405)', () => {
    for (const build of ['wg-b66be5d3', 'wg-4ad9da75', 'wg-78bb9e2c', 'wg-bc1dbece', 'workgraph-3b885405']) {
      const c = caps(build);
      expect(c.pi, build).toBe(false);
      expect(c.reasons.join(' ')).toMatch(/no Pi in this build/);
    }
  });

  it("picks the launcher's Pi rows and nothing else", () => {
    for (const row of ['pi              Pi (pi.dev)', 'Pi (choose model in Pi)', 'pi:e2e:qwen3-coder Pi model plane']) expect(PI_ROW.test(row), row).toBe(true);
    for (const row of ['codex:gpt-5.5   OpenAI Codex CLI', 'claude:opus     Claude CLI (Opus)', '+ Add new...', 'opencode', 'pipeline'])
      expect(PI_ROW.test(row), row).toBe(false);
  });
});
