// Soak: 100 messages in one chat, every one must get a verdict, the harness's memory must stay
// flat and its time per message must not grow. On the fixture chat always (the real endpoint, a
// real pty), and on real wg when one is there (WG_BIN or PATH). Reported as ratios of the last ten
// messages to the first ten, measured in the same run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEndpoint } from '../src/endpoint/index.js';
import { normalizeRunOptions } from '../src/smoke/options.js';
import { endpointOracle } from '../src/smoke/reply-oracle.js';
import { runSmoke } from '../src/smoke/run.js';
import { runTurn } from '../src/smoke/turn.js';
import { TerminalSession } from '../src/terminal/index.js';
import { whichOnPath } from '../src/wg/binary.js';
import { detectNexPane } from '../src/wg/surfaces/nex-pane.js';

const MESSAGES = 100;
const FIXTURE = fileURLToPath(new URL('../specs/fixtures/fake-chat-tui.mjs', import.meta.url));

interface Sample {
  verdict: string;
  wallMs: number;
  heapMb: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function report(label: string, samples: Sample[]): void {
  const verdicts = samples.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.verdict]: (acc[s.verdict] ?? 0) + 1 }), {});
  const first = samples.slice(0, 10);
  const last = samples.slice(-10);
  const wall = median(last.map((s) => s.wallMs)) / median(first.map((s) => s.wallMs));
  const heap = median(last.map((s) => s.heapMb)) / median(first.map((s) => s.heapMb));
  console.log(
    `${label}: ${samples.length} of ${MESSAGES} messages judged: ${Object.entries(verdicts)
      .map(([v, n]) => `${n} ${v}`)
      .join(', ')}`,
  );
  console.log(`  time per message, last 10 / first 10 (medians): ${wall.toFixed(2)}× (flat is 1.00×)`);
  console.log(
    `  harness heap after GC, last 10 / first 10: ${heap.toFixed(2)}× (${median(first.map((s) => s.heapMb)).toFixed(1)} → ${median(last.map((s) => s.heapMb)).toFixed(1)} MB)`,
  );
}

const heapMb = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};

async function soakFixture(): Promise<void> {
  const endpoint = await startEndpoint({ replies: 'corpus', pace: { ttftMs: 0, tokensPerSec: 2000, chunking: 'token' } });
  // The recording goes to a file, as in the smoke.
  const dir = await mkdtemp(join(tmpdir(), 'wg-tui-e2e-soak-'));
  const session = await TerminalSession.spawn({
    file: process.execPath,
    args: [FIXTURE, '--style', 'nex', '--endpoint', endpoint.baseUrl],
    cols: 120,
    rows: 30,
    castPath: join(dir, 'session.cast'),
  });
  const samples: Sample[] = [];
  try {
    await session.waitForText('> █', { timeoutMs: 10_000 });
    const oracle = endpointOracle(endpoint);
    for (let i = 1; i <= MESSAGES; i++) {
      const started = performance.now();
      const result = await runTurn({
        session,
        detector: detectNexPane,
        scenario: 'soak',
        turn: { text: `message ${i}: tell me a short joke`, index: i },
        total: MESSAGES,
        budgetMs: 30_000,
        typeDelayMs: 0,
        writeScreen: async () => undefined,
        oracle,
      });
      samples.push({ verdict: result.verdict, wallMs: performance.now() - started, heapMb: heapMb() });
    }
  } finally {
    await session.dispose({ killLeaked: true });
    await endpoint.close();
    await rm(dir, { recursive: true, force: true });
  }
  report('fixture chat (nex pane markers, the embedded endpoint)', samples);
}

async function soakRealWg(wg: string): Promise<void> {
  const artifacts = await mkdtemp(join(tmpdir(), 'wg-tui-e2e-soak-'));
  const messages = Array.from({ length: MESSAGES }, (_, i) => `message ${i + 1}: tell me a short joke`);
  const samples: Sample[] = [];
  let last = performance.now();
  try {
    await runSmoke(
      normalizeRunOptions(
        { scenario: ['nex-local'], wg, isolate: true, artifacts, message: messages, replies: 'echo', pace: 'instant', 'type-delay': '0', deadline: '1800' },
        {},
      ),
      {
        onMessage: (_, m) => {
          const now = performance.now();
          samples.push({ verdict: m.verdict, wallMs: now - last, heapMb: heapMb() });
          last = now;
        },
      },
    );
  } finally {
    await rm(artifacts, { recursive: true, force: true });
  }
  report(`real wg ${wg} (one chat, echo replies at once)`, samples);
}

export async function runSoakBench(): Promise<void> {
  console.log(`\n== soak: ${MESSAGES} messages in one chat ==`);
  if (!globalThis.gc) console.log('(heap without forced GC: run with node --expose-gc for a steadier number)');
  await soakFixture();
  const wg = process.env.WG_BIN || (await whichOnPath('wg'));
  if (wg) await soakRealWg(wg);
  else console.log('real wg: SKIPPED — no wg binary (set WG_BIN=/path/to/wg or put wg on PATH)');
}
