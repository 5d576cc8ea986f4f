import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatJson } from '../report/json.js';
import { formatJunit } from '../report/junit.js';
import { formatRunLines } from '../report/lines.js';
import type { RunResult, ScenarioResult } from '../report/model.js';
import type { RunReporter } from '../report/reporter.js';
import { findWg, type WgBinary } from '../wg/binary.js';
import { makeWgEnvironment } from '../wg/environment.js';
import { probeWg, type WgCapabilities } from '../wg/probe.js';
import { createWorkspace, shellQuote } from '../wg/workspace.js';
import { writeText } from './artifacts.js';
import type { RunOptions } from './options.js';
import { runScenario } from './run-scenario.js';

// The whole smoke: find and probe wg once, run each scenario, write the run's reports.

/** The one-line command that reruns exactly this run. */
export function rerunCommand(options: RunOptions, wgPath?: string): string {
  const args = ['wg-tui-e2e', 'run'];
  for (const s of options.scenarios) args.push('--scenario', s);
  if (wgPath) args.push('--wg', wgPath);
  if (options.endpoint) args.push('--endpoint', options.endpoint);
  args.push('--model', options.model);
  for (const m of options.messages) args.push('--message', m);
  if (options.isolate) args.push('--isolate');
  if (options.lenient) args.push('--lenient');
  if (options.faults) args.push('--faults', resolve(options.faults));
  if (options.flavor !== 'sglang') args.push('--flavor', options.flavor);
  if (options.replies !== 'corpus') args.push('--replies', options.replies);
  if (options.replyCorpus) args.push('--reply-corpus', resolve(options.replyCorpus));
  if (options.paceText) args.push('--pace', options.paceText);
  return args.map(shellQuote).join(' ');
}

function probeReport(wg: WgBinary, caps: WgCapabilities): string {
  // The help texts go to help/*.txt beside it.
  const { helpTexts: _helpTexts, ...rest } = caps;
  return `${JSON.stringify({ wg, ...rest }, null, 2)}\n`;
}

export async function runSmoke(options: RunOptions, reporter: RunReporter): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const runDir = resolve(options.artifacts);
  await mkdir(runDir, { recursive: true });
  const scenarios: ScenarioResult[] = [];
  let wg: WgBinary | undefined;
  let caps: WgCapabilities | undefined;
  let setupError: string | undefined;
  try {
    // A named workdir is checked once, before anything runs in it (each scenario uses a sub-folder).
    if (options.workdir) await createWorkspace({ workdir: options.workdir, reuse: options.reuse });
    wg = await findWg({ flag: options.wg });
    // Probe with a throwaway environment so the help commands cannot touch the user's projects.
    const scratch = await mkdtemp(join(tmpdir(), 'wg-tui-e2e-probe-'));
    const probeEnv = await makeWgEnvironment({ wgPath: wg.path, runDir: scratch, isolate: true });
    caps = await probeWg(wg.path, probeEnv.env);
    await rm(scratch, { recursive: true, force: true });
    await writeText(runDir, 'probe.json', probeReport(wg, caps));
    reporter.onInfo?.(`wg ${wg.path} (${wg.version}, sha256 ${wg.sha256.slice(0, 12)}, from ${wg.source}); chat UI ${caps.generation}: ${caps.reasons.join('; ')}`);
    for (const [name, text] of Object.entries(caps.helpTexts)) await writeText(join(runDir, 'help'), `${name.replace(/ /g, '_')}.txt`, text);
  } catch (error) {
    setupError = (error as Error).message;
  }
  for (const name of options.scenarios) {
    if (!wg || !caps) {
      const failed: ScenarioResult = { name, status: 'setup-failed', reason: setupError, findings: [], messages: [], durationMs: 0 };
      reporter.onScenarioStart?.(name);
      reporter.onScenarioEnd?.(failed);
      scenarios.push(failed);
      continue;
    }
    scenarios.push(await runScenario({ name, options, wg, caps, runDir, reporter }));
  }
  const run: RunResult = { scenarios, artifactsDir: runDir, rerunCommand: rerunCommand(options, wg?.path), startedAt, durationMs: performance.now() - started };
  await writeText(runDir, 'run.json', formatJson(run));
  await writeText(runDir, 'junit.xml', formatJunit(run));
  await writeText(runDir, 'lines.txt', `${formatRunLines(run).join('\n')}\n`);
  await writeText(runDir, 'rerun.sh', `#!/bin/sh\n${run.rerunCommand}\n`);
  if (options.json) await writeFile(resolve(options.json), formatJson(run));
  if (options.junit) await writeFile(resolve(options.junit), formatJunit(run));
  reporter.onRunEnd?.(run);
  return run;
}
