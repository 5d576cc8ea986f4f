import { access, chmod, constants, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { execa } from 'execa';
import { currentLink, launcherIn, readStamp, STAMP, versionDir, type InstallStamp, type Tool } from './cache.js';
import { checkOnRegistry, InstallError, npm } from './npm.js';

// One tool at one exact version into the cache, the way a person would by hand, without the
// mistakes the README used to warn about: Pi and its three sibling packages all at exactly the
// same version (Pi's own dependency on them is a caret range, which would pull a newer sibling that
// breaks it), Node 22 for Pi from the npm package that ships a node binary, and the `pi` launcher
// that runs Pi's CLI with that node. A version already installed is reused.

/** The Node that runs Pi (Pi 0.80 needs >= 22.19): `node-<platform>-<arch>` ships its binary. */
export const NODE_VERSION = '22.23.5';
/** The claude CLI's version where none is asked for: the one the harness was checked with. */
export const DEFAULT_CLAUDE_VERSION = '2.1.332';
const PI = '@earendil-works/pi-coding-agent';
const PI_SIBLINGS = ['@earendil-works/pi-ai', '@earendil-works/pi-agent-core', '@earendil-works/pi-tui'];
const CLAUDE = '@anthropic-ai/claude-code';

export const nodePackage = (): string => `node-${process.platform}-${process.arch}`;

/** The npm packages of an install, each at its exact version. */
export function packagesFor(tool: Tool, version: string): Record<string, string> {
  if (tool === 'claude') return { [CLAUDE]: version };
  const entries: Array<[string, string]> = [...[PI, ...PI_SIBLINGS].map((p): [string, string] => [p, version]), [nodePackage(), NODE_VERSION]];
  return Object.fromEntries(entries);
}

export interface Installed {
  tool: Tool;
  version: string;
  dir: string;
  /** The command: Pi's launcher, or the claude CLI. */
  command: string;
  /** A version present before was reused; nothing was downloaded. */
  reused: boolean;
  /** What the command said of itself (`--version`). */
  says: string;
  seconds: number;
}

/** Installs `tool` at `version` into `root`, or reuses it there; throws InstallError with one line. */
export interface InstallOptions {
  /** Said once before a real install (not when a version present is reused). */
  onInstalling?: (dir: string) => void;
  /** Variables for npm on top of ours (its registry, cache). */
  env?: NodeJS.ProcessEnv;
}

export async function install(root: string, tool: Tool, version: string, options: InstallOptions = {}): Promise<Installed> {
  const started = performance.now();
  const dir = versionDir(root, tool, version);
  const command = launcherIn(dir, tool);
  const done = async (reused: boolean, says: string): Promise<Installed> => {
    await pointCurrent(root, tool, command);
    return { tool, version, dir, command, reused, says, seconds: (performance.now() - started) / 1000 };
  };
  if (await readStamp(root, tool, version)) {
    const says = await versionSaid(tool, command, version).catch(() => undefined);
    if (says) return done(true, says);
  }
  options.onInstalling?.(dir);
  await mkdir(dirname(dir), { recursive: true });
  const packages = packagesFor(tool, version);
  await checkOnRegistry(`${tool === 'pi' ? PI : CLAUDE}@${version}`, dirname(dir), options.env);
  // Into a scratch folder beside the final one, moved in place whole: an install cut short never
  // looks finished, and two installs at once do not mix their files.
  const scratch = await mkdtemp(join(dirname(dir), `.${version}-`));
  await chmod(scratch, 0o755); // mkdtemp's 0700 would hide the tools from other users
  try {
    await writeFile(join(scratch, 'package.json'), `${JSON.stringify({ name: `wg-tui-e2e-${tool}`, private: true, dependencies: packages }, null, 2)}\n`);
    // Pi as wg's README installs it (no scripts); claude's postinstall puts its native binary in place.
    await npm(['install', '--save-exact', '--loglevel=error', ...(tool === 'pi' ? ['--ignore-scripts'] : [])], {
      cwd: scratch,
      what: `${tool} ${version}`,
      env: options.env,
    });
    await writeCommand(scratch, dir, tool);
    await rm(dir, { recursive: true, force: true }); // a folder with no stamp: an earlier install cut short
    await rename(scratch, dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      throw new InstallError(`${tool} ${version}: another install wrote ${dir} at the same time; run this again to reuse it`);
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const says = await versionSaid(tool, command, version).catch(async (error: Error) => {
    await rm(dir, { recursive: true, force: true });
    throw new InstallError(`${tool} ${version} was installed but does not run: ${error.message}`);
  });
  const stamp: InstallStamp = { tool, version, packages, installedAt: new Date().toISOString() };
  await writeFile(join(dir, STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
  return done(false, says);
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

// Pi: a launcher running Pi's CLI (its package.json `bin`) with the Node 22 of the same install,
// by absolute path, so it works from any PATH and as a link in wg's private bin/. claude: a link
// to the CLI npm linked (a native binary since 2.1).
async function writeCommand(scratch: string, dir: string, tool: Tool): Promise<void> {
  await mkdir(join(scratch, 'bin'));
  if (tool === 'claude') {
    await symlink(join('..', 'node_modules', '.bin', 'claude'), join(scratch, 'bin', 'claude'));
    return;
  }
  const pkg = JSON.parse(await readFile(join(scratch, 'node_modules', PI, 'package.json'), 'utf8')) as { bin?: Record<string, string> | string };
  const cli = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.pi;
  if (!cli) throw new InstallError(`${PI} names no \`pi\` command in its package.json`);
  const node = join(dir, 'node_modules', nodePackage(), 'bin', 'node');
  await access(join(scratch, 'node_modules', nodePackage(), 'bin', 'node'), constants.X_OK).catch(() => {
    throw new InstallError(`${nodePackage()}@${NODE_VERSION} has no bin/node`);
  });
  const text = `#!/bin/sh\n# Pi on Node ${NODE_VERSION}, written by \`wg-tui-e2e install pi\`.\nexec ${shellQuote(node)} ${shellQuote(join(dir, 'node_modules', PI, cli))} "$@"\n`;
  await writeFile(join(scratch, 'bin', 'pi'), text, { mode: 0o755 });
}

/** What `COMMAND --version` prints, when it names `version`. */
async function versionSaid(tool: Tool, command: string, version: string): Promise<string> {
  // PI_OFFLINE: Pi looks for updates on start otherwise.
  const result = await execa(command, ['--version'], { reject: false, timeout: 60_000, stdin: 'ignore', env: { PI_OFFLINE: '1', DISABLE_AUTOUPDATER: '1' } });
  const says = (result.stdout || result.stderr).trim().split('\n')[0] ?? '';
  if (result.exitCode !== 0 || !says.includes(version))
    throw new Error(
      `\`${tool} --version\` ${result.exitCode === 0 ? `says "${says}", not ${version}` : `exited ${result.exitCode ?? result.signal}: ${says}`}`,
    );
  return says;
}

// <cache>/bin/<tool> → the version just installed or reused, replaced in one step.
async function pointCurrent(root: string, tool: Tool, command: string): Promise<void> {
  const link = currentLink(root, tool);
  await mkdir(dirname(link), { recursive: true });
  const next = `${link}.${process.pid}`;
  await rm(next, { force: true });
  await symlink(relative(dirname(link), command), next);
  await rename(next, link);
}
