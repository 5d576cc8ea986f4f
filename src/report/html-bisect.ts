// bisect.html: the commit a bisect found, each step's verdict lines, and for the first message whose
// verdict differs, the last build of the old term and the first of the new one side by side, aligned
// at the message's marker: a row of the screens as the message was typed (the same moment on both),
// then a row of the screens at each verdict, with the time from Enter. Pure: data in, text out; the
// screens come in as SVG text by file.
import type { BisectResult, BisectTerms } from './model.js';
import { causeBlock, esc, screenFigure, STYLE } from './html-report.js';
import { join, relative, resolve } from 'node:path';

export interface BisectPageInput {
  result: BisectResult;
  terms?: BisectTerms;
  repo: string;
  /** SVG text by absolute file path. */
  screens: Record<string, string>;
}

const PAGE_STYLE = `.steps td{padding:2px 8px;vertical-align:top}.steps .mono{white-space:pre-wrap}.found{font-size:16px;margin:8px 0}`;

export function renderBisectPage({ result, terms, repo, screens }: BisectPageInput): string {
  const newTerm = terms?.new ?? 'bad';
  const oldTerm = terms?.old ?? 'good';
  const passTerm = terms?.new ?? 'good';
  const tone = (term: string) => (term === 'skip' ? 'skip' : term === passTerm ? 'pass' : 'fail');
  const found = result.first
    ? `<p class="found">first ${esc(newTerm)} commit: <code>${esc(result.first.sha)}</code> ${esc(result.first.subject)}${
        result.parent
          ? `<br><span class="muted">its parent, the last ${esc(oldTerm)}: <code>${esc(result.parent.sha)}</code> ${esc(result.parent.subject)}</span>`
          : ''
      }</p>`
    : result.candidates
      ? `<p class="found">inconclusive: only skipped commits left; the first ${esc(newTerm)} commit is one of ${result.candidates.map((c) => `<code>${esc(c)}</code>`).join(', ')}</p>`
      : `<p class="found">not finished${result.error ? `: ${esc(result.error)}` : ''}</p>`;
  const link = (dir: string | undefined) =>
    dir && result.artifactsDir ? ` <a href="${esc(relative(result.artifactsDir, join(dir, 'report.html')))}">report</a>` : '';
  const rows = result.steps.map(
    (s) =>
      `<tr><td>${s.n}</td><td class="mono">${esc(s.sha.slice(0, 10))}</td><td>${esc(s.subject)}</td><td><span class="badge ${tone(s.term)}">${esc(s.term)}</span>${s.bisected ? '' : ' <span class="muted">(compared, not bisected)</span>'}</td><td class="muted">${esc(s.build)}</td><td class="mono">${esc(s.lines.join('\n'))}${link(s.dir)}</td></tr>`,
  );
  const d = result.difference;
  const diff = d
    ? `<h2>first message whose verdict differs: ${esc(d.scenario)} ${d.index} ${esc(JSON.stringify(d.text))}</h2>
<div class="screens">${[
        [`last ${oldTerm} ${result.parent?.sha.slice(0, 10) ?? ''}: ${d.before.verdict}`, d.before],
        [`first ${newTerm} ${result.first?.sha.slice(0, 10) ?? ''}: ${d.after.verdict}`, d.after],
      ]
        .map(([caption, m]) => {
          const msg = m as typeof d.before;
          const shot = (files: typeof msg.after) => (files?.svg ? resolve(msg.dir, files.svg) : undefined);
          const settled = msg.settledMs === undefined ? '' : `, ${(msg.settledMs / 1000).toFixed(1)} s after Enter`;
          return `<div>${screenFigure(esc(`${caption as string}: as message ${d.index} was typed`), shot(msg.before), screens)}${screenFigure(
            esc(`${caption as string}: at the verdict${settled} (${msg.signal})`),
            shot(msg.after),
            screens,
          )}${causeBlock(msg)}</div>`;
        })
        .join('')}</div>`
    : '<p class="muted">No message\'s verdict differs between the two builds (or one of them was not run).</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>wg-tui-e2e bisect: ${esc(result.first?.sha.slice(0, 10) ?? 'not found')}</title>
<style>${STYLE}${PAGE_STYLE}</style></head><body>
<h1>bisect of ${esc(repo)}</h1>
${found}
<p class="muted">${result.steps.filter((s) => s.bisected).length} bisect steps and ${result.steps.filter((s) => !s.bisected).length} commits run to compare, in ${(result.durationMs / 1000).toFixed(0)} s</p>
${diff}
<h2>steps</h2>
<table class="steps"><tr><th>#</th><th>commit</th><th>subject</th><th>marked</th><th>build</th><th>verdicts</th></tr>${rows.join('')}</table>
</body></html>
`;
}
