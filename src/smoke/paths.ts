import { constants } from 'node:fs';
import { access, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OptionError } from '../errors.js';
import type { RunOptions } from './options.js';

// Every output path is checked before anything starts: a bad one is one line and exit 3, never a
// hang or a stack trace after wg was already set up. (Node 20's recursive mkdir spins forever
// under /proc, so pseudo file systems are refused by name and every check has a time limit.)

const PSEUDO = /^\/(proc|sys|dev)(\/|$)/;
const CHECK_MS = 5000;

async function limited<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OptionError(`${what}: no answer from the file system within ${CHECK_MS / 1000}s`)), CHECK_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const reason = (error: unknown): string => {
  const e = error as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    ENOTDIR: 'a file is in the way',
    EEXIST: 'a file is in the way',
    EISDIR: 'it is a folder',
  };
  return (e.code && words[e.code]) ?? e.message;
};

/** A folder we will write into: made if missing, and proven writable with a test file. */
export async function checkOutputDir(flag: string, dir: string): Promise<void> {
  const path = resolve(dir);
  const what = `${flag} ${path}`;
  if (PSEUDO.test(path)) throw new OptionError(`${what}: not a place for files (a kernel pseudo file system); name a folder on a disk`);
  try {
    await limited(what, mkdir(path, { recursive: true }));
    const probe = resolve(path, `.wg-tui-e2e-write-test-${process.pid}`);
    await limited(what, writeFile(probe, 'x'));
    await rm(probe, { force: true });
  } catch (error) {
    if (error instanceof OptionError) throw error;
    throw new OptionError(`${what}: cannot write there (${await ancestorReason(path, error)})`);
  }
}

// Node's recursive mkdir says ENOENT on a read-only file system: the nearest folder that exists
// tells the real reason.
async function ancestorReason(path: string, error: unknown): Promise<string> {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return reason(error);
  let dir = dirname(path);
  while (
    dir !== dirname(dir) &&
    !(await stat(dir).then(
      () => true,
      () => false,
    ))
  )
    dir = dirname(dir);
  return access(dir, constants.W_OK).then(
    () => reason(error),
    (denied: unknown) => `${reason(denied)} at ${dir}`,
  );
}

/** A file we will write: its folder must exist and be writable, and the path must not be a folder. */
export async function checkOutputFile(flag: string, file: string): Promise<void> {
  const path = resolve(file);
  const what = `${flag} ${path}`;
  if (PSEUDO.test(path)) throw new OptionError(`${what}: not a place for files (a kernel pseudo file system); name a file on a disk`);
  const existing = await limited(what, stat(path)).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
  if (existing?.isDirectory()) throw new OptionError(`${what}: it is a folder; name a file`);
  try {
    await limited(what, access(existing ? path : dirname(path), constants.W_OK));
  } catch (error) {
    if (error instanceof OptionError) throw error;
    throw new OptionError(`${what}: cannot write there (${reason(error)})`);
  }
}

/** Checks `--artifacts`, `--json`, `--junit` and the folder of `--workdir` before the run starts. */
export async function checkOutputPaths(options: Pick<RunOptions, 'artifacts' | 'json' | 'junit' | 'workdir'>): Promise<void> {
  await checkOutputDir('--artifacts', options.artifacts);
  if (options.json) await checkOutputFile('--json', options.json);
  if (options.junit) await checkOutputFile('--junit', options.junit);
  if (options.workdir) {
    const path = resolve(options.workdir);
    if (PSEUDO.test(path)) throw new OptionError(`--workdir ${path}: not a place for a project (a kernel pseudo file system)`);
    await checkOutputFile('--workdir', path).catch((error: OptionError) => {
      // An existing, non-empty workdir is createWorkspace's to judge; only an unwritable place is ours.
      if (!/it is a folder/.test(error.message)) throw error;
    });
  }
}
