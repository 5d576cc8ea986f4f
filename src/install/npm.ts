import { execa } from 'execa';
import { HarnessError } from '../errors.js';

// npm, run for the install: the user's own npm with its own configuration (registry, proxy, cache),
// so a mirror or a private registry works as it does for them. A failure is told in one line that
// says which of the three it was: the registry cannot be reached, the version does not exist, or
// npm failed otherwise (its own words kept in a log file).

/** An install failed; `message` is the one line to print. */
export class InstallError extends HarnessError {}

const NETWORK = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ERR_SOCKET_TIMEOUT)\b/;

export interface NpmResult {
  stdout: string;
  stderr: string;
}

/** Runs `npm ARGS` in `cwd`; throws InstallError with one line when it fails. */
export async function npm(args: readonly string[], options: { cwd: string; what: string; env?: NodeJS.ProcessEnv }): Promise<NpmResult> {
  const result = await execa('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], {
    cwd: options.cwd,
    env: options.env,
    reject: false,
    stdin: 'ignore',
    // Pi's install takes about 20 s, claude's (a 200 MB binary) a minute on a good line.
    timeout: 15 * 60_000,
  });
  if (result.failed && (result as { code?: string }).code === 'ENOENT')
    throw new InstallError(`${options.what}: there is no \`npm\` on PATH (it comes with Node)`);
  if (result.timedOut) throw new InstallError(`${options.what}: npm did not finish within 15 minutes`);
  if (result.exitCode === 0) return { stdout: result.stdout, stderr: result.stderr };
  throw new InstallError(`${options.what}: ${npmFailure(result.stderr)}`);
}

/** What npm's error output says, in a few words. */
export function npmFailure(stderr: string): string {
  const network = NETWORK.exec(stderr);
  if (network) {
    const url = /request to (\S+?) failed/.exec(stderr)?.[1];
    const registry = url ? new URL(url).origin : 'the npm registry';
    return `the npm registry cannot be reached (${registry}: ${network[1]}); nothing was installed`;
  }
  if (/\bE404\b/.test(stderr)) return `not on the npm registry (${/404 (No match found for version \S+|Not Found[^\n]*)/.exec(stderr)?.[1] ?? '404'})`;
  const code = /npm error code (\S+)/.exec(stderr)?.[1];
  const last = stderr
    .split('\n')
    .map((l) => l.replace(/^npm (error|ERR!) ?/, '').trim())
    .filter((l) => l && !/complete log of this run/.test(l))
    .at(-1);
  return `npm failed${code ? ` (${code})` : ''}: ${last ?? 'no error text'}`;
}

/** Fails fast, in one line, when `spec` (name@exact-version) is not there or the registry is down: before a long install. */
export async function checkOnRegistry(spec: string, cwd: string, env?: NodeJS.ProcessEnv): Promise<void> {
  // A short retry budget here only (npm's default waits over a minute on a closed port); the
  // install after it keeps npm's own retries for a flaky network.
  const { stdout } = await npm(['view', spec, 'version', '--fetch-retries=1', '--fetch-retry-mintimeout=1000', '--fetch-retry-maxtimeout=3000'], {
    cwd,
    what: spec,
    env,
  });
  if (stdout.trim() === '') throw new InstallError(`${spec}: not on the npm registry`);
}
