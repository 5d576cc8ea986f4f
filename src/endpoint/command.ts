// `wg-tui-e2e endpoint …`: runs the strict endpoint standalone until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { OptionError } from '../errors.js';
import { repliesFromFlags } from './corpus.js';
import { loadFaultFile } from './faults.js';
import { parsePace } from './pace.js';
import { startEndpoint } from './server.js';
import { DEFAULT_FLAVOR, DEFAULT_MODEL, FLAVORS, type EndpointOptions, type Flavor, type TrafficEntry } from './types.js';

const USAGE = `usage: wg-tui-e2e endpoint [--port N] [--host H] [--model NAME]... [--flavor ${FLAVORS.join('|')}]
  [--lenient] [--api-key K] [--faults FILE] [--traffic-log FILE]
  [--record UPSTREAM --record-file F] [--replay F] [--replies echo|corpus] [--reply-corpus FILE]
  [--pace real|instant|TTFT_MS:TOKENS_PER_SEC] [--chunk-delay MS] [--first-chunk-delay MS]
  [--reasoning-parser]
Replies come from the built-in corpus of model-like replies at a real server's pace by default;
--replies echo --pace instant gives the terse \`Reply N to: <message>\` replies sent at once.
It serves the OpenAI-compatible routes (/v1/chat/completions, /v1/models) and the Anthropic
Messages API (/v1/messages, /v1/messages/count_tokens) on the same port, loopback only.

Examples:
  wg-tui-e2e endpoint --port 8088                          strict, like SGLang, on 127.0.0.1:8088
  wg-tui-e2e endpoint --flavor vllm --traffic-log t.ndjson every request and reply in t.ndjson
  wg-tui-e2e endpoint --faults faults.yaml                 a 500, a stall, a cut stream… on cue
  wg-tui-e2e endpoint --api-key sk-test --replies echo --pace instant`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  model: { type: 'string', multiple: true },
  flavor: { type: 'string' },
  lenient: { type: 'boolean' },
  'api-key': { type: 'string' },
  faults: { type: 'string' },
  'traffic-log': { type: 'string' },
  record: { type: 'string' },
  'record-file': { type: 'string' },
  replay: { type: 'string' },
  replies: { type: 'string' },
  'reply-corpus': { type: 'string' },
  pace: { type: 'string' },
  'reasoning-parser': { type: 'boolean' },
  'chunk-delay': { type: 'string' },
  'first-chunk-delay': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Test seams: where output goes and what stops the command besides SIGINT/SIGTERM. */
export interface CommandIO {
  stdout?: Writable;
  stderr?: Writable;
  signal?: AbortSignal;
}

function integer(option: string, value: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new OptionError(`--${option} ${JSON.stringify(value)} is not an integer 0-${max}`);
  return Number(value);
}

/** Turns argv into endpoint options; throws OptionError naming the option and the value. */
export async function parseEndpointArgs(argv: string[]): Promise<EndpointOptions | 'help'> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new OptionError(`${(error as Error).message}\n${USAGE}`, { cause: error });
  }
  if (values.help) return 'help';
  if (values.flavor !== undefined && !FLAVORS.includes(values.flavor as Flavor)) {
    throw new OptionError(`--flavor ${JSON.stringify(values.flavor)} is not one of ${FLAVORS.join(', ')}`);
  }
  if ((values.record === undefined) !== (values['record-file'] === undefined)) {
    throw new OptionError(`--record and --record-file go together (got ${values.record ? '--record only' : '--record-file only'})`);
  }
  if (values.record !== undefined && values.replay !== undefined) throw new OptionError('--record and --replay cannot be used together');
  if (values.record !== undefined && !URL.canParse(values.record)) throw new OptionError(`--record ${JSON.stringify(values.record)} is not a URL`);
  if (values['api-key'] === '') throw new OptionError('--api-key "" is empty');
  for (const m of values.model ?? []) if (m === '') throw new OptionError('--model "" is empty');
  const options: EndpointOptions = {
    port: integer('port', values.port, 65535) ?? 0,
    models: values.model ?? [],
    flavor: (values.flavor as Flavor | undefined) ?? DEFAULT_FLAVOR,
    lenient: values.lenient ?? false,
    faults: values.faults ? await loadFaultFile(values.faults) : [],
    replies: await repliesFromFlags(values.replies, values['reply-corpus']),
    reasoningParser: values['reasoning-parser'] ?? false,
  };
  if (values.host !== undefined) options.host = values.host;
  if (values['api-key'] !== undefined) options.apiKey = values['api-key'];
  if (values['traffic-log'] !== undefined) options.trafficLogPath = values['traffic-log'];
  if (values.record !== undefined) options.record = { upstream: values.record, file: values['record-file']! };
  if (values.replay !== undefined) options.replay = { file: values.replay };
  // An explicit chunk delay asks for the old batch streaming; otherwise the pace (default real).
  if (values.pace !== undefined || (values['chunk-delay'] === undefined && values['first-chunk-delay'] === undefined)) {
    options.pace = parsePace(values.pace ?? 'real');
  }
  const chunkDelay = integer('chunk-delay', values['chunk-delay']);
  if (chunkDelay !== undefined) options.chunkDelayMs = chunkDelay;
  const firstDelay = integer('first-chunk-delay', values['first-chunk-delay']);
  if (firstDelay !== undefined) options.firstChunkDelayMs = firstDelay;
  return options;
}

// One stderr line per exchange, so a person watching sees what wg sent.
const summary = (e: TrafficEntry) =>
  `#${e.seq} ${e.method} ${e.path} ${e.status}${e.model ? ` model=${e.model}` : ''}${e.fault ? ` fault=${e.fault}` : ''}` +
  `${e.error ? ` error=${e.error}` : ''} ${e.durationMs.toFixed(1)}ms\n`;

/**
 * Runs the command: starts the endpoint, prints `endpoint listening on <url>/v1 (…)` as the first stdout
 * line, waits for SIGINT/SIGTERM (or `io.signal`), closes cleanly and returns exit code 0.
 * Bad options throw OptionError; a port that cannot be bound throws SetupError.
 */
export async function runEndpointCommand(argv: string[], io: CommandIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const parsed = await parseEndpointArgs(argv);
  if (parsed === 'help') {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  const endpoint = await startEndpoint(parsed);
  const models = parsed.models && parsed.models.length > 0 ? parsed.models.join(', ') : DEFAULT_MODEL;
  const extras = [
    endpoint.lenient ? 'lenient' : '',
    parsed.apiKey ? 'api key required' : '',
    parsed.record ? `recording ${parsed.record.upstream} to ${parsed.record.file}` : '',
    parsed.replay ? `replaying ${parsed.replay.file}` : '',
  ].filter(Boolean);
  stdout.write(
    `endpoint listening on ${endpoint.baseUrl}/v1 (flavor ${endpoint.flavor}, models ${models}` + `${extras.length ? `, ${extras.join(', ')}` : ''})\n`,
  );
  const watcher = endpoint.onExchange((entry) => stderr.write(summary(entry)));
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop).on('SIGTERM', stop);
    if (io.signal?.aborted) return stop();
    io.signal?.addEventListener('abort', stop, { once: true });
  });
  await endpoint.close();
  watcher.dispose();
  stderr.write(`endpoint closed after ${endpoint.traffic.length} exchange(s)\n`);
  return 0;
}
