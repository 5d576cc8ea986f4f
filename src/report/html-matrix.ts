import type { RunResult, ScenarioResult } from './model.js';

// The matrix's index page (report.html beside matrix.json): one row per build, one column per
// scenario and setup, each cell its verdict over the messages, linked to that cell's own report.
// Pure: the caller says which cell reports exist and how to reach them from the page.

const escapeHtml = (text: string): string => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A cell's verdict in a few words, and its class: pass, fail, skip. */
export function cellVerdict(s: ScenarioResult): { text: string; kind: 'pass' | 'fail' | 'skip'; title: string } {
  if (s.status === 'skipped') return { text: 'SKIP', kind: 'skip', title: s.reason ?? '' };
  if (s.status === 'setup-failed' || s.status === 'interrupted') return { text: s.status, kind: 'fail', title: s.reason ?? '' };
  const passed = s.messages.filter((m) => m.passed).length;
  const first = s.messages.find((m) => !m.passed && m.verdict !== 'not-sent') ?? s.messages.find((m) => !m.passed);
  if (!first) return { text: `${passed}/${s.messages.length}`, kind: 'pass', title: 'every message replied' };
  const cause = first.cause ? ` — cause ${first.cause.kind}: ${first.cause.text}` : '';
  return { text: `${passed}/${s.messages.length} · ${first.index} ${first.verdict}`, kind: 'fail', title: `${first.detail ?? first.verdict}${cause}` };
}

/** The index page; `href(s)` is the link to a cell's report.html from the page, undefined when it has none. */
export function renderMatrixIndex(run: RunResult, href: (s: ScenarioResult) => string | undefined): string {
  const builds: string[] = [];
  const columns: string[] = [];
  const at = new Map<string, ScenarioResult[]>();
  for (const s of run.scenarios) {
    const build = s.cell?.build ?? s.name.split('@')[1] ?? '?';
    const column = s.cell ? `${s.cell.scenario}${s.cell.setup === 'literal' ? '' : ` (${s.cell.setup})`}` : (s.name.split('@')[0] ?? s.name);
    if (!builds.includes(build)) builds.push(build);
    if (!columns.includes(column)) columns.push(column);
    const key = `${build}\u0000${column}`;
    at.set(key, [...(at.get(key) ?? []), s]);
  }
  const cell = (s: ScenarioResult): string => {
    const v = cellVerdict(s);
    const link = href(s);
    const label = `${s.run && s.run.of > 1 ? `#${s.run.index} ` : ''}${escapeHtml(v.text)}`;
    return `<span class="${v.kind}" title="${escapeHtml(v.title)}">${link ? `<a href="${escapeHtml(link)}">${label}</a>` : label}</span>`;
  };
  const rows = builds.map(
    (b) => `<tr><th>${escapeHtml(b)}</th>${columns.map((c) => `<td>${(at.get(`${b}\u0000${c}`) ?? []).map(cell).join(' ') || '—'}</td>`).join('')}</tr>`,
  );
  const count = (kind: string) => run.scenarios.filter((s) => cellVerdict(s).kind === kind).length;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>wg-tui-e2e matrix</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;white-space:nowrap}
.pass{color:#196c2e}.fail{color:#b0181e;font-weight:600}.skip{color:#777}a{color:inherit}</style></head><body>
<h1>wg-tui-e2e matrix</h1>
<p>${run.scenarios.length} cells: ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped. Started ${escapeHtml(run.startedAt)}, ${(run.durationMs / 1000).toFixed(1)} s. Hover a cell for its cause or skip reason; a link opens the cell's own report.</p>
<table><thead><tr><th>build</th>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></body></html>
`;
}
