import { parseArgs } from 'node:util';
import { HarnessError, OptionError } from './errors.js';
import { EXIT } from './report/model.js';

// The `wg-tui-e2e` command: the command table and the one place that maps errors to exit codes.
// Commands are imported lazily so `--help` stays fast.

const USAGE = `wg-tui-e2e — drive the real \`wg tui\` chat in a pseudo-terminal and judge every message

Usage:
  wg-tui-e2e run [options]          the smoke: the user's five-message flow, a verdict per message
  wg-tui-e2e endpoint [options]     run the strict OpenAI-compatible endpoint standalone
  wg-tui-e2e install [pi|claude|all] [--version V] [--wg PATH]
                                    Pi (the version wg pins, on Node 22) and the claude CLI into the
                                    cache, where the scenarios find them (see install --help)
  wg-tui-e2e doctor [--wg PATH] [--pi PATH] [--claude PATH] [--endpoint URL]
                                    what this machine has for each scenario, and how to get the rest
  wg-tui-e2e replay PATH [--at MARKER|SECONDS] [--judge] [--surface NAME] [--speed N]
                                    look at a recorded run offline (see replay --help)
  wg-tui-e2e matrix --wg A --wg B … [--scenario S]… [--setup V]… [--repeat N] [--jobs J] [--shard i/n]
                                    builds × scenarios × setups × repeats (see matrix --help)
  wg-tui-e2e merge DIR… [--later-wins]   one report from the shards' matrix folders
  wg-tui-e2e bisect --repo DIR --good A --bad B [--build CMD] [--terms NEW,OLD] [run options…]
                                    git bisect of a wg checkout, in a worktree of its own, the smoke
                                    at each step (see bisect --help)
  wg-tui-e2e trace redact FILE [--out FILE]
                                    wg's own trace (wg tui --trace) without the text typed in it
  wg-tui-e2e --help | --version

run options:
  --scenario NAME          nex-local, nex-live, claude-local, pi-local, claude (repeatable; default all)
  --wg PATH                the wg under test (default: WG_BIN, then PATH)
  --endpoint URL           live endpoint for nex-live (default: WG_E2E_NEX_ENDPOINT); wg talks to it
                           through a recording proxy on loopback that forwards every request unchanged
  --direct                 nex-live: hand wg the endpoint's URL itself, no proxy (its TLS client, its
                           own connection); verdicts then come from the screen and wg's transcript alone
  --replay-from PATH       nex-local answers from a recording (endpoint-recording.ndjson, or an artifacts
                           folder of a nex-live run) instead of its own replies: a live failure, offline
  --claude PATH            the claude CLI for claude-local (default: CLAUDE_BIN, then PATH, then the
                           install cache)
  --pi PATH                the \`pi\` wg runs (default: PI_BIN, then PATH, then the install cache)
  --model NAME             model name as given to \`wg init -m\` (default qwen3-coder)
  --message TEXT           a message to send (repeatable; default: "hi" and four more)
  --workdir DIR            run in DIR (refused when not empty, unless --reuse)
  --isolate                private HOME, config dirs and tmux server for wg, Pi and tmux (CI)
  --artifacts DIR          evidence folder (default artifacts/run-<time>)
  --first-reply-timeout S  budget of the first message (default 30)
  --reply-timeout S        budget of the others (default 60)
  --type-delay MS          delay between typed characters (default 25)
  --flavor F               embedded endpoint strictness: sglang (default), sglang-stream-error, vllm,
                           llamacpp (lenient like llama-server: any model name, paths without /v1)
  --lenient                embedded endpoint accepts provider:model and paths without /v1 (bisecting)
  --faults FILE            fault rules (JSON or YAML) for the embedded endpoint: statuses, stalls, drops…
  --replies MODE           embedded endpoint replies: corpus (default: model-like markdown, code, long
                           and tall replies, CJK, emoji, error words) or echo (\`Reply N to: <message>\`)
  --reply-corpus FILE      your own replies (YAML or JSON list of {match?, reply})
  --pace P                 embedded endpoint streaming pace: real (default: first token after 250 ms,
                           then 60 tokens/s), instant, or TTFT_MS:TOKENS_PER_SEC
  --reasoning-parser       embedded endpoint sends a reply's leading <think> block as reasoning_content,
                           as vLLM/SGLang with --reasoning-parser do (default: inline in content)
  --json FILE, --junit FILE   also write the results there
  --allow-skip SCENARIO    this scenario's loud skip is expected here (repeatable; all for every one): its
                           SKIP line is still printed and counted, but it does not make the exit code 2
  --from-trace FILE        replay wg's own trace (wg tui --trace) of a session into this build's wg tui
                           after the usual setup, instead of typing the messages; after each event the
                           live TUI's state (its own trace) is compared with the recorded one and the
                           first difference printed as DIVERGED (docs/traces.md)
  --paste-text FILE        the user's own pasted texts for --from-trace, in order, separated by lines
                           holding only --- (each must have its paste's recorded length; default: x's)
  --trace-pace P           recorded (default: the user's gaps, each cut to 5 s) or fast (the order only)
  --on-divergence D        stop (default) or continue
  --bisect                 exit 0 all replied, 1 a message failed, 125 this build cannot be set up or driven
                           (or a scenario was skipped whole: it judged nothing here)
  --size COLSxROWS         terminal size (default 160x48)
  --keep                   keep the wg project folder the harness made (removed after the run otherwise)
  --repeat N               each scenario N times on fresh workspaces; per message: passes/N, a 95% Wilson
                           interval and the first failing run's evidence (REPEAT lines); exit 1 if any failed
  --setup literal|plain|route   literal (default): the user's command first, then the nearest this wg
                           offers; plain: \`wg init\` with no model flags and the chat made in the TUI's
                           New chat launcher, as a person would; route: the build's own named
                           \`wg init --route\` (nex-custom, claude-cli, pi); a loud skip where not offered
  --deadline S             budget of the whole run; past it the run stops as on Ctrl-C (default none)
  --startup person|settled person (default): \`wg tui\` right after \`wg service start\` returns, as the
                           user typed it; settled: once the daemon's files say it is up (state.json with
                           a live pid, its socket, and the chat handler's lock where the daemon runs one)
  --jitter SEED|random     a person's timing from one seed: uneven typing with bursts and pauses, the gap
                           before Enter, the time from service start to wg tui, the endpoint's time to
                           first token and chunk gaps per request, a resize while a reply streams; the
                           plan and what happened in jitter.json, the seed on every FAIL line; random:
                           a fresh seed per run (with --repeat, REPEAT names the first failing seed)
  --jitter-cpu             with --jitter: bounded busy loops on one CPU (a worker thread, at most 4 s
                           each, ended with the turn) at planned times after Enter

Exit codes of run: 0 all passed; 1 a message failed; 2 nothing failed but something was skipped
loudly; 3 the harness or setup failed (wg missing, init failed, a bad output path, the --deadline
passed); with --bisect, 125 instead of 3. Stopped by a signal: 129 (SIGHUP), 130 (SIGINT), 143
(SIGTERM), after teardown and with every report written; the message in flight is \`interrupted\`.

Examples:
  wg-tui-e2e run --scenario nex-local --isolate                  the user's flow, embedded strict endpoint
  wg-tui-e2e run --wg ./target/debug/wg --endpoint http://127.0.0.1:8088   every scenario, yours live
  wg-tui-e2e run --scenario claude-local --claude node_modules/.bin/claude --isolate
  wg-tui-e2e run --scenario nex-local --repeat 10 --isolate     a race or a fix? passes/10 per message
  git bisect run wg-tui-e2e run --scenario nex-local --bisect --isolate --lenient`;

// The options of `run`, also checked up front for each cell of `matrix`.
const RUN_OPTIONS = {
  scenario: { type: 'string', multiple: true },
  wg: { type: 'string' },
  endpoint: { type: 'string' },
  direct: { type: 'boolean' },
  'replay-from': { type: 'string' },
  model: { type: 'string' },
  message: { type: 'string', multiple: true },
  workdir: { type: 'string' },
  reuse: { type: 'boolean' },
  isolate: { type: 'boolean' },
  artifacts: { type: 'string' },
  'first-reply-timeout': { type: 'string' },
  'reply-timeout': { type: 'string' },
  'type-delay': { type: 'string' },
  flavor: { type: 'string' },
  lenient: { type: 'boolean' },
  faults: { type: 'string' },
  replies: { type: 'string' },
  'reply-corpus': { type: 'string' },
  pace: { type: 'string' },
  'reasoning-parser': { type: 'boolean' },
  'allow-skip': { type: 'string', multiple: true },
  json: { type: 'string' },
  junit: { type: 'string' },
  bisect: { type: 'boolean' },
  size: { type: 'string' },
  keep: { type: 'boolean' },
  claude: { type: 'string' },
  pi: { type: 'string' },
  repeat: { type: 'string' },
  deadline: { type: 'string' },
  setup: { type: 'string' },
  'from-trace': { type: 'string' },
  'trace-pace': { type: 'string' },
  'paste-text': { type: 'string' },
  'on-divergence': { type: 'string' },
  startup: { type: 'string' },
  jitter: { type: 'string' },
  'jitter-cpu': { type: 'boolean' },
} as const;

async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: RUN_OPTIONS });
  const { normalizeRunOptions } = await import('./smoke/options.js');
  const options = normalizeRunOptions(values);
  const { runSmoke } = await import('./smoke/run.js');
  const { createConsoleReporter } = await import('./report/console.js');
  const { ReporterMultiplexer } = await import('./report/reporter.js');
  const { exitCodeFor } = await import('./report/model.js');
  const reporters = [createConsoleReporter()];
  // Under GitHub Actions: an annotation per failed message and the table in the job summary.
  if (process.env.GITHUB_ACTIONS === 'true') {
    const { createGithubReporter } = await import('./report/github.js');
    reporters.push(createGithubReporter({ summaryFile: process.env.GITHUB_STEP_SUMMARY || undefined }));
  }
  const reporter = new ReporterMultiplexer(reporters);
  const result = await runSmoke(options, reporter);
  for (const failure of reporter.failures) process.stderr.write(`reporter ${failure.hook} failed: ${String(failure.error)}\n`);
  return exitCodeFor(result, { bisect: options.bisect });
}

const TRACE_USAGE = `wg-tui-e2e trace — wg's own input trace (\`wg tui --trace FILE\`)

Usage: wg-tui-e2e trace redact FILE [--out FILE]

  redact   replaces every key typed as text (into a chat, a search, a form) with \`x\`, one key for
           one, and keeps commands and navigation keys, mouse events, paste lengths, resizes and
           focus; where the trace cannot tell text from a command (before July 2026 it records no
           input mode), the key is replaced. Writes FILE.redacted.jsonl, or --out FILE.`;

async function trace(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${TRACE_USAGE}\n`);
    return EXIT.ok;
  }
  const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { out: { type: 'string' } } });
  const [sub, file, ...extra] = positionals;
  if (sub !== 'redact') throw new OptionError(`trace ${sub ?? ''}: the subcommand is redact; see wg-tui-e2e trace --help`);
  if (!file || extra.length) throw new OptionError('trace redact takes one FILE; see wg-tui-e2e trace --help');
  const { runTraceRedact } = await import('./smoke/trace-command.js');
  return runTraceRedact(file, values.out, (line) => process.stdout.write(`${line}\n`));
}

const REPLAY_USAGE = `wg-tui-e2e replay — a recorded run looked at offline, no wg needed

Usage:
  wg-tui-e2e replay PATH                    play session.cast in this terminal (pauses cut to 2 s)
  wg-tui-e2e replay PATH --at MARKER        print the screen when MARKER was set (msg-2: just before
                                            message 2 was typed) or at SECONDS into the recording
  wg-tui-e2e replay PATH --judge            judge every message again with today's detectors and
                                            say where a verdict differs from the recorded one

PATH is a cast file (session.cast or .cast.gz), a scenario's artifacts folder, a run's artifacts
folder (--judge: every scenario in its run.json), or a recording in snapshots/real-wg/.
  --surface NAME   what the turns are read from (nex-pane, nex-tmux, pi-tmux, composer,
                composer-fed-pane, claude-pane); needed for a bare cast, else taken from run.json
                or expected.json (--ui is the older name)
  --speed N     playback speed (default 1)

Examples:
  wg-tui-e2e replay artifacts/run-2026-12-02T01-00-00-000Z/nex-local --at msg-1
  wg-tui-e2e replay artifacts/run-2026-12-02T01-00-00-000Z --judge
  wg-tui-e2e replay snapshots/real-wg/workgraph-3b885405/nex-local --judge

Exit codes: 0 shown, or every verdict as recorded; 1 a verdict differs; 3 bad input.`;

async function replay(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${REPLAY_USAGE}\n`);
    return EXIT.ok;
  }
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { at: { type: 'string' }, judge: { type: 'boolean' }, surface: { type: 'string' }, ui: { type: 'string' }, speed: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new OptionError('replay takes one PATH (a cast, or an artifacts folder); see wg-tui-e2e replay --help');
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0)) throw new OptionError(`--speed ${values.speed}: a number above 0`);
  if (values.at !== undefined && values.judge) throw new OptionError('--at and --judge do not go together');
  const surface = values.surface ?? values.ui;
  const { SURFACES } = await import('./wg/surfaces/index.js');
  if (surface !== undefined && !SURFACES.includes(surface)) throw new OptionError(`--surface ${surface}: one of ${SURFACES.join(', ')}`);
  const { runReplay } = await import('./smoke/replay-command.js');
  return runReplay({ path: positionals[0] as string, at: values.at, judge: values.judge, surface, speed });
}

const INSTALL_USAGE = `wg-tui-e2e install — Pi and the claude CLI for the scenarios, with npm, into the cache

Usage: wg-tui-e2e install [pi|claude|all] [--version V] [--wg PATH]

  pi       @earendil-works/pi-coding-agent with pi-ai, pi-agent-core and pi-tui, all at exactly one
           version: the one the wg under test pins (--wg, else WG_BIN, else PATH), else the README's
           default; Node 22 from the npm package that ships its binary; the \`pi\` launcher
  claude   @anthropic-ai/claude-code at an exact version (claude-local needs no login)
  all      both (the default)
  --version V   that exact version of the one tool named
  --wg PATH     the wg whose pinned Pi to install

The cache is WG_E2E_CACHE, else $XDG_CACHE_HOME/wg-tui-e2e, else ~/.cache/wg-tui-e2e; npm runs with
your own configuration (registry, proxy). A version already installed is reused. Runs find the tools
there after --pi/--claude, PI_BIN/CLAUDE_BIN and PATH: no PATH change needed.

Examples:
  npx wg-tui-e2e install all
  npx wg-tui-e2e install pi --wg ./target/debug/wg
  npx wg-tui-e2e install claude --version 2.1.332

Exit codes: 0 installed or reused; 3 it failed (one INSTALL FAILED line: the registry cannot be
reached, no such version, or npm's own error).`;

async function installCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${INSTALL_USAGE}\n`);
    return EXIT.ok;
  }
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { version: { type: 'string' }, wg: { type: 'string' } },
  });
  const { parseWhat, runInstall } = await import('./install/command.js');
  return runInstall({
    what: parseWhat(positionals),
    version: values.version,
    wg: values.wg,
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
  });
}

const DOCTOR_USAGE = `wg-tui-e2e doctor — what this machine has for each scenario, and how to get the rest

Usage: wg-tui-e2e doctor [--wg PATH] [--pi PATH] [--claude PATH] [--endpoint URL]

Checks wg (and which chat generation the probe sees), tmux, Pi and the Node it needs, claude,
the pty backend, and the endpoint's reachability when given: found or missing, and how to get it
(for Pi and claude, the exact \`wg-tui-e2e install\` command).

Examples:
  wg-tui-e2e doctor
  wg-tui-e2e doctor --wg ~/src/wg/target/debug/wg --endpoint http://127.0.0.1:8088

Exit codes: 0 the default scenarios can run; 3 they cannot (what is missing is listed).`;

const MATRIX_USAGE = `wg-tui-e2e matrix — builds × scenarios × setups × repeats, each cell its own isolated run

Usage: wg-tui-e2e matrix --wg A --wg B … [--scenario S]… [--setup V]… [--repeat N] [--jobs J]
                         [--shard i/n] [--artifacts DIR] [any run option]

Each cell is \`wg-tui-e2e run --wg B --scenario S --isolate\` in a child process (its own HOME,
tmux server and endpoint port), \`--jobs\` at once (default 1). \`--shard i/n\` runs every n-th
cell from the i-th: the same slices on every runner, disjoint and covering the matrix, so a CI
strategy.matrix can share a sweep; \`wg-tui-e2e merge DIR…\` joins the shards' folders.
Writes DIR/matrix.json, junit.xml, lines.txt, report.html (a build × scenario page linking each cell's
own report) and DIR/cells/<cell>/ (default artifacts/matrix-<time>); merge writes the same into --out.
--scenario defaults to nex-local, --setup to literal (several --setup: each a column of the matrix,
named in the lines as \`nex-local:plain@BUILD\`); other run options (--lenient, --message, --faults, …) go to every cell.

Examples:
  wg-tui-e2e matrix --wg ./wg-old --wg ./wg-new --scenario nex-local --repeat 5 --jobs 2
  wg-tui-e2e matrix --wg A --wg B --wg C --wg D --shard 2/4 --artifacts shard-2
  wg-tui-e2e merge shard-1 shard-2 shard-3 shard-4 --out merged
  wg-tui-e2e merge sweep rerun --later-wins --out merged   a rerun's cells replace the same cells of the sweep

Exit codes: as run (0 all passed, 1 a message failed, 2 only skips, 3 a cell could not be set up).`;

// What matrix and bisect share: each runs the smoke in child processes, so the options are theirs
// or the children's (passed on as typed), checked once here rather than failing in every child.

/** The options as typed that are not the command's own: every child run gets them. */
function childRunArgs(tokens: ReturnType<typeof parseArgs>['tokens'], own: ReadonlySet<string>): string[] {
  const args: string[] = [];
  for (const token of tokens ?? []) {
    if (token.kind !== 'option' || own.has(token.name)) continue;
    args.push(token.rawName, ...(token.value !== undefined ? [token.value] : []));
  }
  return args;
}

/** `--name N`: a whole number from 1 to `max`, `fallback` when not given. */
function wholeNumber(name: string, text: string | undefined, fallback: number, max: number): number {
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new OptionError(`--${name} ${text}: a whole number from 1 to ${max}`);
  return n;
}

/** The `--scenario` values (default nex-local), each one the smoke knows. */
async function scenariosOf(given: readonly string[] | undefined): Promise<string[]> {
  const { SCENARIOS } = await import('./smoke/options.js');
  const scenarios = [...(given ?? ['nex-local'])];
  for (const s of scenarios) if (!(SCENARIOS as readonly string[]).includes(s)) throw new OptionError(`--scenario ${s}: one of ${SCENARIOS.join(', ')}`);
  return scenarios;
}

// Options of a matrix itself; every other option is the cells' and goes to each run as given.
const MATRIX_OWN = new Set(['wg', 'scenario', 'setup', 'repeat', 'jobs', 'shard', 'artifacts']);
const REFUSED_IN_MATRIX = ['workdir', 'json', 'junit', 'bisect', 'reuse'];

async function matrix(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${MATRIX_USAGE}\n`);
    return EXIT.ok;
  }
  const { values, tokens } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    tokens: true,
    options: {
      ...RUN_OPTIONS,
      wg: { type: 'string', multiple: true },
      setup: { type: 'string', multiple: true },
      jobs: { type: 'string' },
      shard: { type: 'string' },
    },
  });
  const wgs = values.wg ?? [];
  if (wgs.length === 0) throw new OptionError('matrix needs at least one --wg PATH');
  for (const name of REFUSED_IN_MATRIX)
    if (values[name as keyof typeof values] !== undefined) throw new OptionError(`--${name} is not for matrix: each cell has its own folder under --artifacts`);
  const jobs = wholeNumber('jobs', values.jobs, 1, 16);
  const repeat = wholeNumber('repeat', values.repeat, 1, 1000);
  const { parseShard, runMatrix } = await import('./smoke/matrix.js');
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const runArgs = childRunArgs(tokens, MATRIX_OWN);
  const { defaultArtifacts, normalizeRunOptions } = await import('./smoke/options.js');
  const scenarios = await scenariosOf(values.scenario);
  const { existsSync } = await import('node:fs');
  for (const wg of wgs) if (!existsSync(wg)) throw new OptionError(`--wg ${wg}: no such file`);
  const setups = values.setup ?? ['literal'];
  for (const setup of setups) normalizeRunOptions({ ...values, wg: wgs[0], repeat: undefined, setup });
  const artifactsDir = values.artifacts ?? defaultArtifacts('matrix');
  const { exitCodeFor } = await import('./report/model.js');
  const { formatSummaryLine } = await import('./report/lines.js');
  const { run: result, cells } = await runMatrix({
    wgs,
    scenarios,
    setups,
    repeat,
    jobs,
    shard,
    artifactsDir,
    runArgs,
    onLine: (l) => void process.stdout.write(`${l}\n`),
  });
  process.stdout.write(
    `matrix: ${cells.length} cell${cells.length === 1 ? '' : 's'}${shard ? ` (shard ${shard.index}/${shard.of})` : ''} in ${(result.durationMs / 1000).toFixed(1)}s; reports in ${artifactsDir}\n${formatSummaryLine(result)}\n`,
  );
  return exitCodeFor(result);
}

async function merge(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
    process.stdout.write(`${MATRIX_USAGE}\n`);
    return argv.length === 0 ? EXIT.harness : EXIT.ok;
  }
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { out: { type: 'string' }, 'later-wins': { type: 'boolean' } },
  });
  const { mergeShards, writeMatrixReports } = await import('./smoke/matrix.js');
  const merged = await mergeShards(positionals, { laterWins: values['later-wins'] });
  const out = values.out ?? 'artifacts/merged';
  const { cells, keys, replaced, ...run } = merged;
  for (const key of replaced) process.stdout.write(`REPLACED ${key}: by a later folder's run of the same cell\n`);
  await writeMatrixReports(out, run, { matrix: { cells, ...(keys.length > 0 ? { keys } : {}), merged: positionals } });
  const { formatRunLines, formatSummaryLine } = await import('./report/lines.js');
  const { exitCodeFor } = await import('./report/model.js');
  process.stdout.write(
    `${formatRunLines(run).slice(0, -1).join('\n')}\nmerged ${positionals.length} folder${positionals.length === 1 ? '' : 's'} (${keys.length || cells.length} cells) into ${out}\n${formatSummaryLine(run)}\n`,
  );
  return exitCodeFor(run);
}

const BISECT_USAGE = `wg-tui-e2e bisect — find the wg commit where the smoke started failing (or was fixed)

Usage: wg-tui-e2e bisect --repo DIR --good A --bad B [--build CMD] [--binary PATH] [--terms NEW,OLD]
                         [--build-timeout S] [--artifacts DIR] [--scenario S]… [--setup V] [--repeat N]
                         [any run option]

  --repo DIR      your wg checkout; bisect makes a git worktree of it in a temp folder and drives
                  git bisect there (your worktree, index, HEAD and bisect state are not touched;
                  the worktree is removed at the end, also on Ctrl-C)
  --good A        a commit the smoke passes on; --bad B: one it fails on
  --build CMD     run by sh in the worktree at each step (default \`cargo build --bin wg\`), with
                  CARGO_TARGET_DIR shared by every step: yours if set, else <cache>/bisect-target
  --binary PATH   where CMD leaves wg, relative to the worktree or absolute (default
                  $CARGO_TARGET_DIR/debug/wg); each commit's binary is cached in
                  <cache>/bisect-bins/<recipe>/wg-<sha12> and not built again
  --terms NEW,OLD git's own terms: the smoke passes on NEW, fails on OLD, so the bisect finds the first
                  NEW commit (--terms fixed,broken --good <fixed> --bad <broken>: the first fixed one)
  --build-timeout S   budget of one build (default 3600); past it the commit is skipped

Each step builds (or takes the cached binary), then runs the smoke on it as a matrix cell
(\`run --isolate --bisect\` in a child process): 0 marks the commit good (NEW with --terms), 1 bad
(OLD), a build failure, a setup failure or a scenario skipped whole: git bisect skip. At the end:
the first bad (NEW) commit and its subject, the first message whose verdict differs between its
parent and it, both verdicts and causes; DIR/bisect.html shows that message's screen as it was typed
and at the verdict on both builds side by side, and each step's verdict lines; DIR/bisect.json has it
all, and DIR/steps/NN-<sha>/ each step's build.log and reports. <cache> is WG_E2E_CACHE, else
$XDG_CACHE_HOME/wg-tui-e2e, else ~/.cache/wg-tui-e2e. --scenario defaults to nex-local.

Examples:
  wg-tui-e2e bisect --repo ~/src/wg --good v0.9 --bad HEAD --lenient
  wg-tui-e2e bisect --repo ~/src/wg --terms fixed,broken --good 5422563c --bad 3b885405

Exit codes: 0 the commit was found; 2 inconclusive (only skipped commits left: the candidates are
printed); 3 bad options, a git failure, or a step the harness could not run; 130/143/129 stopped by a
signal (the worktree removed first).`;

const BISECT_OWN = new Set(['scenario', 'setup', 'repeat', 'artifacts', 'repo', 'good', 'bad', 'build', 'binary', 'terms', 'build-timeout']);
const REFUSED_IN_BISECT = ['wg', 'workdir', 'json', 'junit', 'bisect', 'reuse'];

async function bisect(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${BISECT_USAGE}\n`);
    return EXIT.ok;
  }
  const { values, tokens } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    tokens: true,
    options: {
      ...RUN_OPTIONS,
      repo: { type: 'string' },
      good: { type: 'string' },
      bad: { type: 'string' },
      build: { type: 'string' },
      binary: { type: 'string' },
      terms: { type: 'string' },
      'build-timeout': { type: 'string' },
    },
  });
  for (const name of ['repo', 'good', 'bad'] as const) if (!values[name]) throw new OptionError(`bisect needs --${name}; see wg-tui-e2e bisect --help`);
  for (const name of REFUSED_IN_BISECT)
    if (values[name as keyof typeof values] !== undefined)
      throw new OptionError(`--${name} is not for bisect: each step builds its own wg and has its own folder under --artifacts`);
  const repeat = wholeNumber('repeat', values.repeat, 1, 1000);
  const buildTimeout = values['build-timeout'] === undefined ? 3600 : Number(values['build-timeout']);
  if (!(buildTimeout > 0)) throw new OptionError(`--build-timeout ${values['build-timeout']}: seconds above 0`);
  const runArgs = childRunArgs(tokens, BISECT_OWN);
  const { defaultArtifacts, normalizeRunOptions } = await import('./smoke/options.js');
  const scenarios = await scenariosOf(values.scenario);
  const setup = values.setup ?? 'literal';
  // The steps' own options, checked once here rather than failing in every step.
  normalizeRunOptions({ ...values, repeat: undefined, setup, scenario: scenarios });
  const { parseTerms, runBisect, writeBisectReports } = await import('./smoke/bisect.js');
  const terms = values.terms === undefined ? undefined : parseTerms(values.terms);
  const artifactsDir = values.artifacts ?? defaultArtifacts('bisect');
  const { RunStop, SIGNAL_EXIT } = await import('./smoke/interrupt.js');
  const stop = new RunStop();
  const unlisten = stop.listen();
  try {
    const opts = {
      repo: values.repo as string,
      good: values.good as string,
      bad: values.bad as string,
      build: values.build,
      binary: values.binary,
      terms,
      scenarios,
      setup,
      repeat,
      runArgs,
      artifactsDir,
      buildTimeoutMs: buildTimeout * 1000,
      signal: stop.signal,
      out: (line: string) => void process.stdout.write(`${line}\n`),
    };
    const result = await runBisect(opts);
    await writeBisectReports(result, opts);
    const bisected = result.steps.filter((s) => s.bisected).length;
    process.stdout.write(
      `bisect: ${bisected} step${bisected === 1 ? '' : 's'} (and ${result.steps.length - bisected} commit${result.steps.length - bisected === 1 ? '' : 's'} run to compare) in ${(result.durationMs / 1000).toFixed(1)}s; ${artifactsDir}/bisect.html\n`,
    );
    return stop.received ? SIGNAL_EXIT[stop.received] : result.exitCode;
  } finally {
    unlisten();
  }
}

async function doctor(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${DOCTOR_USAGE}\n`);
    return EXIT.ok;
  }
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: { wg: { type: 'string' }, pi: { type: 'string' }, claude: { type: 'string' }, endpoint: { type: 'string' } },
  });
  const { runDoctor, formatDoctor } = await import('./smoke/doctor.js');
  const { lines, exitCode } = formatDoctor(await runDoctor(values));
  process.stdout.write(`${lines.join('\n')}\n`);
  return exitCode;
}

/** Runs the command line and returns the exit code; never calls process.exit itself. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return command ? EXIT.ok : EXIT.harness;
    }
    if (command === '--version') {
      const { createRequire } = await import('node:module');
      process.stdout.write(`${(createRequire(import.meta.url)('../package.json') as { version: string }).version}\n`);
      return EXIT.ok;
    }
    if (command === 'run') return await run(rest);
    if (command === 'doctor') return await doctor(rest);
    if (command === 'install') return await installCommand(rest);
    if (command === 'replay') return await replay(rest);
    if (command === 'matrix') return await matrix(rest);
    if (command === 'merge') return await merge(rest);
    if (command === 'bisect') return await bisect(rest);
    if (command === 'trace') return await trace(rest);
    if (command === 'endpoint') {
      const { runEndpointCommand } = await import('./endpoint/index.js');
      return await runEndpointCommand(rest);
    }
    throw new OptionError(`unknown command "${command}"; see wg-tui-e2e --help`);
  } catch (error) {
    if (error instanceof OptionError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`wg-tui-e2e: ${(error as Error).message}\n`);
      return EXIT.harness;
    }
    if (error instanceof HarnessError) {
      process.stderr.write(`wg-tui-e2e: ${error.message}\n`);
      return EXIT.harness;
    }
    process.stderr.write(`wg-tui-e2e: internal error (this should never happen): ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.harness;
  }
}
