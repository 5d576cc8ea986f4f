import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OptionError } from '../errors.js';
import { formatJson } from '../report/json.js';
import { formatJunit } from '../report/junit.js';
import { formatRunLines } from '../report/lines.js';
import { renderMatrixIndex } from '../report/html-matrix.js';
import type { MatrixCellInfo, RunResult } from '../report/model.js';

// `wg-tui-e2e matrix`: builds × scenarios × repeats, each cell one `wg-tui-e2e run` of its own
// (a child process with --isolate: its own HOME, tmux server and endpoint port), `--jobs` of them
// at once; `--shard i/n` runs the i-th of n deterministic slices, so CI runners can share a sweep,
// and `merge` joins the shards' results into one report.

export interface MatrixCell {
  /** Position in the whole matrix (0-based): the same on every runner. */
  index: number;
  wg: string;
  scenario: string;
  /** `--setup` of this cell (literal, plain, route). */
  setup: string;
  /** 1-based run of this build, scenario and setup. */
  repeat: number;
}

export interface Shard {
  index: number;
  of: number;
}

/** Every cell, in one order: build by build, scenario by scenario, setup by setup, run by run. */
export function planMatrix(wgs: readonly string[], scenarios: readonly string[], repeat: number, setups: readonly string[] = ['literal']): MatrixCell[] {
  const cells: MatrixCell[] = [];
  for (const wg of wgs)
    for (const scenario of scenarios)
      for (const setup of setups) for (let r = 1; r <= repeat; r++) cells.push({ index: cells.length, wg, scenario, setup, repeat: r });
  return cells;
}

/** A cell's scenario as merged lines name it: `nex-local@wg-a85c6110`, with its setup when not the default (`nex-local:plain@…`). */
export const cellLabel = (scenario: string, setup: string, wg: string): string => `${scenario}${setup === 'literal' ? '' : `:${setup}`}@${basename(wg)}`;

/** `2/4` → the second of four slices; refuses what is not `i/n` with 1 ≤ i ≤ n. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const of = Number(m?.[2]);
  if (!m || of < 1 || index < 1 || index > of) throw new OptionError(`--shard ${text}: i/n with 1 ≤ i ≤ n (e.g. 1/4)`);
  return { index, of };
}

/** The cells of one shard: every n-th cell from the i-th, so slow builds spread over shards. */
export function shardOf(cells: readonly MatrixCell[], shard: Shard): MatrixCell[] {
  return cells.filter((c) => c.index % shard.of === shard.index - 1);
}

/** What a cell is, whatever matrix planned it: build (by file name, the same on every runner), scenario, setup, run. */
export const cellKey = (cell: MatrixCell): string => `${basename(cell.wg)}|${cell.scenario}|${cell.setup}|${cell.repeat}`;

/** A folder name for a cell that says what it is (`wg-a85c6110--nex-local--1`). */
export const cellDir = (cell: MatrixCell): string =>
  `${String(cell.index).padStart(3, '0')}-${basename(cell.wg).replace(/[^\w.-]+/g, '_')}--${cell.scenario}${cell.setup === 'literal' ? '' : `--${cell.setup}`}--${cell.repeat}`;

export interface MatrixOptions {
  wgs: string[];
  scenarios: string[];
  /** `--setup` variants, each a column of the matrix (default: literal only). */
  setups?: string[];
  repeat: number;
  jobs: number;
  shard?: Shard;
  artifactsDir: string;
  /** Options passed to every cell's `run` as given (already checked by the caller). */
  runArgs: string[];
  /** Each cell's verdict lines as they come, prefixed with the cell. */
  onLine?: (line: string) => void;
  /** Stops the matrix: the cell in flight gets SIGINT (it tears down and writes its reports), no further cell starts. */
  signal?: AbortSignal;
}

const BIN = fileURLToPath(new URL('../../bin/wg-tui-e2e.js', import.meta.url));

/** One cell: `run` in a child process; its result is the run.json it leaves. */
async function runCell(cell: MatrixCell, options: MatrixOptions): Promise<RunResult> {
  const dir = join(options.artifactsDir, 'cells', cellDir(cell));
  await mkdir(dir, { recursive: true });
  const args = [BIN, 'run', '--wg', cell.wg, '--scenario', cell.scenario, '--setup', cell.setup, '--isolate', '--artifacts', dir, ...options.runArgs];
  const log = createWriteStream(join(dir, 'cell.log'));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${basename(cell.wg)} ${cell.scenario}${cell.setup === 'literal' ? '' : `:${cell.setup}`}${options.repeat > 1 ? `#${cell.repeat}` : ''}]`;
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    log.write(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (/^(PASS|FAIL|SKIP|FINDING| {2}cause:)/.test(line)) options.onLine?.(`${prefix} ${line}`);
  });
  child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
  const interrupt = () => void child.kill('SIGINT');
  options.signal?.addEventListener('abort', interrupt, { once: true });
  const [exitCode, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  options.signal?.removeEventListener('abort', interrupt);
  const code = exitCode ?? (signal ? `by ${signal}` : '?');
  log.end();
  await finished(log);
  const run = await readFile(join(dir, 'run.json'), 'utf8').then(
    (t) => JSON.parse(t) as RunResult,
    () => undefined,
  );
  if (run) return labelled(run, cell, options.repeat, dir);
  // The run left no results (it could not start): a setup failure of this cell, with its words.
  const words = (await readFile(join(dir, 'cell.log'), 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' ');
  return {
    scenarios: [
      {
        name: cellLabel(cell.scenario, cell.setup, cell.wg),
        status: 'setup-failed',
        reason: `the cell's run exited ${code} without results: ${words}`,
        findings: [],
        messages: [],
        durationMs: 0,
        wg: { path: cell.wg },
        cell: cellInfo(cell, dir),
      },
    ],
    startedAt: new Date().toISOString(),
    durationMs: 0,
    artifactsDir: dir,
  };
}

/** Scenario names carry their build and setup (cellLabel), so merged lines say which is which. */
function labelled(run: RunResult, cell: MatrixCell, repeat: number, dir: string): RunResult {
  return {
    ...run,
    scenarios: run.scenarios.map((s) => ({
      ...s,
      cell: cellInfo(cell, dir),
      name: cellLabel(s.name, cell.setup, cell.wg),
      run: { index: cell.repeat, of: repeat },
      messages: s.messages.map((m) => ({ ...m, scenario: cellLabel(m.scenario, cell.setup, cell.wg) })),
    })),
  };
}

const cellInfo = (cell: MatrixCell, dir: string): MatrixCellInfo => ({
  build: basename(cell.wg),
  scenario: cell.scenario,
  setup: cell.setup,
  repeat: cell.repeat,
  dir,
});

/** Joins results (cells, or shards' merged results) into one run, in the order given. */
export function mergeResults(runs: readonly RunResult[]): RunResult {
  const startedAt = runs.map((r) => r.startedAt).sort()[0] ?? new Date().toISOString();
  return {
    scenarios: runs.flatMap((r) => r.scenarios),
    startedAt,
    durationMs: runs.reduce((max, r) => Math.max(max, r.durationMs), 0),
  };
}

/** Writes the merged lines, JSON, JUnit and the index page into `dir`; cell folders are written relative to it. */
export async function writeMatrixReports(dir: string, run: RunResult, extra: Record<string, unknown> = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const portable = { ...run, scenarios: run.scenarios.map((s) => (s.cell ? { ...s, cell: { ...s.cell, dir: relative(dir, s.cell.dir) || '.' } } : s)) };
  await writeFile(join(dir, 'matrix.json'), `${JSON.stringify({ ...JSON.parse(formatJson(portable)), ...extra }, null, 2)}\n`);
  const reports = new Set(run.scenarios.flatMap((s) => (s.cell && existsSync(join(s.cell.dir, 'report.html')) ? [s.cell.dir] : [])));
  await writeFile(
    join(dir, 'report.html'),
    renderMatrixIndex(run, (s) => (s.cell && reports.has(s.cell.dir) ? relative(dir, join(s.cell.dir, 'report.html')) : undefined)),
  );
  await writeFile(join(dir, 'junit.xml'), formatJunit(run));
  await writeFile(join(dir, 'lines.txt'), `${formatRunLines(run).join('\n')}\n`);
}

/** Runs the (shard of the) matrix, `jobs` cells at once, and writes the merged reports. */
export async function runMatrix(options: MatrixOptions): Promise<{ run: RunResult; cells: MatrixCell[] }> {
  const all = planMatrix(
    options.wgs.map((w) => resolve(w)),
    options.scenarios,
    options.repeat,
    options.setups,
  );
  const cells = options.shard ? shardOf(all, options.shard) : all;
  const started = performance.now();
  const results: RunResult[] = new Array<RunResult>(cells.length);
  let next = 0;
  const worker = async () => {
    while (next < cells.length && !options.signal?.aborted) {
      const i = next++;
      results[i] = await runCell(cells[i] as MatrixCell, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.jobs, cells.length) }, worker));
  const run = { ...mergeResults(results.filter(Boolean)), durationMs: performance.now() - started, artifactsDir: options.artifactsDir };
  await writeMatrixReports(options.artifactsDir, run, {
    matrix: { cells: cells.map((c) => c.index), keys: cells.map(cellKey), of: all.length, shard: options.shard ?? null },
  });
  return { run, cells };
}

/**
 * Reads the matrix.json (or run.json) of each folder and merges them, refusing overlaps: the same
 * cell (build, scenario, setup, run) twice. Folders may be shards of one matrix or matrices of their
 * own (a sweep run in batches as builds became ready); older folders without keys are checked by
 * cell index. With `laterWins`, a cell in a later folder replaces the same cell of an earlier one
 * (a rerun after a fix), in the earlier one's place, and `replaced` names each such cell.
 */
/**
 * Matrix folders written before matrix.json kept each cell's folder (2026-12-02, early) still name
 * their cells (keys, in order, with their indexes) and hold `cells/<cellDir>`: a scenario without
 * cell info gets it back from there when that folder exists, so its report can be linked.
 */
function findCellFolders(folder: RunResult & { matrix?: { cells: number[]; keys?: string[] } }, dir: string): void {
  const keys = folder.matrix?.keys;
  if (!keys || keys.length !== folder.scenarios.length) return;
  folder.scenarios.forEach((s, i) => {
    const [build, scenario, setup, repeat] = (keys[i] ?? '').split('|');
    const index = folder.matrix?.cells[i];
    if (s.cell || !build || !scenario || !setup || index === undefined) return;
    const cell: MatrixCell = { index, wg: build, scenario, setup, repeat: Number(repeat) };
    const cellFolder = join(dir, 'cells', cellDir(cell));
    if (existsSync(join(cellFolder, 'run.json'))) s.cell = cellInfo(cell, cellFolder);
  });
}

export async function mergeShards(
  dirs: readonly string[],
  options: { laterWins?: boolean } = {},
): Promise<RunResult & { cells: number[]; keys: string[]; replaced: string[] }> {
  type Folder = RunResult & { matrix?: { cells: number[]; keys?: string[]; of: number } };
  const runs: Folder[] = [];
  for (const dir of dirs) {
    const file = await readFile(join(dir, 'matrix.json'), 'utf8').catch(() => readFile(join(dir, 'run.json'), 'utf8').catch(() => undefined));
    if (file === undefined) throw new OptionError(`${dir}: no matrix.json or run.json`);
    const folder = JSON.parse(file) as Folder;
    // Cell folders are relative to the folder their matrix.json is in.
    for (const s of folder.scenarios) if (s.cell) s.cell.dir = resolve(dir, s.cell.dir);
    findCellFolders(folder, dir);
    runs.push(folder);
  }
  const byKey = runs.length > 0 && runs.every((r) => r.matrix?.keys);
  if (options.laterWins) {
    if (!byKey) throw new OptionError('--later-wins needs folders whose matrix.json names its cells (keys): written by matrix since 2026-12-02');
    const bad = dirs.find((_, i) => runs[i]!.matrix!.keys!.length !== runs[i]!.scenarios.length);
    if (bad) throw new OptionError(`${bad}: its cells and results do not pair up one to one; cannot tell which result a rerun replaces`);
    const latest = new Map<string, RunResult['scenarios'][number]>();
    const replaced: string[] = [];
    for (const run of runs)
      run.matrix!.keys!.forEach((key, i) => {
        if (latest.has(key)) replaced.push(key);
        latest.set(key, run.scenarios[i]!);
      });
    const merged = mergeResults(runs);
    return { ...merged, scenarios: [...latest.values()], cells: [], keys: [...latest.keys()], replaced };
  }
  const cells = runs.flatMap((r) => r.matrix?.cells ?? []);
  const keys = runs.flatMap((r) => r.matrix?.keys ?? []);
  const ids: Array<string | number> = byKey ? keys : cells;
  const twice = ids.filter((c, i) => ids.indexOf(c) !== i);
  if (twice.length > 0)
    throw new OptionError(
      `the shards overlap: cell${twice.length > 1 ? 's' : ''} ${[...new Set(twice)].join(', ')} ${twice.length > 1 ? 'appear' : 'appears'} twice (--later-wins lets a rerun replace them)`,
    );
  return { ...mergeResults(runs), cells: byKey ? [] : [...cells].sort((a, b) => a - b), keys, replaced: [] };
}
