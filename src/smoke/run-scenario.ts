import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HarnessError, SetupError, SkipError } from '../errors.js';
import type { MessageResult, ScenarioResult, SetupPhase, Verdict } from '../report/model.js';
import type { RunReporter } from '../report/reporter.js';
import { describeExit, TerminalSession } from '../terminal/index.js';
import type { WgBinary } from '../wg/binary.js';
import { generationFor, planSetup } from '../wg/generations/index.js';
import { wgTui, WG_TRACE_FILE } from '../wg/tui-command.js';
import { parseTrace, toChatInput, type TraceEntry } from '../wg/trace.js';
import { PACE_CAP_MS, replayTrace } from './trace-replay.js';
import { pasteTextsFor, placeholderPaste, splitPasteFile, traceTurns, type PasteText } from './trace-turns.js';
import type { ChatHandle, DriverContext } from '../wg/types.js';
import { makeWgEnvironment } from '../wg/environment.js';
import { isAlive, RUN_TAG_NAME, stopProcesses, taggedProcesses } from '../wg/processes.js';
import type { WgCapabilities } from '../wg/probe.js';
import { wgDirOf } from '../wg/wg-dir.js';
import { linkPi } from './pi-link.js';
import { createWorkspace, type CommandRecord } from '../wg/workspace.js';
import { TextArtifacts, writeScreen } from './artifacts.js';
import type { RunOptions, ScenarioName } from './options.js';
import type { RunStop } from './interrupt.js';
import { prepareTarget } from './targets.js';
import { missingTools, targetKindOf } from './tools.js';
import { writeClaudeConfig } from './claude-config.js';

import { endpointOracle } from './reply-oracle.js';
import { runTurn } from './turn.js';
import { afterDeadChat, chatFailedResults, notSent } from './unsent.js';
import { notableLogLines } from '../wg/log-window.js';
import { surfaceOf } from '../wg/surfaces/index.js';
import { openFailure } from './after-launch.js';
import { followInputHint } from '../wg/flows/input-hint.js';
import { causeContradictions } from './cause-invariant.js';
import { LiveJitter } from './jitter/live.js';
import { planJitter } from './jitter/schedule.js';

// One scenario from a fresh workspace to teardown. Each message's evidence is on disk before the
// next message is typed, and teardown runs whatever happened.

const FATAL: ReadonlySet<Verdict> = new Set(['pane-died', 'tui-exited', 'tui-panicked', 'chat-failed', 'chat-stuck']);

export interface ScenarioInput {
  name: ScenarioName;
  options: RunOptions;
  wg: WgBinary;
  caps: WgCapabilities;
  runDir: string;
  reporter: RunReporter;
  /** The run's stop: a signal or the deadline aborts it. */
  stop: RunStop;
  /** With --repeat: which run this is; its evidence goes to `<scenario>/run-<k>/`. */
  run?: { index: number; of: number };
  /** Where the scenario's text evidence goes, with the run's secrets masked (none masked when absent). */
  texts?: TextArtifacts;
  /** `--jitter`: this run's seed (a fresh one per run with `random`); its schedule is planned here and written to jitter.json. */
  jitterSeed?: number;
  /** Called after each message's result is recorded (the run's reports are rewritten then). */
  onProgress?: (scenario: ScenarioResult) => Promise<void>;
}

function commandsLog(commands: CommandRecord[]): string {
  return commands
    .map(
      (c) =>
        `$ ${c.command}\n# exit ${c.exitCode ?? c.signal}${c.timedOut ? ' (timed out)' : ''} in ${(c.durationMs / 1000).toFixed(2)}s\n${c.stdout}${c.stderr ? `\n[stderr]\n${c.stderr}` : ''}\n`,
    )
    .join('\n');
}

// The trace `--from-trace` names, read before setup: a build without `wg tui --trace` gives no live state to compare.
async function readTraceToReplay(file: string, buildTraces: boolean): Promise<TraceEntry[]> {
  if (!buildTraces) throw new SetupError(`--from-trace compares the live state with wg's own trace, and this build's \`wg tui --help\` lists no --trace`);
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new SetupError(`--from-trace: cannot read ${file}: ${error.message}`);
  });
  try {
    return parseTrace(text);
  } catch (error) {
    throw new SetupError(`--from-trace: ${file} is not a wg trace: ${(error as Error).message}`);
  }
}

export async function runScenario(input: ScenarioInput): Promise<ScenarioResult> {
  const { name, options, wg, caps, reporter, stop } = input;
  const texts = input.texts ?? new TextArtifacts();
  const writeText = (dir: string, file: string, text: string) => texts.writeText(dir, file, text);
  const started = performance.now();
  const result: ScenarioResult = {
    name,
    ...(input.run ? { run: input.run } : {}),
    status: 'passed',
    findings: [],
    messages: [],
    durationMs: 0,
    lenient: options.lenient && (name === 'nex-local' || name === 'pi-local'),
  };
  const finding = (text: string) => {
    result.findings.push(text);
    reporter.onFinding?.(name, text);
  };
  const jitter =
    input.jitterSeed === undefined
      ? undefined
      : new LiveJitter(
          planJitter({ seed: input.jitterSeed, messages: options.messages, cols: options.cols, rows: options.rows, cpu: options.jitterCpu }),
          options,
        );
  if (jitter) result.jitter = { seed: jitter.schedule.seed };
  reporter.onScenarioStart?.(name);
  const dir = input.run && input.run.of > 1 ? join(input.runDir, name, `run-${input.run.index}`) : join(input.runDir, name);
  await mkdir(dir, { recursive: true });
  const privateDir = await mkdtemp(join(tmpdir(), `wg-tui-e2e-${name}-`));
  const generation = generationFor(caps);
  const plan = generation && planSetup(generation, caps, options.setup, targetKindOf(name));
  result.wg = {
    path: wg.path,
    version: wg.version,
    commit: `sha256:${wg.sha256.slice(0, 16)}`,
    generation: generation?.name,
    setup: plan && ('entry' in plan ? plan.entry.path : `not offered: ${plan.skip.reason}`),
  };
  const environment = await makeWgEnvironment({ wgPath: wg.path, runDir: privateDir, isolate: options.isolate });
  // Every process started for this scenario inherits the tag, so teardown can prove none is left.
  const runTag = `${RUN_TAG_NAME}=${randomUUID()}`;
  environment.env[RUN_TAG_NAME] = runTag.slice(RUN_TAG_NAME.length + 1);
  let projectDir: { path: string; created: boolean } | undefined;
  const commands: CommandRecord[] = [];
  let session: TerminalSession | undefined;
  let ctx: DriverContext | undefined;
  // Blame by phase: a failure before wg launched a chat is setup (exit 3); after, a verdict on wg.
  let phase: SetupPhase = 'endpoint';
  let launched: string | undefined;
  // Time spent on wg, the endpoint and the user's typing pace; the rest of the wall time is ours.
  const phases: Record<string, number> = {};
  const spent = (phase: string, ms: number) => void (phases[phase] = (phases[phase] ?? 0) + ms);
  // The harness's own measured phases, reported beside (not inside) waitedMs.
  const ownPhases: Record<string, number> = {};
  const own = (phase: string, ms: number) => void (ownPhases[phase] = (ownPhases[phase] ?? 0) + ms);
  let tornDown: Promise<void> | undefined;
  let oracle: ReturnType<typeof endpointOracle> | undefined;
  const once = () => (tornDown ??= teardown());
  // A stop ends the waits at once: the TUI goes (its pending waits reject), setup commands are cancelled.
  const onStop = () => void session?.dispose({ killLeaked: false }).catch(() => undefined);
  stop.signal.addEventListener('abort', onStop, { once: true });
  const untrack: Array<() => void> = [];
  // Evidence that cannot be written (a full disk) is said once per cause, and judging goes on.
  const writeFailures = new Set<string>();
  const saved = <T>(what: string, work: Promise<T>): Promise<T | undefined> =>
    work.catch((error: NodeJS.ErrnoException) => {
      const cause = error.code ?? error.message;
      if (!writeFailures.has(cause)) finding(`could not write ${what} (${cause}); judging goes on without it`);
      writeFailures.add(cause);
      return undefined;
    });
  const record = async (message: MessageResult) => {
    // The cause must agree with its own signal; where it does not, that is the harness's bug, said loudly.
    for (const c of causeContradictions(message)) finding(`the cause of message ${message.index} contradicts its evidence (a harness bug): ${c}`);
    result.messages.push(message);
    reporter.onMessage?.(result, message);
    await input.onProgress?.(result);
  };
  const targetStarted = performance.now();
  const failed = (error: Error) => ({ kind: 'fail' as const, reason: error.message });
  // Before the target: pi-local's check for Pi looks on wg's PATH, where this puts the run's Pi.
  const pi = await linkPi(environment.binDir, options.pi, wg.path).catch((error: Error) => error);
  const target =
    pi instanceof Error ? failed(pi) : await prepareTarget(name, options, join(dir, 'endpoint-traffic.ndjson'), environment.env, jitter?.paceOf).catch(failed);
  spent('endpoint', performance.now() - targetStarted);
  try {
    if (target.kind === 'skip') {
      result.status = 'skipped';
      result.reason = target.reason;
      return result;
    }
    if (target.kind === 'fail') throw new SetupError(target.reason);
    phase = 'init-and-service';
    target.findings?.forEach((f) => finding(f));
    if (!generation || !plan) throw new SetupError(`no known generation for this wg build: ${caps.reasons.join('; ')}`);
    // Loud and counted: this build does not offer what the scenario needs (or not the asked way),
    // or its chat runs on a tool this machine lacks (Pi): the machine's, not wg's.
    if ('skip' in plan) return skipped(`${plan.skip.label} — ${plan.skip.reason}`);
    const needs = generation.needs(target.target.kind);
    if (needs.includes('pi') && pi && !(pi instanceof Error) && pi.source !== 'PATH') finding(`Pi for wg: ${pi.path} (from ${pi.source})`);
    const missing = await missingTools(needs, environment.env.PATH, wg.path);
    if (missing?.skip) return skipped(missing.skip);
    if (missing) throw new SetupError(missing.failure);
    if (target.kind === 'ready' && target.target.claude) await useClaude(target.target.claude);
    if (target.kind === 'ready' && target.endpoint) untrack.push(stop.track(`${name}:endpoint`, `${name}: the embedded endpoint ${target.endpoint.baseUrl}`));
    const workspace = await createWorkspace({ workdir: options.workdir && `${options.workdir}/${name}`, reuse: true });
    projectDir = { path: workspace.projectDir, created: workspace.created && !options.workdir };
    if (target.kind === 'ready' && target.target.claude)
      await writeClaudeConfig(environment.env.CLAUDE_CONFIG_DIR as string, workspace.projectDir, target.target.claude.env.ANTHROPIC_API_KEY as string);
    ctx = {
      wg: wg.path,
      caps,
      projectDir: workspace.projectDir,
      runDir: privateDir,
      artifactsDir: dir,
      environment,
      target: target.target,
      commands,
      finding,
      setup: options.setup,
      startup: options.startup,
      cancel: stop.signal,
      launched: (what) => void (launched ??= what),
      wgFailed: (what) => {
        (result.wgFailures ??= []).push(what);
        if (result.status === 'passed') result.status = 'failed';
      },
    };
    untrack.push(stop.track(`${name}:wg`, `${name}: wg's service and chat in ${workspace.projectDir}`));
    await saved('environment.json', writeText(dir, 'environment.json', `${JSON.stringify(texts.redactEnv(environment.env), null, 2)}\n`));
    oracle = target.kind === 'ready' && target.endpoint ? endpointOracle(target.endpoint) : undefined;
    // A replayed trace is compared with the live TUI's own trace: the build must keep one.
    const recorded = options.fromTrace ? await readTraceToReplay(options.fromTrace, caps.tuiTrace) : undefined;
    // The user's pasted texts are checked against the trace before anything is set up.
    const paste = recorded && (await pasteFor(recorded));
    await plan.entry.run(ctx);
    await jitter?.beforeTui(stop.signal);
    phase = 'tui-start';
    const tui = wgTui(ctx);
    const stderrFile = join(dir, 'tui.stderr');
    session = await TerminalSession.spawn({
      file: '/bin/sh',
      // stderr apart from the screen: wg's eprintln! diagnostics would otherwise paint over it.
      args: ['-c', 'exec "$0" "$@" 2>"$WG_E2E_TUI_STDERR"', join(environment.binDir, 'wg'), ...tui.args],
      cwd: workspace.projectDir,
      env: { ...environment.env, ...tui.env, WG_E2E_TUI_STDERR: stderrFile },
      inheritEnv: false,
      cols: options.cols,
      rows: options.rows,
      castPath: join(dir, 'session.cast'),
    });
    untrack.push(stop.track(`${name}:tui`, `${name}: wg tui (pid ${session.pid})`));
    if (stop.signal.aborted) onStop();
    if (recorded) {
      await replayRecorded(session, recorded, paste ?? placeholderPaste, ctx);
      return result;
    }
    const openStarted = performance.now();
    const commandsBeforeOpen = commands.length;
    phase = 'chat-open';
    let handle: ChatHandle;
    try {
      handle = await generation.open(session, ctx);
    } catch (error) {
      await writeScreen(session, dir, 'open-failed', input.runDir).catch(() => undefined);
      const screen = session.screen().lines;
      const outcome = openFailure(error, { launched, stopped: stop.signal.aborted, screen, exit: describeExit(session.exitInfo) });
      if ('rethrow' in outcome) throw outcome.rethrow;
      for (const message of chatFailedResults(name, options.messages, outcome.failed)) await record(message);
      return result;
    }
    // The wg commands run while opening (tui-dump) are counted once, with the others below.
    spent('chat-open', performance.now() - openStarted - commands.slice(commandsBeforeOpen).reduce((sum, c) => sum + c.durationMs, 0));
    result.surface = surfaceOf(handle.detector);
    await saved('chat-opened.txt', writeText(dir, 'chat-opened.txt', `${handle.describe}\n`));
    for (const [i, text] of options.messages.entries()) {
      const turn = { text, index: i + 1 };
      let message: MessageResult;
      const dead = result.messages.find((m) => FATAL.has(m.verdict));
      if (stop.signal.aborted) {
        message = notSent({ scenario: name, messages: options.messages, i }, `the run was stopped (${String(stop.signal.reason)}) before this message`);
      } else if (dead) {
        message = afterDeadChat({ scenario: name, messages: options.messages, i }, dead, `the chat died at ${dead.index}/${dead.total} (${dead.verdict})`);
      } else {
        message = await judge(session, handle, turn, options.messages);
      }
      await record(message);
    }
  } catch (error) {
    if (error instanceof SkipError && !stop.signal.aborted) {
      // The build does not offer what the scenario needs (no Pi row, no claude chat, the --setup
      // variant): a loud, counted skip under its own label, never a setup failure.
      skipped(`${error.label} — ${error.message}`);
    } else if (stop.signal.aborted) {
      // Stopped before the chat took messages: nothing about wg is known, and nothing is invented.
      result.status = 'interrupted';
      result.reason = `${String(stop.signal.reason)} before the chat opened`;
      for (let i = result.messages.length; i < options.messages.length; i++)
        await record(notSent({ scenario: name, messages: options.messages, i }, `the run was stopped (${String(stop.signal.reason)}) before the chat opened`));
    } else {
      result.status = 'setup-failed';
      result.setupPhase = phase;
      result.reason = error instanceof HarnessError ? error.message : `harness error: ${(error as Error).stack ?? String(error)}`;
    }
  } finally {
    await once();
    stop.signal.removeEventListener('abort', onStop);
    untrack.forEach((u) => u());
  }
  return result;

  // One message judged: typed at the person's pace and sent with Enter, or (a replayed trace) typed by
  // the trace, whose Enter `deliver` sends. Its evidence is on disk before the next one.
  async function judge(
    session: TerminalSession,
    handle: ChatHandle,
    turn: { text: string; index: number },
    messages: readonly string[],
    deliver?: () => Promise<void>,
  ): Promise<MessageResult> {
    const c = ctx as DriverContext;
    reporter.onMessageStart?.(name, turn.index, messages.length, turn.text);
    // --jitter: a resize while the reply streams, CPU pressure; and the person's typing below.
    const during = jitter?.duringTurn(turn.index, turn.text, session, oracle);
    return runTurn({
      session,
      detector: handle.detector,
      scenario: name,
      turn,
      total: messages.length,
      budgetMs: turn.index === 1 ? options.firstReplyMs : options.replyMs,
      typeDelayMs: options.typeDelayMs,
      person: jitter?.typing(turn.index),
      deliver,
      writeScreen: async (file) => {
        const t = performance.now();
        const files = await saved(`the screen ${file}`, writeScreen(session, dir, file, input.runDir));
        own('evidence', performance.now() - t);
        return files;
      },
      readTranscript: handle.readTranscript,
      lastWords: handle.lastWords,
      history: handle.history,
      writeText: async (file, text) => void (await saved(file, writeText(dir, file, text))),
      oracle,
      earlierMessages: messages.slice(0, turn.index - 1),
      // What was typed never showed: the screen's own hint for opening chat input is followed.
      notTaken: deliver
        ? undefined
        : async (typed) => {
            const next = await followInputHint(session, c, handle, typed);
            if (!next) return undefined;
            if (next !== handle) result.surface = surfaceOf(next.detector);
            handle = next;
            return { detector: next.detector, readTranscript: next.readTranscript, history: next.history, lastWords: next.lastWords };
          },
      wgLog: (sinceMs, untilMs) => notableLogLines(c.projectDir, sinceMs, untilMs),
      timing: spent,
      stop: stop.signal,
    }).finally(() => during?.end());
  }

  // `--from-trace`: the trace's events typed into the live TUI, each compared with what the live
  // trace recorded; each Enter the trace sent into a chat's input is judged as a message. The chat is
  // the one the trace's own keys opened: the harness presses nothing to open it.
  async function replayRecorded(session: TerminalSession, recorded: TraceEntry[], paste: PasteText, c: DriverContext): Promise<void> {
    const turns = traceTurns(recorded, paste);
    const messages = turns.map((t) => t.text);
    let handle: ChatHandle | undefined;
    let diverged = 0;
    // The chat the trace's keys opened, read once it shows (the first key into it waits for that).
    let attached: Promise<ChatHandle | undefined> | undefined;
    const attach = () => (attached ??= generation?.attach(session, c) ?? Promise.resolve(undefined));
    const outcome = await replayTrace({
      session,
      recorded,
      liveFile: join(dir, WG_TRACE_FILE),
      pace: options.tracePace,
      onDivergence: options.onDivergence,
      signal: stop.signal,
      say: (line) => (diverged++, finding(line)),
      saveScreen: async (base) => (await writeScreen(session, dir, base, input.runDir), `${base}.txt`),
      saveText: async (file, text) => ((await saved(file, writeText(dir, file, text))) ? file : `${file} (not written)`),
      turns: new Map(turns.map((t) => [t.enterAt, t.text])),
      paste,
      ready: async (entry, previous) => {
        if (toChatInput(entry.state) && !(previous && toChatInput(previous.state))) await attach();
      },
      judge: async (turn, deliver) => {
        phase = 'chat-open';
        handle ??= await attach();
        if (!handle) {
          // After a divergence the live TUI is elsewhere (said already): the message is not judged.
          // Without one, wg is where the user's was and the harness cannot read the chat: its failure.
          if (diverged === 0)
            throw new HarnessError(`the trace's Enter went to a chat input, and no chat of the ${generation?.name} generation the harness knows is on screen`);
          await deliver();
          await record(
            notSent({ scenario: name, messages, i: turn.index - 1 }, 'the replay had diverged and no chat is on screen: this message is not judged'),
          );
          return true;
        }
        result.surface ??= surfaceOf(handle.detector);
        const message = await judge(session, handle, turn, messages, deliver);
        await record(message);
        return !FATAL.has(message.verdict);
      },
    });
    finding(
      `replayed ${outcome.sent} of ${recorded.length} events of ${options.fromTrace} (pace ${options.tracePace}${options.tracePace === 'recorded' ? `, gaps cut to ${PACE_CAP_MS / 1000} s` : ''}); ${outcome.judged} of ${turns.length} messages judged${outcome.stopped ? `; stopped: ${outcome.stopped}` : ''}`,
    );
    // The messages the replay never reached are said, not dropped.
    const dead = result.messages.find((m) => FATAL.has(m.verdict));
    for (let i = result.messages.length; i < messages.length; i++)
      await record(
        dead
          ? afterDeadChat({ scenario: name, messages, i }, dead, `the chat died at ${dead.index}/${dead.total} (${dead.verdict})`)
          : notSent({ scenario: name, messages, i }, `the replay stopped before this message (${outcome.stopped ?? 'no reason'})`),
      );
    if (outcome.divergences.length) {
      result.status = 'failed';
      result.reason = result.diverged = outcome.divergences[0];
    }
  }

  // The pasted texts: the user's own (`--paste-text`), checked against the trace, or placeholders.
  async function pasteFor(recorded: TraceEntry[]): Promise<PasteText> {
    if (!options.pasteText) return placeholderPaste;
    const text = await readFile(options.pasteText, 'utf8').catch((error: Error) => {
      throw new SetupError(`--paste-text: cannot read ${options.pasteText}: ${error.message}`);
    });
    try {
      return pasteTextsFor(recorded, splitPasteFile(text));
    } catch (error) {
      throw new SetupError(`--paste-text ${options.pasteText} does not fit the trace: ${(error as Error).message}`);
    }
  }

  // claude-local: wg finds `claude` on its PATH, and claude talks to the embedded endpoint with a
  // private config folder, so the user's own Claude settings are neither read nor written.
  async function useClaude(claude: { bin: string; env: Record<string, string> }): Promise<void> {
    await symlink(resolve(claude.bin), join(environment.binDir, 'claude'));
    const configDir = join(privateDir, 'claude-config');
    await mkdir(configDir, { recursive: true });
    // claude keeps scratch files under TMPDIR (`claude-<uid>/`): a private one, removed with the run.
    const tmp = join(privateDir, 'tmp');
    await mkdir(tmp, { recursive: true });
    Object.assign(environment.env, claude.env, { CLAUDE_CONFIG_DIR: configDir, TMPDIR: tmp });
  }

  function skipped(reason: string): ScenarioResult {
    result.status = 'skipped';
    result.reason = reason;
    finding(reason);
    return result;
  }

  async function teardown(): Promise<void> {
    let leakedByTui: Array<{ pid: number; cmd: string }> = [];
    if (session) {
      await writeScreen(session, dir, 'final', input.runDir).catch(() => undefined);
      await saved('queries.json', writeText(dir, 'queries.json', `${JSON.stringify(session.queries, null, 2)}\n`));
      const disposeStarted = performance.now();
      // Leaked descendants are left for the generation's teardown first: a chat's tmux session outlives
      // `wg tui` by design, and stopping it is the generation's job. What survives that is a real leak.
      const disposed = await session.dispose({ killLeaked: false }).catch(() => ({ leaked: [] as Array<{ pid: number; cmd: string }> }));
      spent('tui-exit', performance.now() - disposeStarted);
      leakedByTui = disposed.leaked;
    }
    if (ctx && generation) {
      ctx.cancel = undefined; // teardown's own wg commands must run, stopped run or not
      await texts.copyIfExists(join(await wgDirOf(ctx.projectDir), 'service', 'daemon.log'), join(dir, 'daemon.log'));
      const teardownStarted = performance.now();
      const before = commands.length;
      await generation.teardown(ctx).catch((error: Error) => finding(`teardown: ${error.message}`));
      // The wg commands of teardown are counted below with the others.
      spent('wg-teardown', performance.now() - teardownStarted - commands.slice(before).reduce((sum, c) => sum + c.durationMs, 0));
    }
    const survivors = leakedByTui.filter((p) => isAlive(p.pid));
    if (survivors.length > 0) {
      await stopProcesses(survivors.map((p) => p.pid));
      finding(`wg tui left processes behind that teardown did not stop (killed): ${survivors.map((p) => `${p.pid} ${p.cmd.slice(0, 100)}`).join('; ')}`);
    }
    // Whatever still carries this scenario's tag was started for it and outlived teardown.
    const strays = (await taggedProcesses(runTag)).filter((p) => !survivors.some((s) => s.pid === p.pid));
    if (strays.length > 0) {
      await stopProcesses(strays.map((p) => p.pid));
      finding(`processes started for this run were still alive after teardown (killed): ${strays.map((p) => `${p.pid} ${p.cmd.slice(0, 100)}`).join('; ')}`);
    }
    const logFailure = target.kind === 'ready' ? target.endpoint?.trafficLogFailure : undefined;
    if (logFailure) finding(`could not write endpoint-traffic.ndjson (${logFailure}); the endpoint kept its entries in memory and judging went on`);
    const closeStarted = performance.now();
    if (target.kind === 'ready') await target.endpoint?.close();
    spent('endpoint', performance.now() - closeStarted);
    await saved('commands.log', writeText(dir, 'commands.log', commandsLog(commands)));
    if (jitter) await saved('jitter.json', writeText(dir, 'jitter.json', jitter.toJson()));
    await saved('wg-version.txt', writeText(dir, 'wg-version.txt', `${wg.version}\npath: ${wg.path}\nsha256: ${wg.sha256}\n`));
    await rm(privateDir, { recursive: true, force: true }).catch(() => undefined);
    // The project folder the harness made goes too (kept with --keep); a named --workdir never does.
    if (projectDir) {
      const remove = projectDir.created && !options.keep;
      if (remove)
        await rm(projectDir.path, { recursive: true, force: true }).catch((error: Error) =>
          finding(`could not remove the project folder ${projectDir?.path}: ${error.message}`),
        );
      result.project = { dir: projectDir.path, kept: !remove };
      reporter.onInfo?.(`${name}: project folder ${projectDir.path} ${remove ? 'removed (--keep keeps it)' : 'kept'}`);
    }
    spent(
      'wg-commands',
      commands.reduce((sum, c) => sum + c.durationMs, 0),
    );
    result.durationMs = performance.now() - started;
    result.phases = { ...phases, ...Object.fromEntries(Object.entries(ownPhases).map(([k, v]) => [`harness:${k}`, v])) };
    result.waitedMs = Object.values(phases).reduce((sum, ms) => sum + ms, 0);
    if (result.status === 'passed' && result.messages.some((m) => !m.passed)) result.status = 'failed';
    reporter.onScenarioEnd?.(result);
  }
}
