import { describe, expect, it } from 'vitest';
import { formatMessageLine, formatScenarioLines } from '../../src/report/lines.js';
import { normalizeRunOptions } from '../../src/smoke/options.js';
import { runSmoke } from '../../src/smoke/run.js';
import { whichOnPath } from '../../src/wg/binary.js';
import { tempDir } from '../setup/temp.js';

// claude-local end to end: the real claude CLI (CLAUDE_BIN or PATH) through the real wg tui (WG_BIN
// or PATH) against the embedded Messages endpoint. Where this wg's chat UI has no claude-local
// driver yet, the run must say so in a SKIP line; where it has one, every message must reply.

const wg = process.env.WG_BIN || (await whichOnPath('wg'));
const claude = process.env.CLAUDE_BIN || (await whichOnPath('claude'));

describe('claude-local on real wg and the real claude CLI', () => {
  it('replies to all five messages, or skips loudly naming why', async (ctx) => {
    if (!wg || !claude) {
      ctx.skip(
        `REAL WG SPECS SKIPPED — claude-local needs ${!wg ? 'a wg binary (WG_BIN or PATH)' : ''}${!wg && !claude ? ' and ' : ''}${!claude ? 'a claude binary (CLAUDE_BIN or PATH; npm install @anthropic-ai/claude-code)' : ''}`,
      );
      return;
    }
    const artifacts = tempDir('wg-e2e-claude-local-');
    const lines: string[] = [];
    const run = await runSmoke(normalizeRunOptions({ scenario: ['claude-local'], wg, claude, isolate: true, artifacts }, {}), {
      onMessage: (s, m) => void lines.push(formatMessageLine(s, m)),
      onScenarioEnd: (s) => void lines.push(...formatScenarioLines(s)),
    });
    const scenario = run.scenarios[0];
    if (scenario?.status === 'skipped') {
      expect(lines.join('\n')).toMatch(/^SKIP claude-local CLAUDE SMOKE SKIPPED — claude-local is driven on /m);
      return;
    }
    expect(scenario?.reason, lines.join('\n')).toBeUndefined();
    expect(lines.join('\n')).not.toMatch(/^FAIL|^SKIP/m);
    expect(scenario?.messages.filter((m) => m.passed)).toHaveLength(5);
  }, 400_000);
});
