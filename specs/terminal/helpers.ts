// Shared spec helpers: start fixture programs and always dispose them after each test.
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { TerminalSession, type SpawnOptions } from '../../src/terminal/index.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** Generous: these normally finish in milliseconds, but the CI box has two noisy cores. */
export const T = 10_000;

const open: TerminalSession[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.dispose({ killLeaked: true })));
});

/** Spawns a program and registers it for disposal after the test. */
export async function spawn(opts: SpawnOptions): Promise<TerminalSession> {
  const s = await TerminalSession.spawn(opts);
  open.push(s);
  return s;
}

/** Spawns specs/fixtures/<name> with node. */
export function fixture(name: string, args: string[] = [], opts: Partial<SpawnOptions> = {}): Promise<TerminalSession> {
  return spawn({ file: process.execPath, args: [`${FIXTURES}${name}`, ...args], ...opts });
}

/** A bash with no rc files and a fixed prompt. */
export async function bash(opts: Partial<SpawnOptions> = {}): Promise<TerminalSession> {
  const s = await spawn({ file: 'bash', args: ['--norc', '--noprofile', '-i'], env: { PS1: 'PROMPT$ ', HISTFILE: '/dev/null' }, ...opts });
  await s.waitForText('PROMPT$', { timeoutMs: T });
  return s;
}
