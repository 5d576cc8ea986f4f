import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/report/model.js';
import { cellDir, cellKey, cellLabel, mergeShards, parseShard, planMatrix, shardOf, writeMatrixReports } from '../../src/smoke/matrix.js';

// The matrix's slices: every runner computes the same cells, the n shards are disjoint and
// together are the whole matrix, and merging refuses shards that overlap.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('matrix shards', () => {
  it('are disjoint and cover the matrix, for every shard count up to past the number of cells', () => {
    const cells = planMatrix(['wg-a', 'wg-b', 'wg-c', 'wg-d'], ['nex-local', 'pi-local', 'claude-local'], 3);
    expect(cells).toHaveLength(36);
    for (let n = 1; n <= 40; n++) {
      const shards = Array.from({ length: n }, (_, i) => shardOf(cells, { index: i + 1, of: n }).map((c) => c.index));
      const all = shards.flat();
      expect(new Set(all).size, `n=${n}: no cell twice`).toBe(all.length);
      expect(
        [...all].sort((a, b) => a - b),
        `n=${n}: every cell`,
      ).toEqual(cells.map((c) => c.index));
      // Balanced: shard sizes differ by at most one.
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('are the same on every runner: the plan depends only on its inputs', () => {
    const a = planMatrix(['x', 'y'], ['nex-local'], 2);
    const b = planMatrix(['x', 'y'], ['nex-local'], 2);
    expect(shardOf(a, { index: 2, of: 3 })).toEqual(shardOf(b, { index: 2, of: 3 }));
    expect(a.map((c) => `${c.wg}/${c.scenario}/${c.repeat}`)).toEqual(['x/nex-local/1', 'x/nex-local/2', 'y/nex-local/1', 'y/nex-local/2']);
  });

  it('take setups as a column: builds × scenarios × setups × repeats, every cell once, its setup in its name and folder', () => {
    const cells = planMatrix(['/b/wg-a', '/b/wg-b'], ['nex-local', 'pi-local'], 2, ['literal', 'plain', 'route']);
    expect(cells).toHaveLength(24);
    expect(new Set(cells.map((c) => `${c.wg}/${c.scenario}/${c.setup}/${c.repeat}`)).size).toBe(24);
    expect(cells.slice(0, 4).map((c) => `${c.setup}#${c.repeat}`)).toEqual(['literal#1', 'literal#2', 'plain#1', 'plain#2']);
    for (let n = 1; n <= 30; n++) {
      const all = Array.from({ length: n }, (_, i) => shardOf(cells, { index: i + 1, of: n })).flat();
      expect(all.map((c) => c.index).sort((a, b) => a - b)).toEqual(cells.map((c) => c.index));
    }
    expect(cellLabel('nex-local', 'literal', '/b/wg-a')).toBe('nex-local@wg-a');
    expect(cellLabel('nex-local', 'plain', '/b/wg-a')).toBe('nex-local:plain@wg-a');
    const dirs = cells.map(cellDir);
    expect(new Set(dirs).size).toBe(24);
    expect(dirs[2]).toBe('002-wg-a--nex-local--plain--1');
    expect(dirs[0]).toBe('000-wg-a--nex-local--1');
  });

  it('refuses a shard that is not i/n with 1 ≤ i ≤ n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, of: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'two', '1-4']) expect(() => parseShard(bad)).toThrow(/i\/n with 1 ≤ i ≤ n/);
  });
});

describe('merge', () => {
  const shardDir = (cells: number[], name: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-e2e-shard-'));
    dirs.push(dir);
    const run: RunResult & { matrix: unknown } = {
      scenarios: cells.map((c) => ({ name: `${name}-${c}`, status: 'passed', findings: [], messages: [], durationMs: 1 })),
      startedAt: `2026-12-02T00:00:0${cells[0]}Z`,
      durationMs: 10 * cells.length,
      matrix: { cells, of: 4 },
    };
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'matrix.json'), JSON.stringify(run));
    return dir;
  };

  it('joins the shards in order, their cells counted once', async () => {
    const merged = await mergeShards([shardDir([0, 2], 's1'), shardDir([1, 3], 's2')]);
    expect(merged.scenarios.map((s) => s.name)).toEqual(['s1-0', 's1-2', 's2-1', 's2-3']);
    expect(merged.cells).toEqual([0, 1, 2, 3]);
    expect(merged.startedAt).toBe('2026-12-02T00:00:00Z');
  });

  it('refuses shards that overlap, naming the cell', async () => {
    await expect(mergeShards([shardDir([0, 2], 's1'), shardDir([2, 3], 's2')])).rejects.toThrow('the shards overlap: cell 2 appears twice');
  });

  it('joins matrices planned apart (a sweep in batches) by what their cells are, refusing the same cell twice', async () => {
    const batch = (builds: string[], setups: string[]): string => {
      const dir = mkdtempSync(join(tmpdir(), 'wg-e2e-batch-'));
      dirs.push(dir);
      const cells = planMatrix(builds, ['nex-local'], 1, setups);
      const run: RunResult & { matrix: unknown } = {
        scenarios: cells.map((c) => ({ name: cellLabel(c.scenario, c.setup, c.wg), status: 'passed', findings: [], messages: [], durationMs: 1 })),
        startedAt: '2026-12-02T00:00:00Z',
        durationMs: 1,
        matrix: { cells: cells.map((c) => c.index), keys: cells.map(cellKey), of: cells.length },
      };
      writeFileSync(join(dir, 'matrix.json'), JSON.stringify(run));
      return dir;
    };
    // Both batches number their cells from 0: by index they would overlap, by what they are they do not.
    const merged = await mergeShards([batch(['/a/wg-1', '/a/wg-2'], ['literal', 'plain']), batch(['/b/wg-3'], ['literal', 'plain'])]);
    expect(merged.keys).toHaveLength(6);
    expect(merged.scenarios.map((s) => s.name)).toContain('nex-local:plain@wg-3');
    // The same build again, even from another folder, is the same cell.
    await expect(mergeShards([batch(['/a/wg-1'], ['literal']), batch(['/elsewhere/wg-1'], ['literal', 'plain'])])).rejects.toThrow(
      'the shards overlap: cell wg-1|nex-local|literal|1 appears twice',
    );
  });

  it('with laterWins, lets a rerun replace the same cells in their place, and names each one', async () => {
    const folder = (builds: string[], status: 'passed' | 'failed'): string => {
      const dir = mkdtempSync(join(tmpdir(), 'wg-e2e-batch-'));
      dirs.push(dir);
      const cells = planMatrix(builds, ['nex-local'], 1);
      const run: RunResult & { matrix: unknown } = {
        scenarios: cells.map((c) => ({ name: cellLabel(c.scenario, c.setup, c.wg), status, findings: [], messages: [], durationMs: 1 })),
        startedAt: '2026-12-02T00:00:00Z',
        durationMs: 1,
        matrix: { cells: cells.map((c) => c.index), keys: cells.map(cellKey), of: cells.length },
      };
      writeFileSync(join(dir, 'matrix.json'), JSON.stringify(run));
      return dir;
    };
    const sweep = folder(['/a/wg-1', '/a/wg-2', '/a/wg-3'], 'failed');
    const rerun = folder(['/b/wg-2'], 'passed');
    await expect(mergeShards([sweep, rerun])).rejects.toThrow(/appears twice \(--later-wins lets a rerun replace them\)/);
    const merged = await mergeShards([sweep, rerun], { laterWins: true });
    expect(merged.replaced).toEqual(['wg-2|nex-local|literal|1']);
    expect(merged.scenarios.map((s) => `${s.name} ${s.status}`)).toEqual(['nex-local@wg-1 failed', 'nex-local@wg-2 passed', 'nex-local@wg-3 failed']);
  });

  it('finds the cell folders of a matrix.json written before it kept them, by its keys, and only where they exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-e2e-old-'));
    dirs.push(dir);
    const cells = planMatrix(['/a/wg-1', '/a/wg-2'], ['nex-local'], 1, ['literal', 'plain']);
    // The cells' folders as that matrix wrote them; the last one's run left nothing.
    for (const c of cells.slice(0, -1)) {
      mkdirSync(join(dir, 'cells', cellDir(c)), { recursive: true });
      writeFileSync(join(dir, 'cells', cellDir(c), 'run.json'), '{}');
    }
    const run = {
      scenarios: cells.map((c) => ({ name: cellLabel(c.scenario, c.setup, c.wg), status: 'passed', findings: [], messages: [], durationMs: 1 })),
      startedAt: '2026-12-02T00:00:00Z',
      durationMs: 1,
      matrix: { cells: cells.map((c) => c.index), keys: cells.map(cellKey), of: cells.length },
    };
    writeFileSync(join(dir, 'matrix.json'), JSON.stringify(run));
    const merged = await mergeShards([dir]);
    expect(merged.scenarios.map((s) => s.cell?.dir && relative(dir, s.cell.dir))).toEqual([
      ...cells.slice(0, -1).map((c) => join('cells', cellDir(c))),
      undefined,
    ]);
    expect(merged.scenarios[1]?.cell).toMatchObject({ build: 'wg-1', scenario: 'nex-local', setup: 'plain', repeat: 1 });
  });

  it('writes an index page linking each cell to its own report, from wherever the shards were put', async () => {
    const shard = mkdtempSync(join(tmpdir(), 'wg-e2e-shard-'));
    const out = mkdtempSync(join(tmpdir(), 'wg-e2e-merged-'));
    dirs.push(shard, out);
    const cells = planMatrix(['/b/wg-1'], ['nex-local', 'pi-local'], 1);
    mkdirSync(join(shard, 'cells', cellDir(cells[0]!)), { recursive: true });
    writeFileSync(join(shard, 'cells', cellDir(cells[0]!), 'report.html'), '<!DOCTYPE html>');
    const scenarios = cells.map((c, i) => ({
      name: cellLabel(c.scenario, c.setup, c.wg),
      status: i === 0 ? ('passed' as const) : ('skipped' as const),
      reason: i === 0 ? undefined : 'PI SMOKE SKIPPED — no Pi',
      findings: [],
      messages: [],
      durationMs: 1,
      cell: { build: 'wg-1', scenario: c.scenario, setup: c.setup, repeat: 1, dir: join('cells', cellDir(c)) },
    }));
    writeFileSync(
      join(shard, 'matrix.json'),
      JSON.stringify({ scenarios, startedAt: 'x', durationMs: 1, matrix: { cells: [0, 1], keys: cells.map(cellKey), of: 2 } }),
    );
    const merged = await mergeShards([shard]);
    expect(merged.scenarios[0]?.cell?.dir).toBe(join(shard, 'cells', cellDir(cells[0]!)));
    const { keys: _keys, cells: _cells, ...run } = merged;
    await writeMatrixReports(out, run);
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    expect(page).toContain(`href="${relative(out, join(shard, 'cells', cellDir(cells[0]!), 'report.html'))}"`);
    expect(page).toContain('title="PI SMOKE SKIPPED — no Pi">SKIP</span>');
    expect(page.match(/<a href/g)).toHaveLength(1);
    const written = JSON.parse(readFileSync(join(out, 'matrix.json'), 'utf8')) as { scenarios: Array<{ cell: { dir: string } }> };
    expect(written.scenarios[0]?.cell.dir).toBe(relative(out, join(shard, 'cells', cellDir(cells[0]!))));
  });

  it('says which folder has no results', async () => {
    await expect(mergeShards(['/nonexistent/shard'])).rejects.toThrow(/no matrix.json or run.json/);
  });
});
