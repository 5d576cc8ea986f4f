import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { loadPtyBackend } from '../terminal/index.js';
import { findWg, whichOnPath } from '../wg/binary.js';
import { makeWgEnvironment } from '../wg/environment.js';
import { probeWg } from '../wg/probe.js';
import { generationFor } from '../wg/generations/index.js';
import type { Generation } from '../wg/types.js';
import { probeModels } from './targets.js';

// `wg-tui-e2e doctor`: what this machine has for each scenario, found or missing, and how to get
// what is missing. Exit 3 when the default scenarios cannot run (no wg, no pty, or today's wg
// without tmux and Pi); missing optional tools (claude, a live endpoint) are said, not fatal.

export interface DoctorOptions {
  wg?: string;
  claude?: string;
  endpoint?: string;
}

export interface DoctorCheck {
  name: string;
  ok: boolean;
  /** What was found, or why not and how to get it. */
  detail: string;
  /** Needed by the default scenarios (the run cannot go without it). */
  required: boolean;
}

async function versionOf(file: string, args = ['--version']): Promise<string> {
  const result = await execa(file, args, { reject: false, timeout: 10_000, stdin: 'ignore' });
  return (result.stdout || result.stderr || '').split('\n')[0]?.trim() || `exit ${result.exitCode}`;
}

export async function runDoctor(options: DoctorOptions, env: NodeJS.ProcessEnv = process.env): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const add = (name: string, ok: boolean, detail: string, required: boolean) => void checks.push({ name, ok, detail, required });
  const pty = await loadPtyBackend().then(
    (b) => b.name,
    () => undefined,
  );
  add(
    'pty',
    pty !== undefined,
    pty ? `backend ${pty}` : 'no pty backend loads: reinstall with `npm ci` (node-pty is optional, @lydell/node-pty is prebuilt)',
    true,
  );
  let generation: Generation | undefined;
  try {
    const wg = await findWg({ flag: options.wg, env });
    const scratch = await mkdtemp(join(tmpdir(), 'wg-tui-e2e-doctor-'));
    try {
      const caps = await probeWg(wg.path, (await makeWgEnvironment({ wgPath: wg.path, runDir: scratch, isolate: true })).env);
      generation = generationFor(caps);
      add('wg', generation !== undefined, `${wg.path} (${wg.version}, from ${wg.source}); generation ${caps.generation}`, true);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  } catch (error) {
    add('wg', false, (error as Error).message, true);
  }
  // What the default scenario's chat (nex-local) runs on, from the table: tmux from May, Pi today.
  const needs = generation?.needs('endpoint') ?? [];
  const tmux = await whichOnPath('tmux', env.PATH);
  add(
    'tmux',
    tmux !== undefined,
    tmux ? `${tmux} (${await versionOf(tmux, ['-V'])})` : 'missing — apt-get install tmux (needed by wg from about May 2026)',
    needs.includes('tmux'),
  );
  const pi = await whichOnPath('pi', env.PATH);
  add(
    'pi',
    pi !== undefined,
    pi ? `${pi} (${await versionOf(pi)})` : 'missing — npm install @earendil-works/pi-coding-agent at the version wg pins, with Node 22 (see the README)',
    needs.includes('pi'),
  );
  const claude = options.claude ?? (env.CLAUDE_BIN || (await whichOnPath('claude', env.PATH)));
  add(
    'claude',
    claude !== undefined,
    claude
      ? `${claude} (${await versionOf(claude)}); claude-local can run`
      : 'missing — npm install @anthropic-ai/claude-code for claude-local (the scenario skips loudly without it)',
    false,
  );
  const chromium = (await whichOnPath('chromium', env.PATH)) ?? (await whichOnPath('chromium-browser', env.PATH));
  add('chromium', chromium !== undefined, chromium ?? 'missing — only for checking HTML reports in a browser (apt-get install chromium)', false);
  const endpoint = options.endpoint ?? (env.WG_E2E_NEX_ENDPOINT || undefined);
  if (endpoint) {
    const problem = await probeModels(endpoint);
    add('endpoint', problem === undefined, problem ?? `${endpoint.replace(/\/\/[^/@]+@/, '//***@')} answers /v1/models`, false);
  } else add('endpoint', false, 'none given — nex-live skips loudly without --endpoint URL or WG_E2E_NEX_ENDPOINT', false);
  return checks;
}

/** `OK   wg  …` / `MISSING tmux  …` lines, and the exit code: 3 when a required check failed. */
export function formatDoctor(checks: readonly DoctorCheck[]): { lines: string[]; exitCode: number } {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => `${c.ok ? 'OK     ' : c.required ? 'MISSING' : 'absent '} ${c.name.padEnd(width)}  ${c.detail}`);
  const fatal = checks.filter((c) => c.required && !c.ok);
  lines.push(fatal.length > 0 ? `the default scenarios cannot run: ${fatal.map((c) => c.name).join(', ')} missing` : 'the default scenarios can run');
  return { lines, exitCode: fatal.length > 0 ? 3 : 0 };
}
