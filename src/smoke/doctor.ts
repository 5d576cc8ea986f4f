import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { loadPtyBackend } from '../terminal/index.js';
import { findWg, whichOnPath } from '../wg/binary.js';
import { makeWgEnvironment } from '../wg/environment.js';
import { findTool, installHint } from '../install/find-tool.js';
import { NODE_VERSION, nodePackage } from '../install/install.js';
import { pinnedPi } from '../install/pinned-pi.js';
import { probeWg } from '../wg/probe.js';
import { generationFor } from '../wg/generations/index.js';
import type { Generation } from '../wg/types.js';
import { probeModels } from './targets.js';

// `wg-tui-e2e doctor`: what this machine has for each scenario, found or missing, and how to get
// what is missing. Exit 3 when the default scenarios cannot run (no wg, no pty, or today's wg
// without tmux and Pi); missing optional tools (claude, a live endpoint) are said, not fatal.

export interface DoctorOptions {
  wg?: string;
  pi?: string;
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

async function versionOf(file: string, args = ['--version'], env?: Record<string, string>): Promise<{ ok: boolean; text: string }> {
  const result = await execa(file, args, { reject: false, timeout: 10_000, stdin: 'ignore', env });
  return { ok: result.exitCode === 0, text: (result.stdout || result.stderr || '').split('\n')[0]?.trim() || `exit ${result.exitCode ?? result.signal}` };
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
  let wgPath: string | undefined;
  try {
    const wg = await findWg({ flag: options.wg, env });
    wgPath = wg.path;
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
    tmux ? `${tmux} (${(await versionOf(tmux, ['-V'])).text})` : 'missing — apt-get install tmux (needed by wg from about May 2026)',
    needs.includes('tmux'),
  );
  // Pi and claude as a run finds them (flag, variable, PATH, the install cache), and the exact
  // install command when missing; Pi's Node is proven by Pi starting on it.
  const pi = await findTool('pi', { flag: options.pi, env, wgPath });
  const piSays = pi && (await versionOf(pi.path, ['--version'], { PI_OFFLINE: '1' }));
  const piRuns = pi !== undefined && piSays?.ok === true;
  const pin = await pinnedPi(wgPath);
  add(
    'pi',
    piRuns,
    pi
      ? `${pi.path} (${piSays?.text}, from ${pi.source})${pin.version !== piSays?.text && piRuns ? `; this wg wants ${pin.version} (${pin.source}): ${installHint('pi', wgPath)}` : ''}`
      : `missing — ${installHint('pi', wgPath)} (Pi ${pin.version}, ${pin.source}, on Node ${NODE_VERSION})`,
    needs.includes('pi'),
  );
  add(
    'node',
    piRuns,
    piRuns
      ? `Pi starts on its Node${pi.source.startsWith('the install cache') ? ` (${nodePackage()}@${NODE_VERSION} from the install cache)` : ''}`
      : pi
        ? `${pi.path} does not start (${piSays?.text}): Pi needs Node >= 22.19 — ${installHint('pi', wgPath)} brings both`
        : `missing with Pi — ${installHint('pi', wgPath)} brings Node ${NODE_VERSION} (${nodePackage()}) with it`,
    needs.includes('pi'),
  );
  const claude = await findTool('claude', { flag: options.claude, env });
  add(
    'claude',
    claude !== undefined,
    claude
      ? `${claude.path} (${(await versionOf(claude.path)).text}, from ${claude.source}); claude-local can run`
      : `missing — ${installHint('claude')} for claude-local (the scenario skips loudly without it)`,
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
