import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInstall } from '../../src/install/command.js';
import { NODE_VERSION, nodePackage } from '../../src/install/install.js';
import { closedPort, startFakeRegistry, type FakeRegistry } from '../setup/fake-registry.js';
import { tempDir } from '../setup/temp.js';

// `wg-tui-e2e install` against a registry on loopback that serves small stand-ins of the real
// packages: Pi and its siblings, where a newer sibling (0.80.7) is the registry's latest, as it
// happens on the real one; the Node package; the claude CLI. npm itself does the installing.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PI = '@earendil-works/pi-coding-agent';
const SIBLINGS = ['@earendil-works/pi-ai', '@earendil-works/pi-agent-core', '@earendil-works/pi-tui'];

// Pi's CLI says its version, and whether it runs on the Node of the install (the stand-in node sets FAKE_NODE).
const PI_CLI = `console.log('0.80.6' + (process.env.FAKE_NODE ? ' on the packaged node' : ' on some other node'));\n`;

let registry: FakeRegistry;
let dir: string;
const lines: { out: string[]; err: string[] } = { out: [], err: [] };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wg-e2e-install-'));
  registry = await startFakeRegistry(join(dir, 'registry'), [
    ...SIBLINGS.map((name) => ({ name, version: '0.80.6', files: { 'index.js': '' } })),
    {
      name: PI,
      version: '0.80.6',
      files: { 'dist/cli.js': PI_CLI },
      bin: { pi: 'dist/cli.js' },
      dependencies: Object.fromEntries(SIBLINGS.map((s) => [s, '^0.80.6'])),
    },
    ...SIBLINGS.map((name) => ({ name, version: '0.80.7', files: { 'index.js': '' } })),
    {
      name: nodePackage(),
      version: NODE_VERSION,
      files: { 'bin/node': `#!/bin/sh\nFAKE_NODE=1 exec '${process.execPath}' "$@"\n` },
      executable: ['bin/node'],
    },
    {
      name: '@anthropic-ai/claude-code',
      version: '2.1.332',
      files: { 'bin/claude.exe': '#!/bin/sh\necho "2.1.332 (Claude Code)"\n' },
      bin: { claude: 'bin/claude.exe' },
      executable: ['bin/claude.exe'],
    },
  ]);
});
afterAll(async () => {
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

const npmEnv = (registryUrl: string) => ({
  npm_config_registry: `${registryUrl}/`,
  npm_config_cache: join(dir, 'npm-cache'),
  npm_config_prefer_online: 'true',
});
const run = (what: 'pi' | 'claude' | 'all', registryUrl: string, extra: { version?: string } = {}) =>
  runInstall({
    what,
    ...extra,
    wg: undefined,
    env: { ...process.env, WG_E2E_CACHE: join(dir, 'cache'), WG_BIN: '', PATH: '/usr/bin:/bin', ...npmEnv(registryUrl) },
    out: (l) => void lines.out.push(l),
    err: (l) => void lines.err.push(l),
  });

describe('install', () => {
  it('installs Pi with its siblings at exactly its version, on the packaged Node, and the claude CLI', async () => {
    expect(await run('all', registry.url)).toBe(0);
    expect(lines.err).toEqual([]);
    const cache = join(dir, 'cache');
    expect(lines.out.find((l) => l.startsWith('INSTALLED pi 0.80.6'))).toMatch(/says 0\.80\.6 on the packaged node\)$/);
    expect(lines.out.find((l) => l.startsWith('INSTALLED claude 2.1.332'))).toContain('says 2.1.332 (Claude Code)');
    // The caret range Pi itself declares would have taken 0.80.7, the registry's latest.
    for (const sibling of SIBLINGS) {
      const installed = JSON.parse(readFileSync(join(cache, 'pi/0.80.6/node_modules', sibling, 'package.json'), 'utf8')) as { version: string };
      expect(installed.version, sibling).toBe('0.80.6');
    }
    expect(registry.requests.filter((r) => r.endsWith('.tgz') && r.includes('0.80.7'))).toEqual([]);
    // The launcher, found by a run through the cache's bin/ as well.
    const launcher = readFileSync(join(cache, 'pi/0.80.6/bin/pi'), 'utf8');
    expect(launcher).toContain(join(cache, 'pi/0.80.6/node_modules', nodePackage(), 'bin/node'));
    expect((await execa(join(cache, 'bin/pi'), ['--version'])).stdout).toBe('0.80.6 on the packaged node');
    expect((await execa(join(cache, 'bin/claude'), ['--version'])).stdout).toBe('2.1.332 (Claude Code)');
    expect(readdirSync(join(cache, 'pi'))).toEqual(['0.80.6']); // no scratch folder left
  }, 120_000);

  it('reuses what is installed, and says so, without asking the registry anything', async () => {
    lines.out.length = 0;
    const before = registry.requests.length;
    const closed = `http://127.0.0.1:${await closedPort()}`;
    expect(await run('all', closed)).toBe(0);
    expect(lines.out.filter((l) => l.startsWith('REUSED'))).toHaveLength(2);
    expect(lines.out[0]).toMatch(/^REUSED {4}pi 0\.80\.6: already installed in .*, nothing downloaded/);
    expect(registry.requests.length).toBe(before);
  });

  it('says in one line when a version is not on the registry, and installs nothing', async () => {
    lines.err.length = 0;
    expect(await run('pi', registry.url, { version: '0.99.0' })).toBe(3);
    expect(lines.err).toHaveLength(1);
    expect(lines.err[0]).toMatch(/^INSTALL FAILED — @earendil-works\/pi-coding-agent@0\.99\.0: not on the npm registry/);
    expect(existsSync(join(dir, 'cache/pi/0.99.0'))).toBe(false);
  }, 60_000);

  it('refuses a range, and --version with all', async () => {
    await expect(run('pi', registry.url, { version: '^0.80.6' })).rejects.toThrow(/an exact version/);
    await expect(run('all', registry.url, { version: '0.80.6' })).rejects.toThrow(/one tool/);
  });
});

describe('install with the registry out of reach', () => {
  it('is one loud line on stderr and exit 3, and leaves nothing behind', async () => {
    const cache = tempDir('wg-e2e-install-down-');
    const port = await closedPort();
    const cli = await execa(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        "const { main } = await import('./src/cli.ts'); process.exitCode = await main(process.argv.slice(1));",
        'install',
        'pi',
      ],
      {
        cwd: ROOT,
        reject: false,
        env: { WG_E2E_CACHE: cache, WG_BIN: '', npm_config_registry: `http://127.0.0.1:${port}/`, npm_config_cache: join(cache, 'npm-cache') },
      },
    );
    expect(cli.exitCode).toBe(3);
    expect(cli.stderr.trim().split('\n')).toEqual([
      `INSTALL FAILED — @earendil-works/pi-coding-agent@0.80.6: the npm registry cannot be reached (http://127.0.0.1:${port}: ECONNREFUSED); nothing was installed`,
    ]);
    expect(cli.stdout).not.toMatch(/INSTALLED/);
    expect(existsSync(join(cache, 'pi/0.80.6'))).toBe(false);
  }, 60_000);
});
