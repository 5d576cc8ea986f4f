import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMessageLine } from '../../src/report/lines.js';
import { normalizeRunOptions } from '../../src/smoke/options.js';
import { runSmoke } from '../../src/smoke/run.js';
import { whichOnPath } from '../../src/wg/binary.js';

// The smoke itself, end to end, on the wg found via WG_BIN or PATH. It fails while that wg is
// broken: that is the point. Without a wg it is skipped, and the skip note says so loudly.

const wg = process.env.WG_BIN || (await whichOnPath('wg'));
const NOTE = 'REAL WG SPECS SKIPPED — no wg binary (set WG_BIN=/path/to/wg or put wg on PATH to run nex-local end to end)';

describe('nex-local on real wg', () => {
  it('replies to all five messages through the real wg tui', async (ctx) => {
    if (!wg) {
      ctx.skip(NOTE);
      return;
    }
    const artifacts = await mkdtemp(join(tmpdir(), 'wg-tui-e2e-spec-'));
    const options = normalizeRunOptions({ scenario: ['nex-local'], wg, isolate: true, artifacts }, {});
    const lines: string[] = [];
    const run = await runSmoke(options, { onMessage: (s, m) => void lines.push(formatMessageLine(s, m)) });
    const scenario = run.scenarios[0];
    expect(scenario?.reason, `setup of nex-local (artifacts: ${artifacts})`).toBeUndefined();
    expect(lines.join('\n'), `artifacts: ${artifacts}`).not.toMatch(/^FAIL|^SKIP/m);
    expect(scenario?.messages.filter((m) => m.passed)).toHaveLength(5);
  }, 300_000);
});
