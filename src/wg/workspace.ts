import { mkdir, mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { OptionError } from '../errors.js';

// The project folder a scenario runs in, and every wg command run outside the pty, logged.

export interface Workspace {
  projectDir: string;
  /** The harness made it (and may remove it); a folder the user named is never deleted. */
  created: boolean;
}

// A new temp folder, or `workdir` when given: refused when it exists and is not empty, unless reuse.
export async function createWorkspace(options: { workdir?: string; reuse?: boolean; prefix?: string }): Promise<Workspace> {
  if (!options.workdir) {
    return { projectDir: await mkdtemp(join(tmpdir(), options.prefix ?? 'wg-tui-e2e-')), created: true };
  }
  const projectDir = resolve(options.workdir);
  const entries = await readdir(projectDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (entries === undefined) {
    await mkdir(projectDir, { recursive: true });
    return { projectDir, created: true };
  }
  if (entries.length > 0 && !options.reuse) {
    throw new OptionError(`--workdir ${projectDir} exists and is not empty; pass --reuse to run in it anyway, or name a new folder`);
  }
  return { projectDir, created: false };
}

export interface CommandRecord {
  command: string;
  exitCode: number | undefined;
  signal?: string;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

/** Quotes an argument for a POSIX shell only when it needs it. */
export const shellQuote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** Runs one wg command outside the pty, in its own process group, and records it. */
export async function runCommand(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number; log?: CommandRecord[]; display?: string; cancel?: AbortSignal },
): Promise<CommandRecord> {
  const started = performance.now();
  // detached: its own process group, so a daemon that old wg forks without setsid is never
  // in the harness's group, and a SIGHUP from a closing pty cannot reach it.
  const result = await execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    detached: true,
    timeout: options.timeoutMs ?? 60_000,
    cleanup: true,
    ...(options.cancel ? { cancelSignal: options.cancel } : {}),
  });
  const record: CommandRecord = {
    command: [options.display ?? file, ...args].map(shellQuote).join(' '),
    exitCode: result.exitCode,
    signal: result.signal ?? undefined,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    durationMs: performance.now() - started,
    timedOut: Boolean(result.timedOut),
  };
  options.log?.push(record);
  return record;
}

/** The first meaningful error line of a failed command, for a verdict line. */
export function commandError(record: CommandRecord): string {
  const text = `${record.stderr}\n${record.stdout}`;
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => /error|unsupported|must|invalid|refus/i.test(l)) ??
    text.trim().split('\n')[0] ??
    '';
  const status = record.timedOut ? 'timed out' : `exit ${record.exitCode ?? record.signal}`;
  return `\`${record.command}\` ${status}: ${line.slice(0, 300)}`;
}

/** Reads a JSON file, or undefined when it is absent or half-written. */
export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );
