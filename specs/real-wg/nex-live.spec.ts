import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrafficEntry } from '../../src/endpoint/index.js';
import { formatMessageLine } from '../../src/report/lines.js';
import { normalizeRunOptions } from '../../src/smoke/options.js';
import { runSmoke } from '../../src/smoke/run.js';
import { whichOnPath } from '../../src/wg/binary.js';
import { CAPPED, findLlamaServer, startLlamaServer } from '../setup/llama-server.js';

// nex-live end to end: the real wg (WG_BIN or PATH) against a real llama-server, through the
// recording proxy, with replies capped so they finish. Whatever wg does, every message's verdict
// and cause must agree with what the proxy recorded of the server: a reply passes only with a
// complete stream, and no failure is blamed on nobody (unknown) or on the harness.

const wg = process.env.WG_BIN || (await whichOnPath('wg'));
const found = findLlamaServer();

describe('nex-live on real wg against a real llama-server', () => {
  it('every verdict and cause agrees with the recording of the server', async (ctx) => {
    if (!wg) return ctx.skip('REAL WG SPECS SKIPPED — no wg binary (set WG_BIN=/path/to/wg or put wg on PATH to run nex-live against llama-server)');
    if ('missing' in found) return ctx.skip(found.missing);
    // wg's prompt is a few thousand tokens: room for it and five turns. wg asks for max_tokens 16384,
    // which wins over -n; a server-wide grammar caps every reply at one line of 80 characters.
    const llama = await startLlamaServer(found, ['-c', '16384', ...CAPPED]);
    try {
      const artifacts = await mkdtemp(join(tmpdir(), 'wg-tui-e2e-live-'));
      const options = normalizeRunOptions(
        { scenario: ['nex-live'], wg, endpoint: llama.url, isolate: true, artifacts, 'first-reply-timeout': '240', 'reply-timeout': '180' },
        {},
      );
      const lines: string[] = [];
      const run = await runSmoke(options, { onMessage: (s, m) => void lines.push(formatMessageLine(s, m)) });
      const scenario = run.scenarios[0];
      const where = `artifacts: ${artifacts}\n${lines.join('\n')}`;
      expect(scenario?.status, where).not.toBe('setup-failed');
      expect(scenario?.status, where).not.toBe('skipped');
      const traffic = (await readFile(join(run.artifactsDir ?? artifacts, 'nex-live', 'endpoint-traffic.ndjson'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as TrafficEntry);
      expect(
        traffic.every((e) => e.mode === 'record'),
        where,
      ).toBe(true);
      for (const m of scenario?.messages ?? []) {
        if (m.passed) expect(m.reply, `${m.index}: ${where}`).toMatchObject({ complete: true, seen: 1 });
        else if (m.verdict !== 'not-sent') expect(['unknown', 'harness'], `${m.index}: ${m.cause?.text}\n${where}`).not.toContain(m.cause?.kind);
      }
    } finally {
      await llama.kill();
    }
  }, 1_500_000);
});
