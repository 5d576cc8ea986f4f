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
  const dirs = (pathEnv ?? '').split(delimiter).filter(Boolean);
  let firstProblem: string | undefined;
  for (const dir of dirs) {
    const full = join(isAbsolute(dir) ? dir : resolve(cwd, dir), file);
    const problem = checkExecutable(full);
    if (!problem) return full;
    if (!problem.startsWith('no such file')) firstProblem ??= `${full} ${problem}`;
  }
  const why = firstProblem ?? `not found on PATH (${dirs.length} directories searched)`;
  throw new SpawnError(`cannot spawn ${JSON.stringify(file)}: ${why}`, file);
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
