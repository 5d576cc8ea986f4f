// Resolves the program before spawning, so a bad path is a clear SpawnError, not a pty oddity.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { SpawnError } from './errors.js';

/** Absolute path of an executable `file`, searched on PATH when it has no slash. */
export function resolveSpawnTarget(file: string, cwd: string, pathEnv: string | undefined): string {
  if (!file) throw new SpawnError('cannot spawn: no program given (file is empty)', file);
  try {
    if (!statSync(cwd).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new SpawnError(`cannot spawn ${JSON.stringify(file)}: cwd ${JSON.stringify(cwd)} is not a directory`, file);
  }
  if (file.includes('/')) {
    const full = isAbsolute(file) ? file : resolve(cwd, file);
    const problem = checkExecutable(full);
    if (problem) throw new SpawnError(`cannot spawn ${JSON.stringify(file)}: ${problem}`, file);
    return full;
  }
  const found = searchPath(file, pathEnv, cwd);
  if (found.path) return found.path;
  const why = found.problem ?? `not found on PATH (${found.searched} directories searched)`;
  throw new SpawnError(`cannot spawn ${JSON.stringify(file)}: ${why}`, file);
}

/** The first executable `name` in the PATH's directories (relative ones from `cwd`), or undefined. */
export function findOnPath(name: string, pathEnv: string | undefined, cwd = process.cwd()): string | undefined {
  return searchPath(name, pathEnv, cwd).path;
}

function searchPath(name: string, pathEnv: string | undefined, cwd: string): { path?: string; problem?: string; searched: number } {
  const dirs = (pathEnv ?? '').split(delimiter).filter(Boolean);
  let problem: string | undefined;
  for (const dir of dirs) {
    const full = join(isAbsolute(dir) ? dir : resolve(cwd, dir), name);
    const wrong = checkExecutable(full);
    if (!wrong) return { path: full, searched: dirs.length };
    if (!wrong.startsWith('no such file')) problem ??= `${full} ${wrong}`;
  }
  return { problem, searched: dirs.length };
}

/** Undefined when `path` is an executable regular file, else what is wrong with it. */
function checkExecutable(path: string): string | undefined {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 'no such file';
  }
  if (st.isDirectory()) return 'is a directory';
  if (!st.isFile()) return 'is not a regular file';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return `is not executable (mode ${(st.mode & 0o777).toString(8)})`;
  }
  return undefined;
}
