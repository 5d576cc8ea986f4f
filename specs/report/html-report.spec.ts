import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { castMarkers, exchangesOf, logLinesOf, markersWithin, messageMarker } from '../../src/report/html-evidence.js';
import { buildHtmlReport } from '../../src/report/html-files.js';
import type { MessageResult, RunResult } from '../../src/report/model.js';
import { normalizeRunOptions } from '../../src/smoke/options.js';
import { RunStop } from '../../src/smoke/interrupt.js';
import { tempDir } from '../setup/temp.js';

// report.html without a browser: what it inlines, what it picks for each message, and that the
// run writes it beside run.json. (specs/report/html-report-browser.spec.ts opens it in Chromium.)

const T0 = Date.parse('2026-12-01T22:00:00.000Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

const CAST = [
  JSON.stringify({ version: 2, width: 20, height: 4, timestamp: T0 / 1000, env: { TERM: 'xterm-256color' } }),
  JSON.stringify([0.1, 'o', 'hello </script><b>']),
  JSON.stringify([0.5, 'm', 'msg-1 hi']),
  JSON.stringify([0.6, 'i', 'm']),
  JSON.stringify([1.5, 'm', 'history: scrolling back']),
  JSON.stringify([1.7, 'm', 'history: back at the bottom']),
  JSON.stringify([2.5, 'm', 'msg-2 tell me a joke']),
  JSON.stringify([3.0, 'o', 'token sk-SECRET-123']),
  '[3.1, "o", "cut in ha', // a cast still being written
].join('\n');

function message(index: number, text: string, window: [number, number], extra: Partial<MessageResult> = {}): MessageResult {
  return {
    scenario: 'nex-local',
    index,
    total: 2,
    text,
    verdict: 'replied',
    passed: true,
    signal: 'screen: reply',
    retries: [],
    window: { start: iso(window[0]), end: iso(window[1]) },
    ...extra,
  };
}

describe('what the report picks for a message', () => {
  const m1 = message(1, 'hi', [0.5, 2.4]);
  const m2 = message(2, 'tell me a joke', [2.5, 9], { verdict: 'no-reply', passed: false });

  it('reads the cast’s markers, the message’s own and the harness frames between two messages', () => {
    const markers = castMarkers(CAST);
    expect(markers.map((m) => m.label)).toEqual(['msg-1 hi', 'history: scrolling back', 'history: back at the bottom', 'msg-2 tell me a joke']);
    expect(messageMarker(markers, 2)?.time).toBe(2.5);
    expect(messageMarker(markers, 3)).toBeUndefined();
    expect(markersWithin(markers, 1).map((m) => m.time)).toEqual([1.5, 1.7]);
    expect(markersWithin(markers, 2)).toEqual([]);
  });

  it('takes the exchanges of the window, and a retry of the same message after it', () => {
    const all = [
      { time: iso(1), lastUser: 'hi', status: 200 },
      { time: iso(3), lastUser: null, path: '/chat/completions', status: 404 }, // no message: only the window places it
      { time: iso(10), lastUser: 'tell me a joke', status: 500 }, // after the verdict, same message
      { time: iso(20), lastUser: 'something else', status: 200 },
    ];
    expect(exchangesOf(m1, all).map((e) => [e.status, e.matched])).toEqual([[200, 'window']]);
    expect(exchangesOf(m2, all).map((e) => [e.status, e.matched])).toEqual([
      [404, 'window'],
      [500, 'message'],
    ]);
  });

  it('takes the daemon-log lines of the window, continuation lines included', () => {
    const log = [`${iso(0.1)} [INFO] before`, `${iso(3)} [ERROR] handler died`, '  caused by: EOF', `${iso(9.5)} [INFO] after`].join('\n');
    expect(logLinesOf(m2, log)).toEqual([`${iso(3)} [ERROR] handler died`, '  caused by: EOF']);
    expect(logLinesOf(m1, log)).toEqual([]);
  });
});

function runIn(dir: string, messages: MessageResult[]): RunResult {
  return {
    scenarios: [{ name: 'nex-local', status: 'failed', findings: [], messages, durationMs: 9000 }],
    artifactsDir: dir,
    startedAt: iso(0),
    durationMs: 9000,
  };
}

describe('report.html', () => {
  it('is one self-contained page: the player, the cast and the screens inlined, nothing to fetch', async () => {
    const dir = tempDir('html-report-');
    mkdirSync(join(dir, 'nex-local'));
    writeFileSync(join(dir, 'nex-local', 'session.cast'), CAST);
    writeFileSync(
      join(dir, 'nex-local', 'msg-1-after.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>AFTER-SCREEN</text></svg>\n',
    );
    writeFileSync(
      join(dir, 'nex-local', 'endpoint-traffic.ndjson'),
      `${JSON.stringify({ time: iso(1), lastUser: 'hi', method: 'POST', path: '/v1/chat/completions', status: 200, reply: 'Hello sk-SECRET-123', request: { huge: 'x'.repeat(1000) } })}\n`,
    );
    writeFileSync(join(dir, 'nex-local', 'daemon.log'), `${iso(1)} [WARN] key sk-SECRET-123 rejected\n`);
    const files = {
      txt: 'nex-local/msg-1-after.txt',
      ansi: 'nex-local/msg-1-after.ansi',
      html: 'nex-local/msg-1-after.html',
      svg: 'nex-local/msg-1-after.svg',
    };
    const m1 = message(1, 'hi', [0.5, 2.4], { firstGlyphMs: 400, settledMs: 1200, after: files });
    const m2 = message(2, 'tell me a joke', [2.5, 9], {
      verdict: 'no-reply',
      passed: false,
      cause: { kind: 'app', text: 'no request reached the endpoint', seen: ['0 requests'] },
    });
    const html = await buildHtmlReport(runIn(dir, [m1, m2]), { redact: (t) => t.replaceAll('sk-SECRET-123', '***') });
    expect(html.startsWith('<!DOCTYPE html>\n')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    // asciinema-player's own bundle and stylesheet, inlined.
    expect(html).toContain('var AsciinemaPlayer=');
    expect(html).toContain('.ap-player');
    // Nothing the page would fetch.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src="?https?:|url\(["']?https?:/i);
    // The cast is in the page, cut at its last whole line, and cannot close its <script>.
    const castJson = /<script type="application\/json" id="cast-s0-nex-local">([^<]*)<\/script>/.exec(html)?.[1];
    expect(castJson).toBeDefined();
    const cast = JSON.parse(castJson!) as string;
    expect(cast).toContain('hello </script><b>');
    expect(cast.endsWith('\n')).toBe(true);
    expect(cast).not.toContain('cut in ha');
    // The screen at the verdict, the timeline's bars, the cause, the exchange and the log line.
    expect(html).toContain('AFTER-SCREEN');
    expect(html).toMatch(/class="tl-bar tl-wait" style="left:0;width:6\.154%"/); // 400 ms on a scale of 6.5 s (message 2's whole window)
    expect(html).toContain('data-seek="2.5" data-player="player-s0-nex-local" data-message="msg-s0-nex-local-2"');
    expect(html).toContain('<b>cause: app</b> — no request reached the endpoint');
    expect(html).toContain('POST /v1/chat/completions');
    expect(html).toContain('[WARN] key *** rejected');
    // Secrets masked in what was read from disk; the request bodies left out.
    expect(html).not.toContain('sk-SECRET-123');
    expect(html).not.toContain('x'.repeat(1000));
  });

  it('says why the player is missing instead of inlining a cast over the cap', async () => {
    const dir = tempDir('html-report-');
    mkdirSync(join(dir, 'nex-local'));
    writeFileSync(join(dir, 'nex-local', 'session.cast'), CAST);
    const html = await buildHtmlReport(runIn(dir, [message(1, 'hi', [0.5, 2.4])]), { maxCastBytes: 100 });
    expect(html).toMatch(/The recording is not in this page: session\.cast is 0\.0 MB/);
    expect(html).not.toContain('id="cast-s0-nex-local"');
  });

  it('is written beside run.json by the run, even one stopped before wg was found', async () => {
    const { runSmoke } = await import('../../src/smoke/run.js');
    const artifacts = tempDir('html-report-run-');
    const stop = new RunStop({ write: () => undefined });
    stop.deliver('SIGINT');
    await runSmoke(normalizeRunOptions({ scenario: ['nex-local'], wg: process.execPath, artifacts }, {}), {}, { stop });
    expect(existsSync(join(artifacts, 'run.json'))).toBe(true);
    const html = readFileSync(join(artifacts, 'report.html'), 'utf8');
    expect(html).toContain('<title>wg-tui-e2e report — 0 passed, 0 failed, 1 skipped</title>');
    expect(html).toContain('stopped by SIGINT (exit 130)');
  });
});
