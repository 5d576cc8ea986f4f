/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (the page functions below run in Chromium: they use the DOM's types)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrafficEntry } from '../../src/endpoint/index.js';
import { buildHtmlReport } from '../../src/report/html-files.js';
import type { MessageResult, RunResult, ScreenFiles } from '../../src/report/model.js';
import { explainFailure } from '../../src/smoke/cause.js';
import { loadRecordings, rejudge } from '../../src/smoke/rejudge.js';
import { TurnTracker } from '../../src/smoke/turn-tracker.js';
import { Emulator } from '../../src/terminal/emulator.js';
import { renderHtml } from '../../src/terminal/evidence/html.js';
import { renderSvg } from '../../src/terminal/evidence/svg.js';
import { detectorFor } from '../../src/wg/surfaces/index.js';
import { CHROMIUM_BIN, CHROMIUM_NOTE, keptArtifactsDir, launchChromium } from '../terminal/chromium.js';

// The report of a recorded real run, opened in Chromium. The run: workgraph 5422563c's nex pane
// with faults (snapshots/real-wg/workgraph-5422563c/nex-local-faults): three replies, a reply cut
// by the endpoint, a pane that died. Its RunResult is rebuilt from the recording the way the live
// run builds it: verdicts by today's detectors over the cast, screens rendered by our dump writers
// at the marker (before Enter) and at the verdict, windows from the cast's clock, causes from the
// recorded traffic of each window. Then: the timeline, a screen and the player must be visible,
// clicking a message must seek the player to that message's marker, and nothing may be fetched.

const RECORDING = new URL('../../snapshots/real-wg/workgraph-5422563c/nex-local-faults/', import.meta.url).pathname;
const SCENARIO = 'nex-local';

interface Built {
  run: RunResult;
  markers: Map<number, number>;
  reportPath: string;
}

/** The four dump forms of the screen now, as writeScreen names them: paths relative to the run folder. */
async function writeScreenFiles(emulator: Emulator, dir: string, name: string): Promise<ScreenFiles> {
  const files = { txt: `${name}.txt`, ansi: `${name}.ansi`, html: `${name}.html`, svg: `${name}.svg` };
  writeFileSync(join(dir, files.txt), `${emulator.screen().text}\n`);
  writeFileSync(join(dir, files.ansi), emulator.ansi());
  writeFileSync(join(dir, files.html), renderHtml(emulator.term));
  writeFileSync(join(dir, files.svg), renderSvg(emulator.term));
  const rel = (f: string) => join(SCENARIO, f);
  return { txt: rel(files.txt), ansi: rel(files.ansi), html: rel(files.html), svg: rel(files.svg) };
}

async function buildRecordedRun(runDir: string): Promise<Built> {
  const [recording] = await loadRecordings(RECORDING);
  const { decisions } = await rejudge(recording!);
  const dir = join(runDir, SCENARIO);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'session.cast'), recording!.cast);
  await copyFile(join(RECORDING, 'endpoint-traffic.ndjson'), join(dir, 'endpoint-traffic.ndjson'));
  const traffic = recording!.traffic ?? [];

  const [headerLine, ...lines] = recording!.cast.split('\n').filter(Boolean);
  const startMs = (JSON.parse(headerLine!) as { timestamp: number }).timestamp * 1000;
  const header = JSON.parse(headerLine!) as { width: number; height: number };
  const emulator = new Emulator({ cols: header.width, rows: header.height, scrollback: 1000, clock: () => 0 });
  const markers = new Map<number, number>();
  const before = new Map<number, ScreenFiles>();
  const after = new Map<number, ScreenFiles>();
  const firstGlyph = new Map<number, number>();
  const screenText = new Map<number, string>();
  let current: { index: number; tracker: TurnTracker } | undefined;
  const detector = detectorFor(recording!.surface);
  for (const line of lines) {
    const [time, code, data] = JSON.parse(line) as [number, string, string];
    const ms = time * 1000;
    if (code === 'm') {
      const index = Number(/^msg-(\d+) /.exec(data)?.[1]);
      const message = recording!.messages.find((m) => m.index === index);
      if (!message) continue;
      markers.set(index, time);
      before.set(index, await writeScreenFiles(emulator, dir, `msg-${index}-before`));
      current = {
        index,
        tracker: new TurnTracker(detector, {
          text: message.text,
          index,
          assistantText: traffic.filter((e) => e.lastUser === message.text).at(-1)?.reply ?? undefined,
        }),
      };
      continue;
    }
    if (code !== 'o') continue;
    await new Promise<void>((resolve) => emulator.write(new TextEncoder().encode(data), resolve));
    if (!current) continue;
    current.tracker.feed(emulator.screen().lines, ms);
    if (current.tracker.firstGlyphAt !== undefined && !firstGlyph.has(current.index)) firstGlyph.set(current.index, current.tracker.firstGlyphAt);
    // The screen at the verdict: the first frame at or after the moment the detectors decided.
    const decided = decisions.get(current.index);
    if (decided && ms >= decided.at && !after.has(current.index)) {
      after.set(current.index, await writeScreenFiles(emulator, dir, `msg-${current.index}-after`));
      screenText.set(current.index, emulator.screen().text);
    }
  }
  emulator.dispose();

  const messages: MessageResult[] = recording!.messages.map((m) => {
    const decision = decisions.get(m.index)!;
    const markerMs = markers.get(m.index)! * 1000;
    const window = { start: new Date(startMs + markerMs).toISOString(), end: new Date(startMs + decision.at).toISOString() };
    const result: MessageResult = {
      scenario: SCENARIO,
      index: m.index,
      total: recording!.messages.length,
      text: m.text,
      verdict: decision.verdict,
      passed: decision.verdict === 'replied',
      signal: decision.signal,
      ...(decision.detail ? { detail: decision.detail } : {}),
      // From the marker (typing started): the recording has no Enter time of its own.
      ...(firstGlyph.has(m.index) ? { firstGlyphMs: firstGlyph.get(m.index)! - markerMs } : {}),
      ...(decision.verdict === 'replied' || decision.verdict === 'reply-cut' ? { settledMs: decision.at - markerMs } : {}),
      retries: [],
      window,
      before: before.get(m.index),
      after: after.get(m.index),
    };
    if (!result.passed) {
      const inWindow = (e: TrafficEntry) => Date.parse(e.time) >= Date.parse(window.start) && Date.parse(e.time) <= Date.parse(window.end);
      const cause = explainFailure({ message: result, requests: traffic.filter(inWindow), logLines: [], screen: screenText.get(m.index) });
      if (cause) result.cause = cause;
    }
    return result;
  });
  const run: RunResult = {
    scenarios: [
      {
        name: SCENARIO,
        status: 'failed',
        findings: ['recorded run, rebuilt by the spec'],
        messages,
        wg: { path: 'workgraph 5422563c (recorded)', generation: recording!.surface },
        durationMs: 24_000,
      },
    ],
    artifactsDir: runDir,
    startedAt: new Date(startMs).toISOString(),
    durationMs: 24_000,
  };
  const reportPath = join(runDir, 'report.html');
  writeFileSync(reportPath, await buildHtmlReport(run));
  return { run, markers, reportPath };
}

const cleanups: Array<() => unknown> = [];
let built: Built | undefined;
let page: Page | undefined;
const requests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'report-'));
  cleanups.push(() => rmSync(runDir, { recursive: true, force: true }));
  built = await buildRecordedRun(runDir);
  if (!CHROMIUM_BIN) return;
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('request', (r) => void requests.push(r.url()));
  page.on('pageerror', (e) => void pageErrors.push(String(e)));
  await page.goto(pathToFileURL(built.reportPath).href);
  await page.waitForFunction(() => {
    const players = (window as unknown as { wgReport?: { players: Record<string, { getDuration(): number | undefined }> } }).wgReport?.players;
    return !!players && Object.values(players).every((p) => (p.getDuration() ?? 0) > 0);
  });
}, 60_000);
afterAll(async () => {
  for (const undo of cleanups.reverse()) await undo();
});

const currentTime = (p: Page) =>
  p.evaluate(() =>
    Object.values((window as unknown as { wgReport: { players: Record<string, { getCurrentTime(): number }> } }).wgReport.players)[0]!.getCurrentTime(),
  );

describe('report.html of a recorded real run', () => {
  it('is rebuilt with the recording’s verdicts, windows and causes', () => {
    const messages = built!.run.scenarios[0]!.messages;
    expect(messages.map((m) => m.verdict)).toEqual(['replied', 'replied', 'replied', 'reply-cut', 'pane-died']);
    expect(messages.filter((m) => m.cause).map((m) => m.index)).toEqual([4, 5]);
    expect(messages.every((m) => m.before && m.after && m.window)).toBe(true);
  });

  it('shows the timeline, the screens and the player, and fetches nothing', async (ctx) => {
    if (!page) return ctx.skip(CHROMIUM_NOTE);
    await expect.poll(() => page!.locator('#timeline').isVisible()).toBe(true);
    expect(await page.locator('#timeline .tl-row').count()).toBe(5);
    // Bars with a width: message 2's first glyph and settle, on the shared scale.
    const bars = await page.locator('#timeline .tl-row[data-index="2"] .tl-bar').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    expect(bars.length).toBe(2);
    for (const w of bars) expect(w).toBeGreaterThan(0);
    const screen = page.locator('#msg-s0-nex-local-4 figure.screen svg').nth(1);
    expect(await screen.isVisible()).toBe(true);
    expect((await screen.boundingBox())!.width).toBeGreaterThan(200);
    expect(await page.locator('#msg-s0-nex-local-4 .cause').textContent()).toMatch(/^cause: (app|provider|harness|unknown) — /);
    expect(await page.locator('#msg-s0-nex-local-4 table.exchanges tr').count()).toBeGreaterThan(1);
    const player = page.locator('.player .ap-player');
    expect(await player.isVisible()).toBe(true);
    expect((await player.boundingBox())!.height).toBeGreaterThan(100);
    expect(requests.filter((r) => !r.startsWith('file:') && !r.startsWith('data:'))).toEqual([]);
    expect(requests.filter((r) => r.startsWith('file:'))).toEqual([pathToFileURL(built!.reportPath).href]);
    expect(pageErrors).toEqual([]);
  });

  it('seeks the player to a message’s marker when the message is clicked', async (ctx) => {
    if (!page) return ctx.skip(CHROMIUM_NOTE);
    const at4 = built!.markers.get(4)!;
    const at2 = built!.markers.get(2)!;
    expect(await currentTime(page)).toBeLessThan(at2);
    await page.locator('#timeline .tl-row[data-index="4"]').click();
    await expect.poll(() => currentTime(page!)).toBeCloseTo(at4, 1);
    expect(await page.locator('#msg-s0-nex-local-4').getAttribute('class')).toContain('current');
    await page.locator('#msg-s0-nex-local-2 button.seek').first().click();
    await expect.poll(() => currentTime(page!)).toBeCloseTo(at2, 1);
    // One kept file, overwritten by each run (not one more per run).
    const shot = join(keptArtifactsDir(), 'wg-tui-e2e-report.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`report screenshot: ${shot} (player at ${(await currentTime(page)).toFixed(3)} s, marker msg-2 at ${at2} s)`);
  });
});
