import { parsePace, type Pace } from '../endpoint/pace.js';
import { DEFAULT_FLAVOR, DEFAULT_MODEL, FLAVORS, type Flavor } from '../endpoint/types.js';
import { OptionError } from '../errors.js';
import { STARTUPS, SETUP_VARIANTS, type SetupVariant, type Startup } from '../wg/types.js';
import { MAX_SEED } from './jitter/schedule.js';

// Options of `wg-tui-e2e run`, normalized once: defaults in one place, environment fallbacks,
// and a clear error naming any bad value. Everything downstream reads only RunOptions.

// pi-local: a Pi chat against the embedded endpoint on every build whose TUI offers Pi; a build
// without Pi skips it loudly (`SKIP pi-local PI SMOKE SKIPPED — …`), so it is in the default set.
export const SCENARIOS = ['nex-local', 'nex-live', 'claude-local', 'pi-local', 'claude'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** The five messages of the user's flow: `hi` first, then what a person would type next. */
export const DEFAULT_MESSAGES = ['hi', 'what can you help me with?', 'tell me a short joke', 'what was my first message?', 'thanks, bye'];

export interface RunOptions {
  scenarios: ScenarioName[];
  wg?: string;
  /** The live endpoint for nex-live (`--endpoint` or WG_E2E_NEX_ENDPOINT); never a default. */
  endpoint?: string;
  /** nex-live hands wg the endpoint's URL itself instead of the recording proxy's (`--direct`). */
  direct: boolean;
  /** nex-local answers from this recording (a record file, or an artifacts folder holding one) instead of its own replies. */
  replayFrom?: string;
  model: string;
  messages: string[];
  workdir?: string;
  reuse: boolean;
  isolate: boolean;
  artifacts: string;
  /** Budget of the first message (the report demands 30 s) and of the others. */
  firstReplyMs: number;
  replyMs: number;
  typeDelayMs: number;
  flavor: Flavor;
  lenient: boolean;
  /** JSON or YAML fault rules for the embedded endpoint (nex-local only). */
  faults?: string;
  /** Where the embedded endpoint's replies come from: the built-in corpus (default) or echo. */
  replies: 'echo' | 'corpus';
  /** A corpus file of the user's own (implies corpus). */
  replyCorpus?: string;
  pace: Pace;
  /** The --pace text as given (for the rerun line); undefined = default. */
  paceText?: string;
  /** The embedded endpoint sends a leading `<think>` block as `reasoning_content`, as a server with a reasoning parser does. */
  reasoningParser: boolean;
  /** Scenarios whose loud skip is expected here (`--allow-skip`, `all` for every one): still printed and counted, but no exit 2 by itself. */
  allowSkip: readonly string[];
  json?: string;
  junit?: string;
  bisect: boolean;
  cols: number;
  rows: number;
  /** Keep the project folder the harness made (it is removed after the run otherwise). */
  keep: boolean;
  /** The whole run's budget; past it the run stops as on a signal (undefined: none). */
  deadlineMs?: number;
  /** The claude CLI for claude-local (`--claude` or CLAUDE_BIN; else PATH, then the install cache). */
  claude?: string;
  /** The `pi` wg runs (`--pi` or PI_BIN; else PATH, then the install cache). */
  pi?: string;
  /** Each scenario this many times, each on a fresh workspace (races show in one run of several). */
  repeat: number;
  /** How the project is set up: the user's literal command first (`literal`), a plain `wg init` and the chat made in the TUI's launcher (`plain`), or one of the build's own named `wg init --route`s (`route`). */
  setup: SetupVariant;
  /** `--from-trace FILE`: replay wg's own trace of a user's session instead of typing the messages. */
  fromTrace?: string;
  /** `--paste-text FILE`: the user's own pasted texts for `--from-trace`, in order, separated by lines of `---`. */
  pasteText?: string;
  /** `--trace-pace`: the user's gaps (each cut to 5 s) or only the order. */
  tracePace: 'recorded' | 'fast';
  /** `--on-divergence`: stop at the first divergence or go on. */
  onDivergence: 'stop' | 'continue';
  /** `--startup`: when `wg tui` starts after `wg service start` (see STARTUPS). */
  startup: Startup;
  /** `--jitter`: the seed of a person's timing and the races around it, or a fresh seed per run; undefined: the fixed pace. */
  jitter?: number | 'random';
  /** `--jitter-cpu`: the schedule also plans bounded busy loops on one CPU. */
  jitterCpu: boolean;
}

export { SETUP_VARIANTS, type SetupVariant };

/** Defaults written once: the rerun line leaves out what equals them. */
export const DEFAULTS = { firstReplyMs: 30_000, replyMs: 60_000, typeDelayMs: 25, cols: 160, rows: 48 } as const;

export interface RawRunOptions {
  setup?: string;
  scenario?: string[];
  wg?: string;
  endpoint?: string;
  direct?: boolean;
  'replay-from'?: string;
  model?: string;
  message?: string[];
  workdir?: string;
  reuse?: boolean;
  isolate?: boolean;
  artifacts?: string;
  'first-reply-timeout'?: string;
  'reply-timeout'?: string;
  'type-delay'?: string;
  flavor?: string;
  lenient?: boolean;
  faults?: string;
  replies?: string;
  'reply-corpus'?: string;
  pace?: string;
  'reasoning-parser'?: boolean;
  'allow-skip'?: string[];
  json?: string;
  junit?: string;
  bisect?: boolean;
  size?: string;
  keep?: boolean;
  deadline?: string;
  claude?: string;
  pi?: string;
  repeat?: string;
  'from-trace'?: string;
  'trace-pace'?: string;
  'paste-text'?: string;
  'on-divergence'?: string;
  startup?: string;
  jitter?: string;
  'jitter-cpu'?: boolean;
}

function seconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new OptionError(`--${name} takes a number of seconds > 0, got "${value}"`);
  return n * 1000;
}

function size(value: string | undefined): { cols: number; rows: number } {
  if (value === undefined) return { cols: DEFAULTS.cols, rows: DEFAULTS.rows };
  const m = /^(\d+)x(\d+)$/.exec(value);
  const cols = Number(m?.[1]);
  const rows = Number(m?.[2]);
  if (!m || cols < 40 || rows < 10 || cols > 1000 || rows > 500) throw new OptionError(`--size takes COLSxROWS such as 160x48, got "${value}"`);
  return { cols, rows };
}

function typeDelay(value: string | undefined): number {
  if (value === undefined) return DEFAULTS.typeDelayMs;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 5000) throw new OptionError(`--type-delay takes whole milliseconds from 0 to 5000, got "${value}"`);
  return n;
}

function repeatCount(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new OptionError(`--repeat takes a whole number of runs from 1 to 100, got "${value}"`);
  return n;
}

/** The artifacts folder a command makes when `--artifacts` is not given: `artifacts/<kind>-<time>` (run, matrix, bisect). */
export const defaultArtifacts = (kind: string): string => `artifacts/${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}`;

// Fills defaults and env fallbacks, validates, and returns the one options object of a run.
export function normalizeRunOptions(raw: RawRunOptions, env: NodeJS.ProcessEnv = process.env): RunOptions {
  const scenarios = (raw.scenario ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of scenarios) {
    if (!(SCENARIOS as readonly string[]).includes(s)) throw new OptionError(`--scenario takes ${SCENARIOS.join(', ')}; got "${s}"`);
  }
  const flavor = (raw.flavor ?? DEFAULT_FLAVOR) as Flavor;
  if (!FLAVORS.includes(flavor)) throw new OptionError(`--flavor takes ${FLAVORS.join(', ')}; got "${flavor}"`);
  const messages = raw.message && raw.message.length > 0 ? raw.message : DEFAULT_MESSAGES;
  if (messages.some((m) => m.trim() === '')) throw new OptionError('--message must not be empty');
  const replies = raw.replies ?? 'corpus';
  if (replies !== 'echo' && replies !== 'corpus') throw new OptionError(`--replies takes echo or corpus, got "${replies}"`);
  if (raw['reply-corpus'] !== undefined && replies === 'echo') throw new OptionError('--reply-corpus needs --replies corpus (got --replies echo)');
  const endpoint = raw.endpoint ?? (env.WG_E2E_NEX_ENDPOINT || undefined);
  if (raw.direct && !endpoint) throw new OptionError('--direct hands wg your endpoint itself: it needs --endpoint URL (or WG_E2E_NEX_ENDPOINT)');
  if (raw['replay-from'] !== undefined && (raw.faults !== undefined || raw['reply-corpus'] !== undefined || raw.pace !== undefined)) {
    throw new OptionError('--replay-from answers as the recording did: it does not go with --faults, --reply-corpus or --pace');
  }
  if (endpoint && !/^https?:\/\/[^/]+/.test(endpoint)) throw new OptionError(`--endpoint must be an http:// or https:// URL, got "${endpoint}"`);
  return {
    scenarios: scenarios.length > 0 ? ([...new Set(scenarios)] as ScenarioName[]) : [...SCENARIOS],
    wg: raw.wg,
    endpoint: endpoint?.replace(/\/+$/, ''),
    direct: raw.direct ?? false,
    replayFrom: raw['replay-from'],
    model: raw.model ?? DEFAULT_MODEL,
    messages,
    workdir: raw.workdir,
    reuse: raw.reuse ?? false,
    isolate: raw.isolate ?? false,
    artifacts: raw.artifacts ?? defaultArtifacts('run'),
    firstReplyMs: seconds('first-reply-timeout', raw['first-reply-timeout'], DEFAULTS.firstReplyMs),
    replyMs: seconds('reply-timeout', raw['reply-timeout'], DEFAULTS.replyMs),
    typeDelayMs: typeDelay(raw['type-delay']),
    flavor,
    lenient: raw.lenient ?? false,
    faults: raw.faults,
    replies,
    replyCorpus: raw['reply-corpus'],
    pace: parsePace(raw.pace ?? 'real'),
    paceText: raw.pace,
    reasoningParser: raw['reasoning-parser'] ?? false,
    allowSkip: allowedSkipNames(raw['allow-skip']),
    json: raw.json,
    junit: raw.junit,
    bisect: raw.bisect ?? false,
    ...size(raw.size),
    keep: raw.keep ?? false,
    deadlineMs: raw.deadline === undefined ? undefined : seconds('deadline', raw.deadline, 0),
    claude: raw.claude ?? (env.CLAUDE_BIN || undefined),
    pi: raw.pi ?? (env.PI_BIN || undefined),
    repeat: repeatCount(raw.repeat),
    setup: setupVariant(raw.setup),
    fromTrace: raw['from-trace'],
    pasteText: pasteTextFile(raw['paste-text'], raw['from-trace']),
    tracePace: oneOf('trace-pace', raw['trace-pace'], ['recorded', 'fast'] as const),
    onDivergence: oneOf('on-divergence', raw['on-divergence'], ['stop', 'continue'] as const),
    // person first: what the user did (see STARTUPS).
    startup: oneOf('startup', raw.startup, STARTUPS),
    jitter: jitterSeed(raw.jitter, raw['from-trace']),
    jitterCpu: jitterCpu(raw),
  };
}

function pasteTextFile(file: string | undefined, fromTrace: string | undefined): string | undefined {
  if (file !== undefined && fromTrace === undefined) throw new OptionError("--paste-text gives the texts of a replayed trace's pastes: it needs --from-trace");
  return file;
}

/** `--jitter SEED` (a whole number from 0 to MAX_SEED) or `random`. */
function jitterSeed(value: string | undefined, fromTrace: string | undefined): number | 'random' | undefined {
  if (value !== undefined && fromTrace !== undefined) throw new OptionError("--jitter plans a person's timing; --from-trace replays the user's own: use one");
  if (value === undefined || value === 'random') return value;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n > MAX_SEED) throw new OptionError(`--jitter takes a seed (a whole number from 0 to ${MAX_SEED}) or random, got "${value}"`);
  return n;
}

function jitterCpu(raw: RawRunOptions): boolean {
  if (raw['jitter-cpu'] && raw.jitter === undefined)
    throw new OptionError('--jitter-cpu plans its busy loops from the jitter schedule: it needs --jitter SEED (or random)');
  return raw['jitter-cpu'] ?? false;
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined) return allowed[0] as T;
  if (!(allowed as readonly string[]).includes(value)) throw new OptionError(`--${name} takes ${allowed.join(' or ')}, got "${value}"`);
  return value as T;
}

function allowedSkipNames(values: readonly string[] | undefined): string[] {
  const names = (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const n of names) {
    if (n !== 'all' && !(SCENARIOS as readonly string[]).includes(n))
      throw new OptionError(`--allow-skip takes a scenario (${SCENARIOS.join(', ')}) or all; got "${n}"`);
  }
  return [...new Set(names)];
}

/** Whether the run allows `scenario`'s loud skip. */
export const skipAllowed = (options: Pick<RunOptions, 'allowSkip'>, scenario: string): boolean =>
  options.allowSkip.includes('all') || options.allowSkip.includes(scenario);

function setupVariant(text: string | undefined): SetupVariant {
  if (text === undefined) return 'literal';
  if (!(SETUP_VARIANTS as readonly string[]).includes(text)) throw new OptionError(`--setup takes ${SETUP_VARIANTS.join(', ')}; got "${text}"`);
  return text as SetupVariant;
}
