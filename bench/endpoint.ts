// Benchmark: our strict endpoint (logging on, delays 0) beside a bare node:http server sending the same
// SSE bytes, at 1 and 50 concurrent streams. The goal is ≤ 1 ms added at p50; compare within one run.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { startEndpoint } from '../src/endpoint/index.js';
import { replyFor, splitIntoChunks } from '../src/endpoint/replies.js';
import { completionIds, contentChunk, DONE, finishChunk, roleChunk, SSE_HEADERS } from '../src/endpoint/sse.js';

/** Percentiles of one scenario, in milliseconds. */
export interface BenchRow {
  server: 'bare' | 'endpoint';
  concurrency: number;
  requests: number;
  /** Wall time per request while `concurrency` were in flight: the server's service time at 50. */
  msPerRequest: number;
  ttfbP50: number;
  ttfbP99: number;
  totalP50: number;
  totalP99: number;
}

/** All rows plus our overhead over the bare server per concurrency. */
export interface EndpointBenchResult {
  date: string;
  rows: BenchRow[];
  overhead: { concurrency: number; msPerRequest: number; ttfbP50: number; totalP50: number; ttfbP99: number; totalP99: number }[];
  /** Overhead at p50 (time to first byte and full stream) is ≤ 1 ms at every concurrency. */
  goalMet: boolean;
}

const MESSAGES = [{ role: 'user', content: 'bench message' }];
const BODY = JSON.stringify({ model: 'qwen3-coder', messages: MESSAGES, max_tokens: 16384, tools: [], tool_choice: 'auto', stream: true });

// The bare server: read the body, write the very same events our endpoint writes, end.
async function startBare(): Promise<{ url: string; close(): Promise<void> }> {
  const ids = completionIds('sglang', 1, 'qwen3-coder');
  const events = [roleChunk(ids), ...splitIntoChunks(replyFor(MESSAGES)).map((c) => contentChunk(ids, c)), finishChunk(ids) + DONE];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, SSE_HEADERS);
      for (const event of events.slice(0, -1)) res.write(event);
      res.end(events.at(-1));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// The load generator runs in a worker thread (plain JS, no loader needed), so the client's own HTTP
// parsing does not share the event loop of the server being measured.
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { url, concurrency, warmup, count, deadlineMs, body } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const one = () => new Promise((resolve, reject) => {
  const t0 = performance.now();
  let ttfb = -1;
  const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
    res.on('data', () => { if (ttfb < 0) ttfb = performance.now() - t0; });
    res.on('end', () => resolve({ ttfb, total: performance.now() - t0 }));
    res.on('error', reject);
  });
  req.on('error', reject);
  req.end(body);
});
const run = async (n, sink) => {
  let next = 0;
  const stopAt = performance.now() + deadlineMs;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n && performance.now() < stopAt) { next++; const s = await one(); if (sink) sink.push(s); }
  }));
};
(async () => {
  await run(warmup);
  const samples = [];
  const t0 = performance.now();
  await run(count, samples);
  const wallMs = performance.now() - t0;
  agent.destroy();
  parentPort.postMessage({ samples, wallMs });
})().catch((e) => parentPort.postMessage({ error: String(e) }));
`;

const ROUNDS = 6;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

type Sample = { ttfb: number; total: number };

// Runs `count` requests with `concurrency` in flight (after a discarded warm-up), bounded by `deadlineMs`;
// returns the samples and the wall time of the measured part.
async function burst(url: string, concurrency: number, count: number, deadlineMs: number): Promise<{ samples: Sample[]; wallMs: number }> {
  const workerData = { url, concurrency, warmup: Math.max(20, concurrency), count, deadlineMs, body: BODY };
  const worker = new Worker(CLIENT, { eval: true, workerData });
  const result = await new Promise<{ samples: Sample[]; wallMs: number }>((resolve, reject) => {
    worker.once('message', (m: { samples: Sample[]; wallMs: number } | { error: string }) => ('error' in m ? reject(new Error(m.error)) : resolve(m)));
    worker.once('error', reject);
  });
  await worker.terminate();
  return result;
}

function summarise(server: BenchRow['server'], concurrency: number, samples: Sample[], wallMs: number): BenchRow {
  const ttfb = samples.map((s) => s.ttfb).sort((a, b) => a - b);
  const total = samples.map((s) => s.total).sort((a, b) => a - b);
  return {
    server,
    concurrency,
    requests: samples.length,
    msPerRequest: wallMs / Math.max(1, samples.length),
    ttfbP50: pct(ttfb, 50),
    ttfbP99: pct(ttfb, 99),
    totalP50: pct(total, 50),
    totalP99: pct(total, 99),
  };
}

/** Measures both servers in the same run, prints a table, returns the numbers. */
export async function runEndpointBench(options: { requests?: number; deadlineMs?: number } = {}): Promise<EndpointBenchResult> {
  const requests = options.requests ?? 300;
  const deadlineMs = options.deadlineMs ?? 30_000;
  const dir = mkdtempSync(join(tmpdir(), 'endpoint-bench-'));
  const bare = await startBare();
  const ours = await startEndpoint({ chunkDelayMs: 0, firstChunkDelayMs: 0, trafficLogPath: join(dir, 'traffic.ndjson') });
  const oursUrl = `${ours.baseUrl}/v1/chat/completions`;
  const rows: BenchRow[] = [];
  try {
    for (const concurrency of [1, 50]) {
      // Interleave the two servers in rounds so load from other processes hits both alike.
      const acc = { bare: { samples: [] as Sample[], wallMs: 0 }, endpoint: { samples: [] as Sample[], wallMs: 0 } };
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, url] of round % 2 === 0
          ? ([
              ['bare', bare.url],
              ['endpoint', oursUrl],
            ] as const)
          : ([
              ['endpoint', oursUrl],
              ['bare', bare.url],
            ] as const)) {
          const { samples, wallMs } = await burst(url, concurrency, Math.ceil(requests / ROUNDS), deadlineMs / ROUNDS);
          acc[name].samples.push(...samples);
          acc[name].wallMs += wallMs;
        }
      }
      rows.push(summarise('bare', concurrency, acc.bare.samples, acc.bare.wallMs));
      rows.push(summarise('endpoint', concurrency, acc.endpoint.samples, acc.endpoint.wallMs));
    }
  } finally {
    await ours.close();
    await bare.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const overhead = [1, 50].map((concurrency) => {
    const b = rows.find((r) => r.server === 'bare' && r.concurrency === concurrency)!;
    const o = rows.find((r) => r.server === 'endpoint' && r.concurrency === concurrency)!;
    return {
      concurrency,
      msPerRequest: o.msPerRequest - b.msPerRequest,
      ttfbP50: o.ttfbP50 - b.ttfbP50,
      totalP50: o.totalP50 - b.totalP50,
      ttfbP99: o.ttfbP99 - b.ttfbP99,
      totalP99: o.totalP99 - b.totalP99,
    };
  });
  const result: EndpointBenchResult = {
    date: new Date().toISOString(),
    rows,
    overhead,
    goalMet: overhead.every((o) => o.ttfbP50 <= 1 && o.totalP50 <= 1),
  };
  printTable(result);
  return result;
}

function printTable(result: EndpointBenchResult): void {
  const f = (ms: number) => ms.toFixed(3).padStart(8);
  const lines = [
    `endpoint bench ${result.date} (ms; node ${process.version})`,
    'server      conc     n    ms/req  ttfb p50  ttfb p99  full p50  full p99',
    ...result.rows.map(
      (r) =>
        `${r.server.padEnd(10)} ${String(r.concurrency).padStart(5)} ${String(r.requests).padStart(5)}  ${f(r.msPerRequest)}  ${f(r.ttfbP50)}  ${f(r.ttfbP99)}  ${f(r.totalP50)}  ${f(r.totalP99)}`,
    ),
    ...result.overhead.map(
      (o) =>
        `overhead   ${String(o.concurrency).padStart(5)}        ${f(o.msPerRequest)}  ${f(o.ttfbP50)}  ${f(o.ttfbP99)}  ${f(o.totalP50)}  ${f(o.totalP99)}`,
    ),
    `goal (overhead ≤ 1 ms at p50): ${result.goalMet ? 'met' : 'NOT met'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

// `npx tsx bench/endpoint.ts` runs it alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runEndpointBench().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
