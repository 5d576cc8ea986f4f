import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstDifference, markOf, parseBisectOutput, parseTerms, runBisect, termOf, writeBisectReports, type BisectOptions } from '../../src/smoke/bisect.js';
import type { RunResult } from '../../src/report/model.js';
import { tempDir } from '../setup/temp.js';
import { captured } from '../setup/captured.js';

// `wg-tui-e2e bisect` over a tiny git repository made here: each commit's "build" copies one of two
// wg stand-ins into place (one whose chat replies, one whose chat shows an error), or fails like a
// broken build. A real git bisect, real smoke runs in child processes; the user's checkout is
// compared before and after (HEAD, status, worktrees, bisect refs).

vi.setConfig({ testTimeout: 180_000 });

const STAND_IN = fileURLToPath(new URL('../fixtures/wg-stand-in/stand-in.mjs', import.meta.url));
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }).trim();

/** The two "builds": wg stand-ins of the nex pane, replying or showing an error. */
async function standIns(dir: string, swap = false): Promise<string> {
  const fix = join(dir, 'fixtures');
  execFileSync('mkdir', ['-p', fix]);
  for (const [name, profile] of [
    ['replies', { extends: 'nex-pane' }],
    ['errors', { extends: 'nex-pane', tui: { modes: 'error' } }],
  ] as const) {
    const file = join(fix, `${name}.json`);
    await writeFile(file, JSON.stringify(profile));
    await writeFile(join(fix, `${name}.log`), '');
    const as = swap ? (name === 'replies' ? 'errors' : 'replies') : name;
    const wg = join(fix, `wg-${as}`);
    await writeFile(
      wg,
      `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(STAND_IN)} --profile ${quote(file)} --log ${quote(join(fix, `${name}.log`))} "$@"\n`,
    );
    await chmod(wg, 0o755);
  }
  return fix;
}

/** A repository whose commits c1…cN each say which build they are (`variant`); returns the commits' shas. */
function makeRepo(dir: string, variants: string[]): string[] {
  execFileSync('mkdir', ['-p', dir]);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'spec@example.invalid');
  git(dir, 'config', 'user.name', 'spec');
  return variants.map((v, i) => {
    execFileSync('sh', ['-c', `printf '%s\\n' ${quote(v)} > variant`], { cwd: dir });
    git(dir, 'add', 'variant');
    git(dir, 'commit', '-q', '--allow-empty', '-m', `c${i + 1}: ${v}`);
    return git(dir, 'rev-parse', 'HEAD');
  });
}

const BUILD = (fix: string) =>
  `v=$(cat variant); if [ "$v" = broken ]; then echo 'error[E0425]: cannot find value \`x\` in this scope' >&2; exit 101; fi; cp ${quote(fix)}/wg-$v wg`;

/** What bisect must not touch in the user's checkout. */
const userState = (repo: string) => ({
  head: git(repo, 'rev-parse', 'HEAD'),
  branch: git(repo, 'symbolic-ref', '-q', '--short', 'HEAD'),
  status: git(repo, 'status', '--porcelain'),
  worktrees: git(repo, 'worktree', 'list', '--porcelain'),
  bisectRefs: git(repo, 'for-each-ref', 'refs/bisect'),
  bisectLog: existsSync(join(repo, '.git', 'BISECT_LOG')),
});

const saved = { WG_E2E_CACHE: process.env.WG_E2E_CACHE };
let cache = '';
beforeEach(() => {
  cache = tempDir('bisect-cache-');
  process.env.WG_E2E_CACHE = cache;
});
afterEach(() => {
  if (saved.WG_E2E_CACHE === undefined) delete process.env.WG_E2E_CACHE;
  else process.env.WG_E2E_CACHE = saved.WG_E2E_CACHE;
});

const RUN_ARGS = ['--pace', 'instant', '--type-delay', '0', '--message', 'hi'];

function options(dir: string, repo: string, fix: string, extra: Partial<BisectOptions>): BisectOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    repo,
    good: '',
    bad: '',
    build: BUILD(fix),
    binary: 'wg',
    scenarios: ['nex-local'],
    setup: 'literal',
    repeat: 1,
    runArgs: RUN_ARGS,
    artifactsDir: join(dir, 'out'),
    env: { ...process.env, WG_E2E_CACHE: cache },
    out: (l) => void lines.push(l),
    lines,
    ...extra,
  };
}

describe('bisect over a repository of stand-in builds', () => {
  it('finds the first bad commit, skips the broken build, compares the message on both builds, and leaves the checkout as it was', async () => {
    const dir = tempDir('bisect-');
    const fix = await standIns(dir);
    const repo = join(dir, 'user-wg');
    const c = makeRepo(repo, ['replies', 'replies', 'broken', 'replies', 'errors', 'errors']);
    // The user's own state: on a branch, an older commit checked out, a change not committed.
    git(repo, 'checkout', '-q', '-b', 'mine', c[1] as string);
    await writeFile(join(repo, 'variant'), 'my own edit\n');
    const before = userState(repo);

    const opts = options(dir, repo, fix, { good: c[0], bad: (c[5] as string).slice(0, 8) });
    const result = await runBisect(opts);
    await writeBisectReports(result, opts);

    expect(userState(repo)).toEqual(before);
    expect(result.exitCode).toBe(0);
    expect(result.first).toEqual({ sha: c[4], subject: 'c5: errors' });
    expect(result.parent).toEqual({ sha: c[3], subject: 'c4: replies' });
    // The broken build was a step, skipped with the build's own words; the others were marked by the smoke.
    const broken = result.steps.find((s) => s.sha === c[2]);
    expect(broken).toMatchObject({ mark: 'skip', term: 'skip', bisected: true });
    expect(broken?.build).toMatch(/^build failed: exited 101: error\[E0425\]/);
    for (const s of result.steps.filter((s) => s.sha !== c[2])) {
      const variant = ['replies', 'replies', 'broken', 'replies', 'errors', 'errors'][c.indexOf(s.sha)];
      expect(s.mark).toBe(variant === 'replies' ? 'pass' : 'fail');
      expect(s.lines).toEqual([
        expect.stringMatching(variant === 'replies' ? /^PASS nex-local@wg-\w+ 1\/1 "hi" replied/ : /^FAIL nex-local@wg-\w+ 1\/1 "hi" error-shown/),
      ]);
    }
    // Each commit built once, its binary in the cache by commit.
    const bins = readdirSync(join(cache, 'bisect-bins'))
      .flatMap((d) => readdirSync(join(cache, 'bisect-bins', d)))
      .sort();
    expect(bins).toEqual([...new Set(result.steps.filter((s) => s.mark !== 'skip').map((s) => `wg-${s.sha.slice(0, 12)}`))].sort());

    expect(result.difference).toMatchObject({ scenario: 'nex-local', index: 1, text: 'hi', before: { verdict: 'replied' }, after: { verdict: 'error-shown' } });
    expect(opts.lines).toContain(`FIRST bad COMMIT ${c[4]} c5: errors`);
    expect(opts.lines).toContain('FIRST DIFFERENT MESSAGE nex-local 1 "hi"');
    expect(opts.lines.some((l) => /^ {2}last good \w+: PASS nex-local 1\/1 "hi" replied/.test(l))).toBe(true);
    expect(opts.lines.some((l) => /^ {2}first bad \w+: FAIL nex-local 1\/1 "hi" error-shown/.test(l))).toBe(true);
    expect(opts.lines.some((l) => /^ {2}cause: app — /.test(l))).toBe(true);

    const html = readFileSync(join(dir, 'out', 'bisect.html'), 'utf8');
    expect(html).toContain(`first bad commit: <code>${c[4]}</code> c5: errors`);
    // Side by side, aligned at the message's marker: each build's screen as the message was typed,
    // then at its verdict: the reply on the good build, the error on the bad one.
    expect((html.match(/<figure class="screen">/g) ?? []).length).toBe(4);
    expect(html).toMatch(
      /last good \w+: replied: as message 1 was typed[\s\S]*<svg[\s\S]*last good \w+: replied: at the verdict, [\d.]+ s after Enter[\s\S]*<svg[\s\S]*first bad \w+: error-shown: as message 1 was typed[\s\S]*<svg[\s\S]*first bad \w+: error-shown: at the verdict/,
    );
    expect(html).toContain('Error: API request failed');
    for (const s of result.steps) expect(html).toContain(s.sha.slice(0, 10));
    const json = JSON.parse(readFileSync(join(dir, 'out', 'bisect.json'), 'utf8')) as { first: { sha: string } };
    expect(json.first.sha).toBe(c[4]);

    // Again, the same recipe with its fixtures gone: every binary comes from the cache, nothing is built.
    for (const v of ['replies', 'errors']) renameSync(join(fix, `wg-${v}`), join(fix, `gone-${v}`));
    const again = options(dir, repo, fix, { good: c[0], bad: c[5], artifactsDir: join(dir, 'again') });
    const second = await runBisect(again);
    expect(second.first?.sha, again.lines.join('\n')).toBe(c[4]);
    expect(second.steps.filter((s) => s.mark !== 'skip').every((s) => s.build === 'cached')).toBe(true);
    expect(userState(repo)).toEqual(before);
  });

  it('with --terms fixed,broken finds the first fixed commit: the smoke passes on the new term', async () => {
    const dir = tempDir('bisect-');
    // Swapped: `replies` commits get the build whose chat errors, so the older commits are broken.
    const fix = await standIns(dir, true);
    const repo = join(dir, 'user-wg');
    const c = makeRepo(repo, ['replies', 'replies', 'replies', 'errors', 'errors']);
    const before = userState(repo);
    const opts = options(dir, repo, fix, { good: c[4], bad: c[0], terms: parseTerms('fixed,broken') });
    const result = await runBisect(opts);
    expect(userState(repo)).toEqual(before);
    expect(result.first).toEqual({ sha: c[3], subject: 'c4: errors' });
    expect(result.steps.every((s) => s.term === (s.mark === 'pass' ? 'fixed' : 'broken'))).toBe(true);
    expect(opts.lines).toContain(`FIRST fixed COMMIT ${c[3]} c4: errors`);
    expect(result.difference).toMatchObject({ before: { verdict: 'error-shown' }, after: { verdict: 'replied' } });
  });

  it('a build that cannot be set up is skipped, and with only skipped commits left the bisect is inconclusive (exit 2), naming the candidates', async () => {
    const dir = tempDir('bisect-');
    const fix = await standIns(dir);
    // A "build" whose wg does not run: the smoke's setup fails (125 under --bisect).
    await writeFile(join(fix, 'wg-dud'), '#!/bin/sh\necho "wg: cannot execute: Exec format error" >&2\nexit 126\n');
    await chmod(join(fix, 'wg-dud'), 0o755);
    const repo = join(dir, 'user-wg');
    const c = makeRepo(repo, ['replies', 'dud', 'errors']);
    const opts = options(dir, repo, fix, { good: c[0], bad: c[2] });
    const result = await runBisect(opts);
    expect(result.steps).toEqual([expect.objectContaining({ sha: c[1], mark: 'skip', term: 'skip', bisected: true })]);
    expect(result.steps[0]?.lines).toEqual([expect.stringMatching(/^FAIL nex-local@wg-\w+ setup: wg at .* does not run/)]);
    expect(result.exitCode).toBe(2);
    expect(result.first).toBeUndefined();
    expect(new Set(result.candidates)).toEqual(new Set([c[1], c[2]]));
    await writeBisectReports(result, opts);
    expect(readFileSync(join(dir, 'out', 'bisect.html'), 'utf8')).toContain(`inconclusive: only skipped commits left; the first bad commit is one of`);
    expect(opts.lines.at(-1)).toMatch(/^INCONCLUSIVE: only skipped commits are left; the first bad commit is one of /);
  });

  it('stopped in the middle (Ctrl-C), removes its worktree and leaves the checkout as it was', async () => {
    const dir = tempDir('bisect-');
    const fix = await standIns(dir);
    const repo = join(dir, 'user-wg');
    const c = makeRepo(repo, ['replies', 'replies', 'replies', 'errors', 'errors']);
    const before = userState(repo);
    const stop = new AbortController();
    const opts = options(dir, repo, fix, { good: c[0], bad: c[4], signal: stop.signal });
    const out = opts.out!;
    opts.out = (l) => {
      out(l);
      if (/^ {2}\[wg-\w+ nex-local\] /.test(l) || l.startsWith('STEP 1')) setTimeout(() => stop.abort(), 300);
    };
    const result = await runBisect(opts);
    expect(result.error).toBe('stopped');
    expect(result.exitCode).toBe(3);
    expect(userState(repo)).toEqual(before);
    expect(readdirSync(join(repo, '.git')).includes('worktrees') ? readdirSync(join(repo, '.git', 'worktrees')) : []).toEqual([]);
  });

  it('stopped during a build, ends the whole build (its children too) at once and removes its worktree', async () => {
    const dir = tempDir('bisect-');
    const repo = join(dir, 'user-wg');
    const c = makeRepo(repo, ['replies', 'replies', 'errors']);
    const before = userState(repo);
    const stop = new AbortController();
    const opts = options(dir, repo, dir, { good: c[0], bad: c[2], build: 'sleep 60 & wait; cp nothing wg', signal: stop.signal });
    opts.out = (l) => void (l.startsWith('STEP 1') && setTimeout(() => stop.abort(), 500));
    const t0 = performance.now();
    const result = await runBisect(opts);
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(result.error).toBe('stopped');
    expect(userState(repo)).toEqual(before);
    // (no-leaks fails the file if the build's `sleep` outlived it)
  });

  it('refuses what is not a checkout, a commit that does not exist, and bad terms, before touching anything', async () => {
    const dir = tempDir('bisect-');
    const repo = join(dir, 'user-wg');
    const c = makeRepo(repo, ['replies', 'errors']);
    const base = options(dir, repo, dir, { good: c[0], bad: c[1] });
    await expect(runBisect({ ...base, repo: dir })).rejects.toThrow(/not a git checkout/);
    await expect(runBisect({ ...base, good: 'nope' })).rejects.toThrow(/--good nope: no such commit/);
    expect(() => parseTerms('fixed')).toThrow(/NEW,OLD/);
    expect(() => parseTerms('good,bad')).toThrow(/NEW,OLD/);
    expect(git(repo, 'worktree', 'list', '--porcelain').split('\n\n')).toHaveLength(1);
  });
});

describe('bisect, its pieces', () => {
  it("reads git bisect's answers", () => {
    const sha = 'a'.repeat(40);
    expect(parseBisectOutput(`${sha} is the first bad commit\ncommit ${sha}\n`)).toEqual({ kind: 'found', sha });
    expect(parseBisectOutput(`${sha} is the first fixed commit\n`)).toEqual({ kind: 'found', sha });
    expect(
      parseBisectOutput(
        `There are only 'skip'ped commits left to test.\nThe first bad commit could be any of:\n${sha}\n${'b'.repeat(40)}\nWe cannot bisect more!\n`,
      ),
    ).toEqual({
      kind: 'skipped-only',
      candidates: [sha, 'b'.repeat(40)],
    });
    expect(parseBisectOutput('Bisecting: 2 revisions left to test after this (roughly 1 step)\n[abc] c3\n')).toEqual({ kind: 'next' });
  });

  it('marks by the smoke exit, the terms flipping which state passes', () => {
    expect([0, 1, 125, 3, 130].map(markOf)).toEqual(['pass', 'fail', 'skip', undefined, undefined]);
    expect([termOf('pass'), termOf('fail'), termOf('skip')]).toEqual(['good', 'bad', 'skip']);
    const terms = parseTerms('fixed,broken');
    expect([termOf('pass', terms), termOf('fail', terms)]).toEqual(['fixed', 'broken']);
  });

  it('pairs messages by scenario and index, whatever build a matrix named them after', () => {
    const run = (name: string, verdicts: string[]): RunResult => ({
      startedAt: '',
      durationMs: 0,
      scenarios: [
        {
          name: `nex-local@${name}`,
          status: 'failed',
          findings: [],
          durationMs: 0,
          messages: verdicts.map((v, i) => ({
            scenario: `nex-local@${name}`,
            index: i + 1,
            total: verdicts.length,
            text: `m${i + 1}`,
            verdict: v as 'replied',
            passed: v === 'replied',
            signal: '',
            retries: [],
          })),
        },
      ],
    });
    expect(firstDifference(run('wg-a', ['replied', 'replied']), run('wg-b', ['replied', 'no-reply']))).toMatchObject({ index: 2, text: 'm2' });
    expect(firstDifference(run('wg-a', ['replied']), run('wg-b', ['replied']))).toBeUndefined();
  });
});

describe('the bisect command line', () => {
  it('answers --help with its usage and exit codes, and refuses what it cannot do before starting (exit 3, one line)', async () => {
    const { main } = await import('../../src/cli.js');
    const help = await captured(process.stdout, () => main(['bisect', '--help']));
    expect(help.value).toBe(0);
    expect(help.text).toContain('Exit codes: 0 the commit was found; 2 inconclusive');
    const dir = tempDir('bisect-');
    const repo = join(dir, 'user-wg');
    const c = makeRepo(repo, ['replies', 'errors']);
    const base = ['bisect', '--repo', repo, '--good', c[0] as string, '--bad', c[1] as string, '--artifacts', join(dir, 'out')];
    for (const [args, words] of [
      [['bisect', '--repo', repo, '--good', c[0] as string], /^wg-tui-e2e: bisect needs --bad; see wg-tui-e2e bisect --help\n$/],
      [[...base, '--wg', '/bin/true'], /^wg-tui-e2e: --wg is not for bisect: each step builds its own wg/],
      [[...base, '--terms', 'fixed'], /^wg-tui-e2e: --terms fixed: NEW,OLD/],
      [[...base, '--scenario', 'nope'], /^wg-tui-e2e: --scenario nope: one of /],
      [[...base, '--repeat', '0'], /^wg-tui-e2e: --repeat 0: a whole number/],
      [[...base, '--bad', 'no-such-rev'], /^wg-tui-e2e: --bad no-such-rev: no such commit/],
    ] as const) {
      const r = await captured(process.stderr, () => main([...args]));
      expect(r.value, args.join(' ')).toBe(3);
      expect(r.text).toMatch(words);
    }
    expect(git(repo, 'worktree', 'list', '--porcelain').split('\n\n')).toHaveLength(1);
  });

  it('runs end to end: two adjacent commits, no bisect step, both run to compare; the lines, exit 0 and bisect.html', async () => {
    const { main } = await import('../../src/cli.js');
    const dir = tempDir('bisect-');
    const fix = await standIns(dir);
    const repo = join(dir, 'user-wg');
    const c = makeRepo(repo, ['replies', 'errors']);
    const before = userState(repo);
    const args = ['bisect', '--repo', repo, '--good', c[0] as string, '--bad', c[1] as string, '--build', BUILD(fix), '--binary', 'wg'];
    const r = await captured(process.stdout, () => main([...args, '--artifacts', join(dir, 'out'), ...RUN_ARGS]));
    expect(r.value, r.text).toBe(0);
    const lines = r.text.split('\n');
    expect(lines.filter((l) => /^(STEP|COMPARE|FIRST)/.test(l))).toEqual([
      `COMPARE 1 ${c[1]?.slice(0, 10)} c2: errors`,
      `COMPARE 2 ${c[0]?.slice(0, 10)} c1: replies`,
      `FIRST bad COMMIT ${c[1]} c2: errors`,
      'FIRST DIFFERENT MESSAGE nex-local 1 "hi"',
    ]);
    expect(lines.at(-2)).toMatch(/^bisect: 0 steps \(and 2 commits run to compare\) in [\d.]+s; .*\/out\/bisect\.html$/);
    expect(existsSync(join(dir, 'out', 'bisect.html'))).toBe(true);
    expect(userState(repo)).toEqual(before);
  });
});
