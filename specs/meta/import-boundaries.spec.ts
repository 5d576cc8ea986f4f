import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filesUnder } from '../setup/files.js';

// Data flows one way: cli → smoke → wg → terminal, smoke starts the endpoint, reporters read the
// result model; install (what `wg-tui-e2e install` puts in the cache) is used by cli and smoke. These are the imports that would break that; each is a failure here.

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const FORBIDDEN: Record<string, readonly string[]> = {
  terminal: ['wg', 'smoke', 'endpoint', 'report', 'cli.ts'],
  endpoint: ['terminal', 'wg', 'smoke', 'report', 'cli.ts'],
  report: ['terminal', 'wg', 'smoke', 'endpoint', 'cli.ts'],
  wg: ['smoke', 'cli.ts'],
  smoke: ['cli.ts'],
  install: ['smoke', 'wg', 'endpoint', 'report', 'cli.ts'],
};

// The top-level part of src a file or an import target belongs to (`wg`, `terminal`, `cli.ts`, …).
const area = (path: string): string => relative(SRC, path).split('/')[0] ?? '';

describe('import boundaries', () => {
  const imports = filesUnder(SRC, '.ts').flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)].map((m) => ({
      file: relative(SRC, file),
      from: area(file),
      to: area(resolve(dirname(file), m[1] as string)),
    })),
  );

  it('finds the imports it checks', () => {
    expect(imports.length).toBeGreaterThan(100);
    expect(imports.some((i) => i.from === 'smoke' && i.to === 'wg')).toBe(true);
  });

  it('has no import against the flow', () => {
    const wrong = imports.filter((i) => FORBIDDEN[i.from]?.includes(i.to.replace(/\.js$/, '.ts'))).map((i) => `${i.file} imports ${i.to}`);
    expect(wrong).toEqual([]);
  });
});

// Inside src/wg: a surface (what a turn is read from) and the frame know nothing of any generation
// or flow, so a new generation reuses them as they are; a generation stands alone, so changing one
// era cannot break another. Only the table (generations/index.ts) knows them all.
const WG = resolve(SRC, 'wg');
/** The part of src/wg an import belongs to: `surfaces`, `flows`, `frame.ts`, or one generation's module. */
const wgPart = (path: string): string => {
  const parts = relative(WG, path).split('/');
  return parts[0] === 'generations' ? `generations/${parts[1] ?? ''}` : (parts[0] ?? '');
};

/** The src/wg imports that break those rules, as `file imports target`. */
function wgBoundaryViolations(files: ReadonlyArray<{ file: string; text: string }>): string[] {
  const wrong: string[] = [];
  for (const { file, text } of files) {
    const from = wgPart(file);
    for (const m of text.matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)) {
      const target = resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts'));
      if (relative(WG, target).startsWith('..')) continue;
      const to = wgPart(target);
      const toGeneration = to.startsWith('generations/');
      const bad =
        ((from === 'surfaces' || from === 'frame.ts' || from === 'transcripts') && (toGeneration || to === 'flows')) ||
        (from.startsWith('generations/') && from !== 'generations/index.ts' && toGeneration && to !== from);
      if (bad) wrong.push(`${relative(SRC, file)} imports ${relative(SRC, target)}`);
    }
  }
  return wrong;
}

describe('boundaries inside src/wg', () => {
  const files = filesUnder(WG, '.ts').map((file) => ({ file, text: readFileSync(file, 'utf8') }));

  it('surfaces, frame and transcripts import no generation or flow; generations import no other generation', () => {
    expect(files.some(({ file }) => wgPart(file) === 'generations/nex-tmux.ts')).toBe(true);
    expect(wgBoundaryViolations(files)).toEqual([]);
  });

  it('catches a planted import of each kind', () => {
    const planted = [
      { file: resolve(WG, 'surfaces/pi.ts'), text: "import { nexTmux } from '../generations/nex-tmux.js';" },
      { file: resolve(WG, 'frame.ts'), text: "import { walkLauncher } from './flows/launcher.js';" },
      { file: resolve(WG, 'generations/nex-tmux.ts'), text: "import { piTmux } from './pi-tmux.js';" },
      { file: resolve(WG, 'generations/index.ts'), text: "import { piTmux } from './pi-tmux.js';" },
    ];
    expect(wgBoundaryViolations(planted)).toEqual([
      'wg/surfaces/pi.ts imports wg/generations/nex-tmux.ts',
      'wg/frame.ts imports wg/flows/launcher.ts',
      'wg/generations/nex-tmux.ts imports wg/generations/pi-tmux.ts',
    ]);
  });
});

describe('one exit code for an error', () => {
  it('is the same for the run command, the endpoint command and the report model', async () => {
    const { ERROR_EXIT_CODE } = await import('../../src/errors.js');
    const { EXIT } = await import('../../src/report/model.js');
    expect(EXIT.harness).toBe(ERROR_EXIT_CODE);
  });
});

// The runtime import graph of src (type-only imports erased): a cycle makes the module first
// imported see its peers half-initialised (`Cannot access 'x' before initialization`).
type Graph = ReadonlyMap<string, readonly string[]>;

/** Every cycle of `graph`, each as the path that closes it. */
function cyclesOf(graph: Graph): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

function runtimeGraph(): Graph {
  return new Map(
    filesUnder(SRC, '.ts').map((file) => [
      relative(SRC, file),
      [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?'(\.[^']+)'/gm)].map((m) =>
        relative(SRC, resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts'))),
      ),
    ]),
  );
}

describe('import cycles', () => {
  it('finds a planted one', () => {
    const planted = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cyclesOf(planted)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('src has none', () => {
    const graph = runtimeGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect(cyclesOf(graph).map((c) => c.join(' → '))).toEqual([]);
  });
});

// Each module of src, imported first and alone in a fresh Node: no module may depend on another
// having been loaded before it. src is compiled once into a folder under node_modules/.cache (so
// packages resolve as they do for dist/), then each module is imported by a plain `node`.
// Entry points run a command when imported, and are left out.
const ENTRY_POINTS = new Set(['endpoint/command-main.ts']);

describe('each module alone', () => {
  it('imports without error in a fresh process', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { rm } = await import('node:fs/promises');
    const run = promisify(execFile);
    const out = fileURLToPath(new URL('../../node_modules/.cache/wg-tui-e2e-modules-alone', import.meta.url));
    await rm(out, { recursive: true, force: true });
    const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
    await run(process.execPath, [
      tsc,
      '-p',
      fileURLToPath(new URL('../../tsconfig.build.json', import.meta.url)),
      '--outDir',
      out,
      '--declaration',
      'false',
      '--sourceMap',
      'false',
    ]);
    const modules = filesUnder(SRC, '.ts')
      .map((f) => relative(SRC, f))
      .filter((f) => !ENTRY_POINTS.has(f));
    expect(modules.length).toBeGreaterThan(100);
    const failures: string[] = [];
    // A few at a time: each is a Node start.
    for (let i = 0; i < modules.length; i += 8) {
      await Promise.all(
        modules.slice(i, i + 8).map((m) =>
          run(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(resolve(out, m.replace(/\.ts$/, '.js')))})`], {
            timeout: 30_000,
          }).catch((error: Error) => failures.push(`${m}: ${error.message.split('\n').find((l) => /Error/.test(l)) ?? error.message}`)),
        ),
      );
    }
    await rm(out, { recursive: true, force: true });
    expect(failures).toEqual([]);
  }, 180_000);
});
