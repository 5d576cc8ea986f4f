import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { execa } from 'execa';
import { OptionError } from '../errors.js';
import { cacheRoot } from '../install/cache.js';
import { renderBisectPage } from '../report/html-bisect.js';
import { formatCauseLine, formatMessageLine } from '../report/lines.js';
import {
  EXIT,
  exitCodeFor,
  type BisectDifference,
  type BisectResult,
  type BisectStep,
  type BisectTerms,
  type MessageResult,
  type RunResult,
  type ScenarioResult,
  type StepMark,
} from '../report/model.js';
import { runMatrix } from './matrix.js';

// `wg-tui-e2e bisect`: git bisect over the user's wg checkout, in a worktree of its own (the user's
// worktree, index and HEAD are never touched), each step built once (the binary cached by commit
// outside the checkout), the smoke run on it as a matrix cell (a child process), and the step marked
// from the smoke's exit: 0 the passing term, 1 the failing one, 125 (a build or setup failure, or a
// scenario skipped whole) skip. It ends with the first commit of the new term, the first message
// whose verdict differs between that commit and its parent, and bisect.html with both screens.

export interface BisectOptions {
  /** The user's checkout (any folder inside it). */
  repo: string;
  /** A commit the smoke passes on. */
  good: string;
  /** A commit the smoke fails on. */
  bad: string;
  /** Shell command run in the worktree at each step (default `cargo build --bin wg`). */
  build?: string;
  /** Where the build leaves wg: relative to the worktree, or absolute (default `$CARGO_TARGET_DIR/debug/wg`). */
  binary?: string;
  /**
   * `--terms NEW,OLD`: the smoke passes on NEW (the good commit is NEW, the bad one OLD), so the
   * bisect finds the first NEW commit, a fix. Without: good/bad, the first bad commit.
   */
  terms?: BisectTerms;
  scenarios: string[];
  setup: string;
  repeat: number;
  /** Options for every step's run, as typed (already checked). */
  runArgs: string[];
  artifactsDir: string;
  /** Budget of one build (default 60 min): past it the build is killed and the commit skipped. */
  buildTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
  signal?: AbortSignal;
}

const DEFAULT_BUILD = 'cargo build --bin wg';
const GIT_TIMEOUT = 120_000;

/** What git bisect said after a mark: the next commit to test, the answer, or only skipped commits left. */
export type BisectState = { kind: 'next' } | { kind: 'found'; sha: string } | { kind: 'skipped-only'; candidates: string[] };

export function parseBisectOutput(text: string): BisectState {
  const found = /^([0-9a-f]{40}) is the first \S+ commit/m.exec(text);
  if (found) return { kind: 'found', sha: found[1] as string };
  if (/only 'skip'ped commits left to test/.test(text))
    return { kind: 'skipped-only', candidates: [...text.matchAll(/^([0-9a-f]{40})\b/gm)].map((m) => m[1] as string) };
  return { kind: 'next' };
}

/** The smoke's exit (with --bisect) as a mark: 0 pass, 1 fail, 125 skip; anything else is not a verdict on the build. */
export function markOf(exitCode: number): StepMark | undefined {
  return exitCode === EXIT.ok ? 'pass' : exitCode === EXIT.failed ? 'fail' : exitCode === EXIT.bisectSkip ? 'skip' : undefined;
}

/** The git term a mark is given: the passing state is old (good) without terms, new with them. */
export function termOf(mark: StepMark, terms?: BisectTerms): string {
  if (mark === 'skip') return 'skip';
  if (!terms) return mark === 'pass' ? 'good' : 'bad';
  return mark === 'pass' ? terms.new : terms.old;
}

/** `fixed,broken` → new fixed, old broken; refuses what git would (the same word twice, git's own commands). */
export function parseTerms(text: string): BisectTerms {
  const [n, o, ...rest] = text.split(',').map((t) => t.trim());
  const reserved = ['help', 'start', 'skip', 'next', 'reset', 'visualize', 'view', 'replay', 'log', 'run', 'terms', 'good', 'bad', 'new', 'old'];
  if (!n || !o || rest.length > 0 || n === o || !/^[a-z][\w-]*$/i.test(n) || !/^[a-z][\w-]*$/i.test(o) || reserved.includes(n) || reserved.includes(o))
    throw new OptionError(`--terms ${text}: NEW,OLD, two different words that are not git bisect's own (e.g. fixed,broken)`);
  return { new: n, old: o };
}

/** Pairs the two runs' messages (scenario, index) and returns the first whose verdict differs. */
export function firstDifference(before: RunResult, after: RunResult): BisectDifference | undefined {
  const flat = (run: RunResult) =>
    run.scenarios.flatMap((s) => s.messages.map((m) => ({ ...m, dir: s.cell?.dir ?? run.artifactsDir ?? '', key: `${baseName(s)}|${m.index}` })));
  const old = new Map(flat(before).map((m) => [m.key, m]));
  for (const m of flat(after)) {
    const o = old.get(m.key);
    if (o && (o.verdict !== m.verdict || o.passed !== m.passed)) return { scenario: baseName(m), index: m.index, text: m.text, before: o, after: m };
  }
  return undefined;
}

/** A scenario or message name without the build a matrix adds (`nex-local@wg-…` → `nex-local`). */
const baseName = (s: Pick<ScenarioResult, 'name'> | Pick<MessageResult, 'scenario'>): string => ('name' in s ? s.name : s.scenario).replace(/@[^@]*$/, '');

const short = (sha: string) => sha.slice(0, 10);

async function git(cwd: string, args: string[], signal?: AbortSignal): Promise<{ stdout: string; all: string; exitCode: number }> {
  const r = await execa('git', args, { cwd, reject: false, all: true, timeout: GIT_TIMEOUT, cancelSignal: signal, env: { GIT_TERMINAL_PROMPT: '0' } });
  return { stdout: r.stdout, all: r.all ?? '', exitCode: r.exitCode ?? -1 };
}

async function gitOk(cwd: string, args: string[], signal?: AbortSignal): Promise<string> {
  const r = await git(cwd, args, signal);
  if (r.exitCode !== 0) throw new OptionError(`git ${args.join(' ')} (in ${cwd}) failed: ${r.all.trim().split('\n').slice(-3).join(' ')}`);
  return r.stdout.trim();
}

/** The binary cache of one build recipe: `<cache>/bisect-bins/<recipe hash>/wg-<sha12>`. */
export const binaryCacheDir = (env: NodeJS.ProcessEnv, build: string, binary: string): string =>
  join(cacheRoot(env), 'bisect-bins', createHash('sha256').update(`${build}\0${binary}`).digest('hex').slice(0, 12));

export async function runBisect(options: BisectOptions): Promise<BisectResult> {
  const started = performance.now();
  const env = options.env ?? process.env;
  const out = options.out ?? (() => undefined);
  const build = options.build ?? DEFAULT_BUILD;
  const targetDir = env.CARGO_TARGET_DIR || join(cacheRoot(env), 'bisect-target');
  const binarySpec = options.binary ?? join(targetDir, 'debug', 'wg');
  const bins = binaryCacheDir(env, build, binarySpec);
  const artifactsDir = resolve(options.artifactsDir);
  const steps: BisectStep[] = [];
  const result = (r: Partial<BisectResult> & { exitCode: number }): BisectResult => ({ steps, durationMs: performance.now() - started, artifactsDir, ...r });

  const top = await git(resolve(options.repo), ['rev-parse', '--show-toplevel']);
  if (top.exitCode !== 0) throw new OptionError(`--repo ${options.repo}: not a git checkout (${top.all.trim()})`);
  const repo = top.stdout.trim();
  const sha = async (rev: string, flag: string) => {
    const r = await git(repo, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
    if (r.exitCode !== 0) throw new OptionError(`--${flag} ${rev}: no such commit in ${repo}`);
    return r.stdout.trim();
  };
  const good = await sha(options.good, 'good');
  const bad = await sha(options.bad, 'bad');
  if (good === bad) throw new OptionError('--good and --bad are the same commit');
  await mkdir(artifactsDir, { recursive: true });
  await mkdir(bins, { recursive: true });

  const tmp = await mkdtemp(join(tmpdir(), 'wg-tui-e2e-bisect-'));
  const wt = join(tmp, 'wg');
  let added = false;
  try {
    await gitOk(repo, ['worktree', 'add', '--detach', wt, bad]);
    added = true;
    out(`bisect: worktree ${wt} (your checkout ${repo} is not touched); builds with \`${build}\`, CARGO_TARGET_DIR=${targetDir}; binaries cached in ${bins}`);
    const passTerm = termOf('pass', options.terms);
    const failTerm = termOf('fail', options.terms);
    await gitOk(wt, ['bisect', 'start', ...(options.terms ? [`--term-new=${options.terms.new}`, `--term-old=${options.terms.old}`] : [])]);
    await gitOk(wt, ['bisect', failTerm, bad]);
    let said = await gitOk(wt, ['bisect', passTerm, good]);
    const subjectOf = (commit: string) => gitOk(repo, ['log', '-1', '--format=%s', commit]);

    /** Builds (or takes from the cache) and runs the smoke on one commit, checked out in the worktree. */
    const test = async (commit: string, bisected: boolean): Promise<BisectStep> => {
      const n = steps.length + 1;
      const step: BisectStep = { n, sha: commit, subject: await subjectOf(commit), mark: 'skip', term: 'skip', build: '', lines: [], bisected };
      steps.push(step);
      out(`${bisected ? 'STEP' : 'COMPARE'} ${n} ${short(commit)} ${step.subject}`);
      const dir = join(artifactsDir, 'steps', `${String(n).padStart(2, '0')}-${short(commit)}`);
      await mkdir(dir, { recursive: true });
      const cached = join(bins, `wg-${commit.slice(0, 12)}`);
      if (existsSync(cached)) step.build = 'cached';
      else {
        if ((await git(wt, ['rev-parse', 'HEAD'])).stdout.trim() !== commit) await gitOk(wt, ['checkout', '--detach', '--quiet', commit]);
        const t0 = performance.now();
        // The build in a process group of its own: a stop or its budget ends the whole group (cargo,
        // rustc, build scripts), not only the shell, whose children would otherwise hold its output open.
        const budget = options.buildTimeoutMs ?? 3_600_000;
        const child = execa('sh', ['-c', build], {
          cwd: wt,
          env: { ...env, CARGO_TARGET_DIR: targetDir },
          reject: false,
          all: true,
          detached: true,
          timeout: budget,
        });
        const killGroup = (signal: NodeJS.Signals) => {
          try {
            if (child.pid) process.kill(-child.pid, signal);
          } catch {
            // Already gone.
          }
        };
        const end = () => {
          killGroup('SIGTERM');
          setTimeout(() => killGroup('SIGKILL'), 5000).unref();
        };
        options.signal?.addEventListener('abort', end, { once: true });
        if (options.signal?.aborted) end();
        const timer = setTimeout(end, budget);
        const b = await child;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', end);
        await writeFile(join(dir, 'build.log'), `$ ${build}\n${b.all ?? ''}\n`);
        if (options.signal?.aborted) return step;
        const secs = ((performance.now() - t0) / 1000).toFixed(1);
        const built = isAbsolute(binarySpec) ? binarySpec : join(wt, binarySpec);
        if (b.exitCode !== 0 || !existsSync(built)) {
          const why = b.timedOut ? `timed out after ${secs}s` : b.exitCode !== 0 ? `exited ${b.exitCode ?? b.signal}` : `left no ${binarySpec}`;
          step.build = `build failed: ${why}: ${(b.all ?? '').trim().split('\n').slice(-2).join(' ').slice(0, 200)}`;
          out(`  skip: ${step.build} (${join(dir, 'build.log')})`);
          return step;
        }
        await copyFile(built, `${cached}.part`);
        await chmod(`${cached}.part`, 0o755);
        await rename(`${cached}.part`, cached);
        step.build = `built in ${secs}s`;
      }
      step.dir = dir;
      const { run } = await runMatrix({
        wgs: [cached],
        scenarios: options.scenarios,
        setups: [options.setup],
        repeat: options.repeat,
        jobs: 1,
        artifactsDir: dir,
        runArgs: options.runArgs,
        signal: options.signal,
        onLine: (l) => out(`  ${l}`),
      });
      step.run = run;
      step.lines = (await readFile(join(dir, 'lines.txt'), 'utf8').catch(() => '')).split('\n').filter((l) => /^(PASS|FAIL|SKIP)/.test(l));
      if (options.signal?.aborted) return step;
      step.mark = markOf(exitCodeFor(run, { bisect: true })) ?? 'skip';
      step.term = termOf(step.mark, options.terms);
      return step;
    };

    for (;;) {
      if (options.signal?.aborted) return result({ exitCode: EXIT.harness, error: 'stopped' });
      const state = parseBisectOutput(said);
      if (state.kind === 'found') {
        const first = { sha: state.sha, subject: await subjectOf(state.sha) };
        const parentSha = (await git(repo, ['rev-parse', '--verify', '--quiet', `${state.sha}^`])).stdout.trim();
        const parent = parentSha ? { sha: parentSha, subject: await subjectOf(parentSha) } : undefined;
        // The first new commit and its parent, each run once: the bisect may have concluded without running either.
        const stepOf = async (commit: string) => steps.find((s) => s.sha === commit && s.run) ?? (await test(commit, false));
        const after = await stepOf(state.sha);
        const before = parent ? await stepOf(parent.sha) : undefined;
        const difference = before?.run && after.run ? firstDifference(before.run, after.run) : undefined;
        const beforeName = options.terms ? `last ${options.terms.old}` : 'last good';
        const afterName = options.terms ? `first ${options.terms.new}` : 'first bad';
        out(`FIRST ${options.terms?.new ?? 'bad'} COMMIT ${state.sha} ${first.subject}`);
        if (difference) {
          out(`FIRST DIFFERENT MESSAGE ${difference.scenario} ${difference.index} ${JSON.stringify(difference.text)}`);
          for (const [name, s, m] of [
            [beforeName, before, difference.before],
            [afterName, after, difference.after],
          ] as const) {
            out(
              `  ${name} ${short(s?.sha ?? '')}: ${formatMessageLine({ name: difference.scenario, status: 'passed', findings: [], messages: [], durationMs: 0 }, m)}`,
            );
            const cause = formatCauseLine(m);
            if (cause) out(`  ${cause.trim()}`);
          }
        } else out(`no message's verdict differs between ${short(parent?.sha ?? '?')} and ${short(state.sha)} (see each step's lines)`);
        return result({ exitCode: EXIT.ok, first, parent, difference });
      }
      if (state.kind === 'skipped-only') {
        out(`INCONCLUSIVE: only skipped commits are left; the first ${options.terms?.new ?? 'bad'} commit is one of ${state.candidates.map(short).join(', ')}`);
        return result({ exitCode: EXIT.skipped, candidates: state.candidates });
      }
      const head = await gitOk(wt, ['rev-parse', 'HEAD']);
      const step = await test(head, true);
      if (options.signal?.aborted) return result({ exitCode: EXIT.harness, error: 'stopped' });
      out(`  => ${step.term} ${short(head)}`);
      const r = await git(wt, ['bisect', step.term, head]);
      if (r.exitCode !== 0 && !/only 'skip'ped commits/.test(r.all))
        throw new OptionError(`git bisect ${step.term} failed: ${r.all.trim().split('\n').slice(-3).join(' ')}`);
      said = r.all;
    }
  } finally {
    if (added) {
      await git(repo, ['worktree', 'remove', '--force', wt]);
      await git(repo, ['worktree', 'prune']);
    }
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Writes bisect.json and bisect.html into the result's folder. */
export async function writeBisectReports(result: BisectResult, options: Pick<BisectOptions, 'terms' | 'repo' | 'good' | 'bad'>): Promise<void> {
  const screens: Record<string, string> = {};
  const d = result.difference;
  for (const m of d ? [d.before, d.after] : [])
    for (const shot of [m.before, m.after])
      if (shot?.svg) {
        const file = resolve(m.dir, shot.svg);
        const svg = await readFile(file, 'utf8').catch(() => undefined);
        if (svg !== undefined) screens[file] = svg;
      }
  const steps = result.steps.map(({ run: _run, ...s }) => s);
  await writeFile(join(result.artifactsDir, 'bisect.json'), `${JSON.stringify({ ...result, steps }, null, 2)}\n`);
  await writeFile(join(result.artifactsDir, 'bisect.html'), renderBisectPage({ result, terms: options.terms, repo: options.repo, screens }));
}
