import { describe, expect, it } from 'vitest';
import { cellVerdict, renderMatrixIndex } from '../../src/report/html-matrix.js';
import type { MessageResult, ScenarioResult } from '../../src/report/model.js';

// The matrix's index page: a row per build, a column per scenario and setup, each verdict in a
// few words with its cause on hover, and links only where a cell has a report.

const message = (index: number, passed: boolean, verdict: MessageResult['verdict'] = passed ? 'replied' : 'pane-died'): MessageResult => ({
  scenario: 's',
  index,
  total: 2,
  text: `m${index}`,
  verdict,
  passed,
  signal: '',
  detail: passed ? 'ok' : 'API error 400',
  retries: [],
  ...(passed ? {} : { cause: { kind: 'app' as const, text: 'the provider prefix was sent', seen: [] } }),
});
const scenario = (
  build: string,
  name: string,
  setup: string,
  status: ScenarioResult['status'],
  messages: MessageResult[],
  reason?: string,
): ScenarioResult => ({
  name: `${name}${setup === 'literal' ? '' : `:${setup}`}@${build}`,
  status,
  reason,
  findings: [],
  messages,
  durationMs: 1,
  cell: { build, scenario: name, setup, repeat: 1, dir: `/m/cells/${build}-${name}-${setup}` },
});

describe('the matrix index page', () => {
  it('says each cell in a few words: passes out of messages, the first failure, or a skip', () => {
    expect(cellVerdict(scenario('b', 'nex-local', 'literal', 'passed', [message(1, true), message(2, true)]))).toMatchObject({ text: '2/2', kind: 'pass' });
    const failed = cellVerdict(scenario('b', 'nex-local', 'literal', 'failed', [message(1, false), message(2, false, 'not-sent')]));
    expect(failed).toMatchObject({ text: '0/2 · 1 pane-died', kind: 'fail' });
    expect(failed.title).toBe('API error 400 — cause app: the provider prefix was sent');
    expect(cellVerdict(scenario('b', 'pi-local', 'plain', 'skipped', [], 'PLAIN SETUP SKIPPED — no launcher'))).toMatchObject({ text: 'SKIP', kind: 'skip' });
  });

  it('lays builds out as rows and scenario × setup as columns, linking only the cells that have a report', () => {
    const page = renderMatrixIndex(
      {
        startedAt: '2026-12-02T00:00:00Z',
        durationMs: 1000,
        scenarios: [
          scenario('wg-old', 'nex-local', 'literal', 'failed', [message(1, false)]),
          scenario('wg-old', 'nex-local', 'plain', 'skipped', [], 'PLAIN SETUP SKIPPED'),
          scenario('wg-new', 'nex-local', 'literal', 'passed', [message(1, true)]),
        ],
      },
      (s) => (s.cell?.build === 'wg-new' ? 'cells/new/report.html' : undefined),
    );
    expect(page).toContain('<th>nex-local</th><th>nex-local (plain)</th>');
    expect(page.indexOf('<th>wg-old</th>')).toBeLessThan(page.indexOf('<th>wg-new</th>'));
    expect(page).toContain('<a href="cells/new/report.html">1/1</a>');
    expect(page.match(/<a /g)).toHaveLength(1);
    expect(page).toContain(
      '<tr><th>wg-new</th><td><span class="pass" title="every message replied"><a href="cells/new/report.html">1/1</a></span></td><td>—</td></tr>',
    );
    expect(page).toContain('3 cells: 1 passed, 1 failed, 1 skipped');
  });
});
