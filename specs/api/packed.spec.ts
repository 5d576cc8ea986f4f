import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../setup/fake-registry.js';
import { tempDir } from '../setup/temp.js';

// What a wg checkout gets from `npm pack`: the tarball installed into a fresh project (with its own
// vitest, from the npm cache or the registry), and a spec of that project, written against the
// package's public API only, run there against the fixture chat TUI; then its command, `npx
// wg-tui-e2e` (run, install, doctor, replay), with no network.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/fake-chat-tui.mjs', import.meta.url));
const VITEST_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules/vitest/package.json'), 'utf8')) as { version: string }).version;

const EXAMPLE_SPEC = `import { afterEach, expect, it } from 'vitest';
import { TerminalSession, detectorFor, endpointOracle, installMatchers, runTurn, startEndpoint } from 'wg-tui-e2e';

installMatchers(expect);
const cleanups = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

it('a chat TUI answers hi, judged by the nex-pane detector against the strict endpoint', async () => {
  const endpoint = await startEndpoint({ replies: 'echo', chunkDelayMs: 1 });
  cleanups.push(() => endpoint.close());
  const session = await TerminalSession.spawn({ file: process.execPath, args: ['fake-chat-tui.mjs', '--style', 'nex', '--endpoint', endpoint.baseUrl], cols: 120, rows: 30 });
  cleanups.push(() => session.dispose({ killLeaked: true }));
  await session.waitForText('> █', { timeoutMs: 10_000 });
  const result = await runTurn({ session, detector: detectorFor('nex-pane'), scenario: 'consumer', turn: { text: 'hi', index: 1 }, total: 1,
    budgetMs: 5000, typeDelayMs: 0, writeScreen: async () => undefined, oracle: endpointOracle(endpoint) });
  expect(result).toHaveReplied();
  expect(session).toShowText('Reply 1 to: hi');
});
`;

describe('the packed package', () => {
  it('installs into a fresh project and runs a spec written against its public API', async () => {
    const work = tempDir('wg-e2e-pack-');
    // dist/ as `npm ci` (prepare) or `npm run build` left it: packing without scripts does not rebuild
    // it under the feet of specs running beside this one.
    const pack = await execa('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], { cwd: ROOT });
    const tarball = join(work, pack.stdout.trim().split('\n').at(-1) as string);
    const project = join(work, 'consumer');
    await execa('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' })}\n`);
    // Scripts skipped: node-pty's compile; the prebuilt @lydell/node-pty needs none.
    await execa('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball, `vitest@${VITEST_VERSION}`], { cwd: project });
    copyFileSync(FIXTURE, join(project, 'fake-chat-tui.mjs'));
    writeFileSync(join(project, 'consumer.spec.js'), EXAMPLE_SPEC);
    const run = await execa('npx', ['vitest', 'run', '--root', project], { cwd: project, reject: false, env: { CI: '1' } });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/1 passed/);
    await commandsFromThePackage(project, work);
  }, 240_000);
});

// `npx wg-tui-e2e` from the installed package, with no wg, no Pi, no claude and no network: every
// command loads from the packed dist/ and answers as it does in a checkout.
async function commandsFromThePackage(project: string, work: string): Promise<void> {
  const cache = join(work, 'cache');
  const closed = await closedPort();
  const env = {
    // node and npm only: no wg, pi or claude on PATH.
    PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: join(work, 'home'),
    TMPDIR: tmpdir(),
    WG_BIN: '',
    WG_E2E_CACHE: cache,
    npm_config_registry: `http://127.0.0.1:${closed}/`,
    npm_config_cache: join(work, 'npm-cache'),
  };
  const npx = (...args: string[]) => execa('npx', ['--no-install', 'wg-tui-e2e', ...args], { cwd: project, reject: false, env, extendEnv: false });

  for (const command of ['run', 'install', 'doctor', 'replay']) {
    const help = await npx(command, '--help');
    expect(help.exitCode, `${command} --help: ${help.stderr}`).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`wg-tui-e2e ${command === 'run' ? '—' : command}`));
  }
  const doctor = await npx('doctor');
  expect(doctor.exitCode).toBe(3);
  expect(doctor.stdout).toMatch(/^MISSING wg/m);
  expect(doctor.stdout).toMatch(/^absent {2}claude +missing — npx wg-tui-e2e install claude /m);

  const install = await npx('install', 'pi');
  expect(install.exitCode).toBe(3);
  expect(install.stderr.trim().split('\n')).toEqual([
    `INSTALL FAILED — @earendil-works/pi-coding-agent@0.80.6: the npm registry cannot be reached (http://127.0.0.1:${closed}: ECONNREFUSED); nothing was installed`,
  ]);

  const replay = await npx('replay', join(ROOT, 'snapshots/real-wg/wg-4ad9da75/nex-local'), '--at', 'msg-1');
  expect(replay.exitCode, replay.stderr).toBe(0);
  expect(replay.stdout).toMatch(/^--- screen at msg-1/);

  const smoke = await npx('run', '--scenario', 'nex-local', '--wg', join(work, 'no-wg'), '--artifacts', join(work, 'artifacts'));
  expect(smoke.exitCode).toBe(3);
  expect(`${smoke.stdout}${smoke.stderr}`).toMatch(/wg not found/);
}
