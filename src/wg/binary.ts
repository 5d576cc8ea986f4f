import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { execa } from 'execa';
import { SetupError } from '../errors.js';
import { findOnPath } from '../terminal/spawn-target.js';

/** The wg under test, as found. */
export interface WgBinary {
  /** Absolute, symlinks resolved: the file that will run. */
  path: string;
  /** Where it came from: `--wg`, `WG_BIN` or `PATH`. */
  source: '--wg' | 'WG_BIN' | 'PATH';
  version: string;
  /** sha256 of the binary: wg prints no commit, so this is what identifies a build. */
  sha256: string;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

// Looks a bare command name up on PATH, as a shell would.
// (The one PATH search is the terminal's, which spawns by it too.)
export function whichOnPath(name: string, pathEnv = process.env.PATH ?? ''): Promise<string | undefined> {
  return Promise.resolve(findOnPath(name, pathEnv));
}

function sha256Of(file: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', fail)
      .on('end', () => done(hash.digest('hex')));
  });
}

// Finds wg: `--wg` first, then `WG_BIN`, then `PATH`. Throws SetupError naming what was tried.
export async function findWg(options: { flag?: string; env?: NodeJS.ProcessEnv } = {}): Promise<WgBinary> {
  const env = options.env ?? process.env;
  const tried: string[] = [];
  let found: { file: string; source: WgBinary['source'] } | undefined;
  for (const [source, value] of [
    ['--wg', options.flag],
    ['WG_BIN', env.WG_BIN],
  ] as const) {
    if (!value) continue;
    const file = isAbsolute(value) || value.includes('/') ? resolve(value) : await whichOnPath(value, env.PATH);
    if (file && (await isExecutable(file))) {
      found = { file, source };
      break;
    }
    // An explicit choice that does not work is an error, never a silent fall-through to PATH.
    throw new SetupError(`wg not found: ${source}=${value} is not an executable file`);
  }
  if (!found) {
    const onPath = await whichOnPath('wg', env.PATH);
    tried.push('--wg (unset)', 'WG_BIN (unset)', 'PATH');
    if (!onPath) {
      throw new SetupError(`wg not found: tried ${tried.join(', ')}. Install wg as its own README says, or pass --wg /path/to/wg or set WG_BIN.`);
    }
    found = { file: onPath, source: 'PATH' };
  }
  const path = await realpath(found.file);
  const result = await execa(path, ['--version'], { reject: false, timeout: 10_000, stdin: 'ignore' });
  if (result.exitCode !== 0) {
    throw new SetupError(`wg at ${path} does not run: \`wg --version\` exited ${result.exitCode ?? result.signal}: ${result.stderr.trim().slice(0, 300)}`);
  }
  return { path, source: found.source, version: result.stdout.trim(), sha256: await sha256Of(path) };
}
