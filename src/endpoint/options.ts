// Checks `startEndpoint` options once, fills defaults, and refuses anything but a loopback host.
import { isIP } from 'node:net';
import { OptionError } from '../errors.js';
import { builtinCorpus, ReplyCorpus, validateCorpus } from './corpus.js';
import { validateFaultRules } from './faults.js';
import { DEFAULT_FLAVOR, DEFAULT_MODEL, FLAVORS, type EndpointOptions, type FaultRule, type Flavor, type PaceVariation } from './types.js';

/** Options with every default filled in. */
export interface ResolvedOptions {
  host: string;
  port: number;
  models: readonly string[];
  flavor: Flavor;
  lenient: boolean;
  apiKey: string | undefined;
  faults: readonly FaultRule[];
  trafficLogPath: string | undefined;
  record: { upstream: string; file: string } | undefined;
  replay: { file: string } | undefined;
  /** undefined = echo replies (`Reply N to: …`). */
  corpus: ReplyCorpus | undefined;
  chunkDelayMs: number;
  firstChunkDelayMs: number;
  chunking: 'token' | 'batch';
  /** Each chat request's own pace (--jitter); undefined: every request at the pace above. */
  paceVariation: ((n: number) => PaceVariation) | undefined;
  reasoningParser: boolean;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  headersTimeoutMs: number;
}

/** True for 127.0.0.0/8, ::1 and localhost: the only addresses this endpoint may listen on. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new OptionError(`${name} ${value} is not a non-negative number`);
  return value;
}

/** Validates options; throws OptionError naming the option and the value it got. */
export function resolveOptions(options: EndpointOptions): ResolvedOptions {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new OptionError(`host ${host} is not a loopback address (127.0.0.0/8, ::1, localhost)`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new OptionError(`port ${port} is not 0-65535`);
  const flavor = options.flavor ?? DEFAULT_FLAVOR;
  if (!FLAVORS.includes(flavor)) throw new OptionError(`flavor ${String(flavor)} is not one of ${FLAVORS.join(', ')}`);
  const models = options.models && options.models.length > 0 ? [...options.models] : [DEFAULT_MODEL];
  for (const m of models) if (typeof m !== 'string' || m === '') throw new OptionError(`model ${JSON.stringify(m)} is empty`);
  if (options.record && options.replay) throw new OptionError('record and replay cannot be used together');
  if (options.record) {
    try {
      new URL(options.record.upstream);
    } catch {
      throw new OptionError(`record upstream ${options.record.upstream} is not a URL`);
    }
  }
  if (options.apiKey === '') throw new OptionError('apiKey "" is empty');
  return {
    host,
    port,
    models,
    flavor,
    lenient: options.lenient ?? false,
    apiKey: options.apiKey,
    faults: validateFaultRules([...(options.faults ?? [])]),
    trafficLogPath: options.trafficLogPath,
    record: options.record,
    replay: options.replay,
    corpus: corpusOf(options.replies),
    ...paceOf(options),
    paceVariation: options.paceVariation,
    reasoningParser: options.reasoningParser ?? false,
    maxBodyBytes: nonNegative('maxBodyBytes', options.maxBodyBytes, 4 * 1024 * 1024),
    bodyTimeoutMs: nonNegative('bodyTimeoutMs', options.bodyTimeoutMs, 30_000),
    headersTimeoutMs: nonNegative('headersTimeoutMs', options.headersTimeoutMs, 10_000),
  };
}

function corpusOf(replies: EndpointOptions['replies']): ReplyCorpus | undefined {
  if (replies === undefined || replies === 'echo') return undefined;
  if (replies === 'corpus') return builtinCorpus();
  if (!Array.isArray(replies)) throw new OptionError(`replies ${JSON.stringify(replies)} is not echo, corpus or a list of entries`);
  return new ReplyCorpus(validateCorpus(replies));
}

// A pace wins over the two chunk delays, which stay for the protocol specs' batch streaming.
function paceOf(options: EndpointOptions): Pick<ResolvedOptions, 'chunkDelayMs' | 'firstChunkDelayMs' | 'chunking'> {
  const { pace } = options;
  if (!pace) {
    return {
      chunkDelayMs: nonNegative('chunkDelayMs', options.chunkDelayMs, 20),
      firstChunkDelayMs: nonNegative('firstChunkDelayMs', options.firstChunkDelayMs, 0),
      chunking: 'batch',
    };
  }
  const tps = nonNegative('pace.tokensPerSec', pace.tokensPerSec, 0);
  return { chunkDelayMs: tps > 0 ? 1000 / tps : 0, firstChunkDelayMs: nonNegative('pace.ttftMs', pace.ttftMs, 0), chunking: pace.chunking };
}
