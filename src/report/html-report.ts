// The run as one self-contained HTML page: per scenario and message the verdict, the cause, the
// time to first glyph and to settled on one timeline, the screens before Enter and at the verdict,
// the message's endpoint exchanges and daemon-log lines, and asciinema-player playing the session
// from each message's marker. Everything is inlined (no network, no asset beside the file), so the
// page still works when a CI artifact is downloaded and opened anywhere. Pure: data in, text out.
import { castMarkers, exchangesOf, logLinesOf, markersWithin, messageMarker, type CastMarker, type Exchange } from './html-evidence.js';
import { countResults, type MessageResult, type RunResult, type ScenarioResult } from './model.js';

/** asciinema-player's standalone bundle, inlined into the page. */
export interface PlayerAssets {
  js: string;
  css: string;
}

/** What one scenario recorded, read from its artifacts folder. */
export interface ScenarioEvidence {
  /** session.cast as asciicast v2 text, or why it is not in the report. */
  cast?: { text: string } | { omitted: string };
  exchanges: Exchange[];
  daemonLog: string;
  /** SVG screens by their path relative to the run folder (ScreenFiles.svg). */
  screens: Record<string, string>;
}

export interface HtmlReportInput {
  run: RunResult;
  /** One per run.scenarios entry, same order. */
  evidence: ScenarioEvidence[];
  /** Without it the page says where the player went missing instead of playing. */
  player?: PlayerAssets;
}

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** JSON inside <script type="application/json">: no `<` can close the element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');
/** Inlined JavaScript: `</script` inside it would end the element early. */
const scriptText = (js: string): string => js.replace(/<\/(script)/gi, '<\\/$1');
const secs = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

type Tone = 'pass' | 'fail' | 'skip';
const toneOf = (m: MessageResult): Tone => (m.passed ? 'pass' : m.verdict === 'not-sent' || m.verdict === 'interrupted' ? 'skip' : 'fail');
const scenarioTone = (s: ScenarioResult): Tone => (s.status === 'passed' ? 'pass' : s.status === 'skipped' || s.status === 'interrupted' ? 'skip' : 'fail');
const scenarioKey = (s: ScenarioResult, i: number): string => `s${i}-${s.name.replace(/[^a-z0-9-]/gi, '_')}${s.run ? `-run${s.run.index}` : ''}`;
const scenarioTitle = (s: ScenarioResult): string => (s.run ? `${s.name} #${s.run.index}/${s.run.of}` : s.name);

export const STYLE = `
:root{color-scheme:dark;--pass:#4e9a06;--fail:#cc0000;--skip:#75716b;--wait:#c4a000;--stream:#3465a4;--line:#333;--fg:#ddd;--bg:#111}
body{margin:0;padding:16px 24px;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,sans-serif}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:0}
code,pre,.mono{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:12.5px}
pre{white-space:pre-wrap;word-break:break-word;background:#1b1b1b;padding:6px 8px;margin:4px 0;max-height:24em;overflow:auto}
.badge{display:inline-block;padding:0 7px;border-radius:9px;color:#fff;font-weight:600;font-size:12px}
.pass{background:var(--pass)}.fail{background:var(--fail)}.skip{background:var(--skip)}
.muted{color:#999}.counts{margin:4px 0 12px}
#timeline{border:1px solid var(--line);padding:8px 10px;margin:12px 0}
.tl-row{display:grid;grid-template-columns:22em 1fr 9em;align-items:center;gap:8px;padding:2px 0;cursor:pointer}
.tl-row:hover{background:#1d1d1d}.tl-label{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.tl-track{position:relative;height:14px;background:#1a1a1a}
.tl-bar{position:absolute;top:0;height:14px}.tl-wait{background:var(--wait)}.tl-stream{background:var(--stream)}
.tl-open{background:repeating-linear-gradient(45deg,var(--fail) 0 4px,transparent 4px 8px)}
.tl-axis{position:relative;height:16px;margin-left:calc(22em + 8px);margin-right:calc(9em + 8px);font-size:11px;color:#999}
.tl-tick{position:absolute;top:0;transform:translateX(-50%)}
.tl-scenario{font-weight:600;margin-top:6px}
.legend span{display:inline-block;width:12px;height:10px;margin:0 4px 0 12px}
.player{margin:8px 0 16px;max-width:1200px}
.message{border:1px solid var(--line);margin:14px 0;padding:10px 12px}
.message.current{outline:2px solid var(--stream)}
.message.tone-pass{border-left:5px solid var(--pass)}.message.tone-fail{border-left:5px solid var(--fail)}.message.tone-skip{border-left:5px solid var(--skip)}
.message header{display:flex;gap:10px;align-items:center;flex-wrap:wrap}
button.seek{background:#2a2a2a;color:var(--fg);border:1px solid #555;border-radius:4px;cursor:pointer;padding:1px 8px}
.cause{margin:6px 0;padding:6px 8px;border-left:4px solid var(--fail);background:#1c1616}
.cause.k-provider{border-color:var(--wait)}.cause.k-harness{border-color:#ad7fa8}.cause.k-unknown{border-color:var(--skip)}
.screens{display:grid;grid-template-columns:1fr 1fr;gap:10px;margin:8px 0}
.screens figure{margin:0}.screens figcaption{font-size:12px;color:#aaa}
.screens svg{width:100%;height:auto;display:block;border:1px solid var(--line)}
table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{border-bottom:1px solid var(--line);text-align:left;padding:2px 6px;vertical-align:top}
details{margin:6px 0}summary{cursor:pointer}
`;

// Clicking a message (its timeline row, its "play" button) seeks that scenario's player to the
// message's marker; players are kept on window.wgReport for whoever drives the page (the spec).
const SCRIPT = `
(() => {
  const players = {};
  window.wgReport = { players };
  for (const el of document.querySelectorAll('[data-cast]')) {
    const data = JSON.parse(document.getElementById(el.dataset.cast).textContent);
    // No idleTimeLimit: the player's clock must stay the cast's own, or the marker times would not match.
    players[el.id] = AsciinemaPlayer.create({ data }, el, { preload: true, fit: 'width', terminalFontSize: '12px' });
  }
  document.addEventListener('click', (event) => {
    const target = event.target.closest('[data-seek]');
    if (!target) return;
    const player = players[target.dataset.player];
    if (!player) return;
    player.seek(Number(target.dataset.seek));
    for (const m of document.querySelectorAll('.message.current')) m.classList.remove('current');
    const message = target.dataset.message && document.getElementById(target.dataset.message);
    if (message) message.classList.add('current');
    document.getElementById(target.dataset.player).scrollIntoView({ block: 'nearest' });
  });
})();
`;

/** A round step for the timeline's axis: about six ticks over `maxMs`. */
function tickStep(maxMs: number): number {
  const raw = maxMs / 6;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((f) => f * pow).find((s) => s >= raw) ?? raw;
}

interface Row {
  scenario: ScenarioResult;
  key: string;
  message: MessageResult;
  marker?: CastMarker;
}

/** The time from Enter a message's bars reach: settled, else its whole window (no settle seen). */
const rowEnd = (m: MessageResult): number => m.settledMs ?? Math.max(m.firstGlyphMs ?? 0, m.window ? Date.parse(m.window.end) - Date.parse(m.window.start) : 0);

function timeline(rows: Row[]): string {
  const maxMs = Math.max(1000, ...rows.map((r) => rowEnd(r.message)));
  const pct = (ms: number) => `${((100 * ms) / maxMs).toFixed(3)}%`;
  const step = tickStep(maxMs);
  const ticks: string[] = [];
  for (let t = 0; t <= maxMs; t += step) ticks.push(`<span class="tl-tick" style="left:${pct(t)}">${(t / 1000).toFixed(step < 1000 ? 1 : 0)} s</span>`);
  const out: string[] = [];
  let last: ScenarioResult | undefined;
  for (const r of rows) {
    if (r.scenario !== last) out.push(`<div class="tl-scenario">${esc(scenarioTitle(r.scenario))}</div>`);
    last = r.scenario;
    const m = r.message;
    const bars: string[] = [];
    if (m.firstGlyphMs !== undefined)
      bars.push(`<div class="tl-bar tl-wait" style="left:0;width:${pct(m.firstGlyphMs)}" title="Enter → first glyph ${secs(m.firstGlyphMs)}"></div>`);
    if (m.settledMs !== undefined) {
      const from = m.firstGlyphMs ?? 0;
      bars.push(
        `<div class="tl-bar tl-stream" style="left:${pct(from)};width:${pct(m.settledMs - from)}" title="first glyph → settled ${secs(m.settledMs - from)}"></div>`,
      );
    } else if (rowEnd(m) > 0) {
      const from = m.firstGlyphMs ?? 0;
      bars.push(
        `<div class="tl-bar tl-open" style="left:${pct(from)};width:${pct(rowEnd(m) - from)}" title="never settled (the message's whole window, typing included)"></div>`,
      );
    }
    const seek = r.marker ? ` data-seek="${r.marker.time}" data-player="player-${r.key}" data-message="msg-${r.key}-${m.index}"` : '';
    out.push(
      `<div class="tl-row" data-index="${m.index}"${seek} title="${r.marker ? 'play from this message' : 'no marker in the cast'}">` +
        `<span class="tl-label"><span class="badge ${toneOf(m)}">${esc(m.verdict)}</span> ${m.index}/${m.total} ${esc(m.text)}</span>` +
        `<div class="tl-track">${bars.join('')}</div>` +
        `<span class="mono">${secs(m.firstGlyphMs)} · ${secs(m.settledMs)}</span></div>`,
    );
  }
  return `<section id="timeline"><div class="legend muted">From Enter: <span class="tl-wait"></span>to the first glyph <span class="tl-stream"></span>to settled <span class="tl-open"></span>never settled (whole window) — click a message to play it</div>${out.join('\n')}<div class="tl-axis">${ticks.join('')}</div></section>`;
}

export function causeBlock(m: MessageResult): string {
  if (!m.cause) return '';
  const seen = m.cause.seen.length
    ? `<details><summary>seen (${m.cause.seen.length})</summary><ul>${m.cause.seen.map((s) => `<li>${esc(s)}</li>`).join('')}</ul></details>`
    : '';
  return `<div class="cause k-${m.cause.kind}"><b>cause: ${esc(m.cause.kind)}</b> — ${esc(m.cause.text)}${seen}</div>`;
}

export function screenFigure(caption: string, path: string | undefined, screens: Record<string, string>): string {
  if (!path) return `<figure><figcaption>${caption}</figcaption><p class="muted">not recorded</p></figure>`;
  const svg = screens[path];
  const body = svg ? svg.replace(/^<\?xml[^>]*>\s*/, '') : `<p class="muted">${esc(path)} could not be read</p>`;
  return `<figure class="screen"><figcaption>${caption} — <code>${esc(path)}</code></figcaption>${body}</figure>`;
}

function exchangesTable(list: ReturnType<typeof exchangesOf>): string {
  if (!list.length) return '<p class="muted">No endpoint exchange in this message\'s window (or the endpoint was not the embedded one).</p>';
  const rows = list.map((e) => {
    const status = e.status === 0 ? 'dropped' : String(e.status ?? '?');
    const notes = [
      e.fault && `fault: ${e.fault}`,
      e.error && `error: ${e.error}`,
      e.aborted && 'client went away',
      e.complete === false && e.status === 200 && 'not complete',
      e.matched === 'message' && 'outside the window, same message',
    ]
      .filter(Boolean)
      .join('; ');
    const reply = e.reply ? `<details><summary>reply (${e.reply.length} chars)</summary><pre>${esc(e.reply)}</pre></details>` : '';
    return `<tr><td class="mono">${esc(e.time.slice(11, 23))}</td><td class="mono">${esc(`${e.method ?? ''} ${e.path ?? ''}`)}</td><td>${esc(status)}</td><td class="mono">${esc(e.model ?? '')}</td><td>${e.ttfbMs == null ? '—' : `${Math.round(e.ttfbMs)} ms`} / ${e.durationMs === undefined ? '—' : `${Math.round(e.durationMs)} ms`}</td><td>${esc(e.lastUser ?? '')}${reply}</td><td>${esc(notes)}</td></tr>`;
  });
  return `<table class="exchanges"><tr><th>time</th><th>request</th><th>status</th><th>model</th><th>first byte / all</th><th>last user message</th><th>notes</th></tr>${rows.join('')}</table>`;
}

function messageSection(r: Row, evidence: ScenarioEvidence, markers: CastMarker[]): string {
  const m = r.message;
  const id = `msg-${r.key}-${m.index}`;
  const play = r.marker
    ? `<button class="seek" data-seek="${r.marker.time}" data-player="player-${r.key}" data-message="${id}">▶ play from ${r.marker.time.toFixed(1)} s</button>`
    : '';
  const own = markersWithin(markers, m.index)
    .map(
      (k) => `<button class="seek" data-seek="${k.time}" data-player="player-${r.key}" data-message="${id}">${esc(k.label)} (${k.time.toFixed(1)} s)</button>`,
    )
    .join(' ');
  const facts = [
    `first glyph ${secs(m.firstGlyphMs)}`,
    `settled ${secs(m.settledMs)}`,
    m.verdictDelayMs !== undefined ? `verdict +${Math.round(m.verdictDelayMs)} ms` : '',
    m.reply
      ? `endpoint: ${m.reply.requests} request(s), ${m.reply.chars} chars, ${Math.round(m.reply.seen * 100)}% seen (${m.reply.source})${m.reply.complete ? '' : ', stream not complete'}`
      : '',
    m.transcript ? `transcript: ${m.transcript.status}${m.transcript.detail ? ` (${m.transcript.detail})` : ''}` : '',
    m.retries.length ? `wg retried: ${m.retries.join(', ')}` : '',
    m.faults?.length ? `endpoint faults: ${m.faults.join(', ')}` : '',
    m.window ? `window ${m.window.start} → ${m.window.end}` : '',
  ].filter(Boolean);
  const log = logLinesOf(m, evidence.daemonLog);
  return `<section class="message tone-${toneOf(m)}" id="${id}">
<header><span class="badge ${toneOf(m)}">${esc(m.verdict)}</span><h3>${m.index}/${m.total} “${esc(m.text)}”</h3>${play} ${own ? `<span class="muted">harness frames:</span> ${own}` : ''}</header>
<div class="mono">${esc(m.signal)}</div>
${m.detail ? `<pre>${esc(m.detail)}</pre>` : ''}
${causeBlock(m)}
<div class="muted">${facts.map(esc).join(' · ')}</div>
<div class="screens">${screenFigure('before Enter', m.before?.svg, evidence.screens)}${screenFigure('at the verdict', m.after?.svg, evidence.screens)}</div>
<details${m.passed ? '' : ' open'}><summary>endpoint exchanges (${exchangesOf(m, evidence.exchanges).length})</summary>${exchangesTable(exchangesOf(m, evidence.exchanges))}</details>
<details${log.length && !m.passed ? ' open' : ''}><summary>daemon log of the window (${log.length} lines)</summary>${log.length ? `<pre>${esc(log.join('\n'))}</pre>` : '<p class="muted">none (or daemon.log not written yet: it is copied at teardown)</p>'}</details>
</section>`;
}

function scenarioSection(s: ScenarioResult, key: string, evidence: ScenarioEvidence, rows: Row[], markers: CastMarker[], player: boolean): string {
  const head = [
    `<span class="badge ${scenarioTone(s)}">${esc(s.status)}</span>`,
    s.wg
      ? `<span class="mono">wg ${esc(s.wg.path)}${s.wg.version ? ` (${esc(s.wg.version)})` : ''}${s.wg.generation ? ` · generation ${esc(s.wg.generation)}` : ''}${s.wg.setup ? ` · setup ${esc(s.wg.setup)}` : ''}</span>`
      : '',
    s.lenient ? '<span class="badge skip">LENIENT endpoint</span>' : '',
    `<span class="muted">${secs(s.durationMs)}</span>`,
  ].join(' ');
  let cast: string;
  if (!evidence.cast) cast = '<p class="muted">No session.cast for this scenario.</p>';
  else if ('omitted' in evidence.cast) cast = `<p class="muted">The recording is not in this page: ${esc(evidence.cast.omitted)}</p>`;
  else if (!player)
    cast = '<p class="muted">asciinema-player could not be read when this report was written; play session.cast with <code>asciinema play</code>.</p>';
  else
    cast = `<script type="application/json" id="cast-${key}">${scriptJson(evidence.cast.text)}</script><div class="player" id="player-${key}" data-cast="cast-${key}"></div>`;
  return `<section class="scenario" id="scenario-${key}">
<h2>${esc(scenarioTitle(s))}</h2>
<div>${head}</div>
${s.reason ? `<pre>${esc(s.reason)}</pre>` : ''}
${s.findings.length ? `<ul class="findings">${s.findings.map((f) => `<li>FINDING ${esc(f)}</li>`).join('')}</ul>` : ''}
${cast}
${rows.map((r) => messageSection(r, evidence, markers)).join('\n')}
</section>`;
}

/** The whole report page. */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { run } = input;
  const counts = countResults(run);
  const rows: Row[] = [];
  const sections: string[] = [];
  run.scenarios.forEach((s, i) => {
    const key = scenarioKey(s, i);
    const evidence = input.evidence[i] ?? { exchanges: [], daemonLog: '', screens: {} };
    const castText = evidence.cast && 'text' in evidence.cast ? evidence.cast.text : '';
    const markers = castText ? castMarkers(castText) : [];
    const mine = s.messages.map((message) => ({ scenario: s, key, message, marker: messageMarker(markers, message.index) }));
    rows.push(...mine);
    sections.push(scenarioSection(s, key, evidence, mine, markers, !!input.player));
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wg-tui-e2e report — ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped</title>
<style>${STYLE}</style>
${input.player ? `<style>${input.player.css}</style>` : ''}
</head>
<body>
<h1>wg-tui-e2e run of ${esc(run.startedAt)}</h1>
<div class="counts"><span class="badge pass">${counts.passed} passed</span> <span class="badge fail">${counts.failed} failed</span> <span class="badge skip">${counts.skipped} skipped</span> <span class="muted">${secs(run.durationMs)}${run.interrupted ? ` · stopped by ${esc(run.interrupted.signal)} (exit ${run.interrupted.exitCode})` : ''}</span></div>
${run.rerunCommand ? `<div class="muted">rerun: <code>${esc(run.rerunCommand)}</code></div>` : ''}
${rows.length ? timeline(rows) : '<p class="muted">No message was judged.</p>'}
${sections.join('\n')}
${input.player ? `<script>${scriptText(input.player.js)}</script>\n<script>${SCRIPT}</script>` : ''}
</body>
</html>
`;
}
