import { randomInt } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildHtmlReport } from '../report/html-files.js';
import { formatJson } from '../report/json.js';
import { formatJunit } from '../report/junit.js';
import { formatRunLines } from '../report/lines.js';
import { EXIT, summarizeRepeats, type RunResult, type ScenarioResult } from '../report/model.js';
import { loadCorpusFile } from '../endpoint/corpus.js';
import { loadFaultFile } from '../endpoint/index.js';
import { DEFAULT_FLAVOR } from '../endpoint/types.js';
import { OptionError } from '../errors.js';
import type { RunReporter } from '../report/reporter.js';
import { findWg, type WgBinary } from '../wg/binary.js';
import { makeWgEnvironment } from '../wg/environment.js';
import { probeWg, type WgCapabilities } from '../wg/probe.js';
import { createWorkspace, shellQuote } from '../wg/workspace.js';
import { TextArtifacts } from './artifacts.js';
import { RunStop, SIGNAL_EXIT } from './interrupt.js';
import { checkOutputPaths } from './paths.js';
import { redactDeep, redactor, secretValues, type Redact } from './secrets.js';
import { DEFAULTS, skipAllowed, type RunOptions, type SetupVariant } from './options.js';
import { offeredSetups } from '../wg/generations/index.js';
import { runScenario } from './run-scenario.js';

// The whole smoke: find and probe wg once, run each scenario, write the run's reports.

/** This checkout's command entry point, for rerun.sh. */
const ENTRY = fileURLToPath(new URL('../../bin/wg-tui-e2e.js', import.meta.url));

/** The one-line command that reruns exactly this run. */
export function rerunCommand(options: RunOptions, wgPath?: string): string {
  const args = ['wg-tui-e2e', 'run'];
  for (const s of options.scenarios) args.push('--scenario', s);
  if (wgPath) args.push('--wg', wgPath);
  if (options.endpoint) args.push('--endpoint', options.endpoint);
  if (options.direct) args.push('--direct');
  if (options.replayFrom) args.push('--replay-from', resolve(options.replayFrom));
  if (options.fromTrace) args.push('--from-trace', resolve(options.fromTrace));
  if (options.pasteText) args.push('--paste-text', resolve(options.pasteText));
  if (options.tracePace !== 'recorded') args.push('--trace-pace', options.tracePace);
  if (options.onDivergence !== 'stop') args.push('--on-divergence', options.onDivergence);
  if (options.claude && options.scenarios.includes('claude-local')) args.push('--claude', resolve(options.claude));
  if (options.pi) args.push('--pi', resolve(options.pi));
  args.push('--model', options.model);
  for (const m of options.messages) args.push('--message', m);
  if (options.workdir) args.push('--workdir', resolve(options.workdir));
  if (options.reuse) args.push('--reuse');
  if (options.isolate) args.push('--isolate');
  if (options.lenient) args.push('--lenient');
  if (options.faults) args.push('--faults', resolve(options.faults));
  if (options.flavor !== DEFAULT_FLAVOR) args.push('--flavor', options.flavor);
  if (options.replies !== 'corpus') args.push('--replies', options.replies);
  if (options.replyCorpus) args.push('--reply-corpus', resolve(options.replyCorpus));
  if (options.paceText) args.push('--pace', options.paceText);
  if (options.reasoningParser) args.push('--reasoning-parser');
  for (const name of options.allowSkip) args.push('--allow-skip', name);
  // Every budget and size the run had, or a rerun of a slow build fails where this one passed.
  if (options.firstReplyMs !== DEFAULTS.firstReplyMs) args.push('--first-reply-timeout', String(options.firstReplyMs / 1000));
  if (options.replyMs !== DEFAULTS.replyMs) args.push('--reply-timeout', String(options.replyMs / 1000));
  if (options.typeDelayMs !== DEFAULTS.typeDelayMs) args.push('--type-delay', String(options.typeDelayMs));
  if (options.cols !== DEFAULTS.cols || options.rows !== DEFAULTS.rows) args.push('--size', `${options.cols}x${options.rows}`);
  if (options.deadlineMs !== undefined) args.push('--deadline', String(options.deadlineMs / 1000));
  if (options.keep) args.push('--keep');
  if (options.repeat > 1) args.push('--repeat', String(options.repeat));
  if (options.setup !== 'literal') args.push('--setup', options.setup);
  if (options.startup !== 'person') args.push('--startup', options.startup);
  if (options.jitter !== undefined) args.push('--jitter', String(options.jitter));
  if (options.jitterCpu) args.push('--jitter-cpu');
  if (options.bisect) args.push('--bisect');
  return args.map(shellQuote).join(' ');
}

/** The seed of one scenario run: the one given, or with `random` a fresh one (said on its FAIL lines and in run.json). */
const jitterSeedOf = (options: RunOptions): number | undefined => (options.jitter === 'random' ? randomInt(0, 2 ** 32) : options.jitter);

function probeReport(wg: WgBinary, caps: WgCapabilities, asked: SetupVariant): string {
  // The help texts go to help/*.txt beside it.
  const { helpTexts: _helpTexts, ...rest } = caps;
  return `${JSON.stringify({ wg, ...rest, setup: { asked, offered: offeredSetups(caps) } }, null, 2)}\n`;
}

/** What `runSmoke` can be given besides the options (a host's own stop, for specs and embedders). */
export interface RunHooks {
  /** The run's stop; by default one listening to SIGINT, SIGTERM and SIGHUP for the run's duration. */
  stop?: RunStop;
}

// A reporter that sees every string with the run's secrets masked.
function redactingReporter(reporter: RunReporter, redact: Redact): RunReporter {
  const r = <T>(v: T) => redactDeep(v, redact);
  return {
    onInfo: (text) => reporter.onInfo?.(r(text)),
    onScenarioStart: (name) => reporter.onScenarioStart?.(name),
    onFinding: (scenario, finding) => reporter.onFinding?.(scenario, r(finding)),
    onMessage: (scenario, message) => reporter.onMessage?.(r(scenario), r(message)),
    onScenarioEnd: (scenario) => reporter.onScenarioEnd?.(r(scenario)),
    onRunEnd: (run) => reporter.onRunEnd?.(r(run)),
  };
}

export async function runSmoke(options: RunOptions, plainReporter: RunReporter, hooks: RunHooks = {}): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const runDir = resolve(options.artifacts);
  // Bad output paths and unreadable input files fail here, in one line, before anything is started.
  await checkOutputPaths(options);
  if (options.faults) await loadFaultFile(options.faults);
  if (options.replyCorpus) await loadCorpusFile(options.replyCorpus);
  const redact = redactor(secretValues(options.endpoint, process.env));
  const reporter = redactingReporter(plainReporter, redact);
  const texts = new TextArtifacts(redact);
  const stop = hooks.stop ?? new RunStop();
  const unlisten = hooks.stop ? () => undefined : stop.listen();
  const cancelDeadline = options.deadlineMs !== undefined ? stop.deadline(options.deadlineMs) : () => undefined;
  const scenarios: ScenarioResult[] = [];
  const snapshot = (current?: ScenarioResult): RunResult => {
    const run: RunResult = {
      scenarios: current ? [...scenarios, current] : [...scenarios],
      artifactsDir: runDir,
      // The wg asked for, even when it could not be used: a rerun must test the same build.
      rerunCommand: rerunCommand(options, wg?.path ?? (options.wg ? resolve(options.wg) : undefined)),
      startedAt,
      durationMs: performance.now() - started,
    };
    if (options.repeat > 1) run.repeats = summarizeRepeats(run.scenarios);
    if (stop.signal.aborted)
      run.interrupted = {
        signal: stop.received ?? 'deadline',
        exitCode: stop.received ? SIGNAL_EXIT[stop.received] : options.bisect ? EXIT.bisectSkip : EXIT.harness,
      };
    return redactDeep(run, redact);
  };
  // The reports, rewritten after every message: valid on disk whenever the run is stopped. A
  // write that fails is said once and the run goes on judging.
  const failedWrites = new Set<string>();
  const writeReports = async (run: RunResult) => {
    const outputs: Array<[string, string]> = [
      [join(runDir, 'run.json'), formatJson(run)],
      [join(runDir, 'junit.xml'), formatJunit(run)],
      [join(runDir, 'lines.txt'), `${formatRunLines(run).join('\n')}\n`],
      [join(runDir, 'report.html'), await buildHtmlReport(run, { redact })],
      // `wg-tui-e2e` is not on PATH after `npm ci`: the script calls this checkout's entry point.
      [join(runDir, 'rerun.sh'), `#!/bin/sh\n${run.rerunCommand?.replace(/^wg-tui-e2e /, `${shellQuote(process.execPath)} ${shellQuote(ENTRY)} `)}\n`],
      ...(options.json ? [[resolve(options.json), formatJson(run)] as [string, string]] : []),
      ...(options.junit ? [[resolve(options.junit), formatJunit(run)] as [string, string]] : []),
    ];
    for (const [file, text] of outputs) {
      await writeFile(file, text, { mode: file.endsWith('.sh') ? 0o755 : 0o644 }).catch((error: NodeJS.ErrnoException) => {
        if (failedWrites.has(file)) return;
        failedWrites.add(file);
        reporter.onFinding?.('run', `could not write ${file} (${error.code ?? error.message}); the run goes on`);
      });
    }
  };
  let wg: WgBinary | undefined;
  let caps: WgCapabilities | undefined;
  let setupError: string | undefined;
  try {
    if (!stop.signal.aborted)
      try {
        // A named workdir is checked once, before anything runs in it (each scenario uses a sub-folder).
        if (options.workdir) await createWorkspace({ workdir: options.workdir, reuse: options.reuse });
        wg = await findWg({ flag: options.wg });
        // Probe with a throwaway environment so the help commands cannot touch the user's projects.
        const scratch = await mkdtemp(join(tmpdir(), 'wg-tui-e2e-probe-'));
        try {
          const probeEnv = await makeWgEnvironment({ wgPath: wg.path, runDir: scratch, isolate: true });
          caps = await probeWg(wg.path, probeEnv.env);
        } finally {
          await rm(scratch, { recursive: true, force: true });
        }
        await texts.writeText(runDir, 'probe.json', probeReport(wg, caps, options.setup));
        reporter.onInfo?.(
          `wg ${wg.path} (${wg.version}, sha256 ${wg.sha256.slice(0, 12)}, from ${wg.source}); generation ${caps.generation}: ${caps.reasons.join('; ')}`,
        );
        for (const [name, text] of Object.entries(caps.helpTexts)) await texts.writeText(join(runDir, 'help'), `${name.replace(/ /g, '_')}.txt`, text);
      } catch (error) {
        if (error instanceof OptionError) throw error;
        setupError = (error as Error).message;
      }
    for (const name of options.scenarios) {
      if (stop.signal.aborted) {
        const skipped: ScenarioResult = {
          name,
          status: 'interrupted',
          reason: `the run was stopped (${String(stop.signal.reason)}) before this scenario`,
          findings: [],
          messages: [],
          durationMs: 0,
        };
        reporter.onScenarioStart?.(name);
        reporter.onScenarioEnd?.(skipped);
        scenarios.push(skipped);
        continue;
      }
      if (!wg || !caps) {
        const failed: ScenarioResult = { name, status: 'setup-failed', reason: setupError, findings: [], messages: [], durationMs: 0 };
        reporter.onScenarioStart?.(name);
        reporter.onScenarioEnd?.(failed);
        scenarios.push(failed);
        continue;
      }
      for (let k = 1; k <= options.repeat && !(k > 1 && stop.signal.aborted); k++) {
        const run = options.repeat > 1 ? { index: k, of: options.repeat } : undefined;
        const result = await runScenario({
          name,
          options,
          wg,
          caps,
          runDir,
          reporter,
          stop,
          run,
          jitterSeed: jitterSeedOf(options),
          texts,
          onProgress: (current) => writeReports(snapshot(current)),
        });
        if (result.status === 'skipped' && skipAllowed(options, name)) result.skipAllowed = true;
        scenarios.push(result);
        await writeReports(snapshot());
      }
    }
    const run = snapshot();
    await writeReports(run);
    reporter.onRunEnd?.(run);
    return run;
  } finally {
    cancelDeadline();
    unlisten();
  }
}
