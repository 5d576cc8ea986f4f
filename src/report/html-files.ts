// Reads what the HTML report inlines: each scenario's session.cast, endpoint-traffic.ndjson,
// daemon.log and SVG screens from the run's artifacts folder, and asciinema-player's bundle from
// node_modules. Whatever is missing (a run still going, a scenario that never started) is left out
// and the page says so: writing the report must never fail a run.
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseTraffic, type Exchange } from './html-evidence.js';
import { renderHtmlReport, type PlayerAssets, type ScenarioEvidence } from './html-report.js';
import type { RunResult, ScenarioResult } from './model.js';

/** Largest session.cast put into the page: a 1 MB reply streamed token by token makes a cast of many MB. */
export const MAX_CAST_BYTES = 16 * 1024 * 1024;

export interface HtmlReportOptions {
  /** Masks secrets in everything read from disk (the run's own redactor). */
  redact?: (text: string) => string;
  maxCastBytes?: number;
}

const require = createRequire(import.meta.url);
let player: Promise<PlayerAssets | undefined> | undefined;

/** asciinema-player's standalone bundle (IIFE, its WASM inside) and stylesheet; read once per process. */
export function playerAssets(): Promise<PlayerAssets | undefined> {
  player ??= Promise.all([
    readFile(require.resolve('asciinema-player/dist/bundle/asciinema-player.min.js'), 'utf8'),
    readFile(require.resolve('asciinema-player/dist/bundle/asciinema-player.css'), 'utf8'),
  ]).then(
    ([js, css]) => ({ js, css }),
    () => undefined,
  );
  return player;
}

const readText = (file: string): Promise<string | undefined> => readFile(file, 'utf8').catch(() => undefined);

/**
 * A scenario's artifacts folder: where its screens were written, else `<run>/<name>` (or
 * `<run>/<name>/run-<k>` under --repeat, as run-scenario lays it out).
 */
function scenarioDir(runDir: string, s: ScenarioResult): string {
  const screen = s.messages.find((m) => m.after ?? m.before);
  const file = screen?.after?.svg ?? screen?.before?.svg;
  if (file) return dirname(resolve(runDir, file));
  return s.run && s.run.of > 1 ? join(runDir, s.name, `run-${s.run.index}`) : join(runDir, s.name);
}

async function readCast(file: string, max: number, redact: (t: string) => string): Promise<ScenarioEvidence['cast']> {
  const size = await stat(file).then(
    (s) => s.size,
    () => undefined,
  );
  if (size === undefined) return undefined;
  if (size > max)
    return {
      omitted: `session.cast is ${(size / 1048576).toFixed(1)} MB (the page takes up to ${(max / 1048576).toFixed(0)} MB); play it with asciinema play`,
    };
  const text = await readText(file);
  if (text === undefined) return undefined;
  // A cast being written may end in half a line.
  return { text: redact(text.slice(0, text.lastIndexOf('\n') + 1)) };
}

function redactExchange(e: Exchange, redact: (t: string) => string): Exchange {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) out[k] = typeof v === 'string' ? redact(v) : v;
  return out as unknown as Exchange;
}

async function scenarioEvidence(runDir: string, s: ScenarioResult, opts: Required<HtmlReportOptions>): Promise<ScenarioEvidence> {
  const dir = scenarioDir(runDir, s);
  const [cast, traffic, daemonLog] = await Promise.all([
    readCast(join(dir, 'session.cast'), opts.maxCastBytes, opts.redact),
    readText(join(dir, 'endpoint-traffic.ndjson')),
    readText(join(dir, 'daemon.log')),
  ]);
  const screens: Record<string, string> = {};
  const paths = [...new Set(s.messages.flatMap((m) => [m.before?.svg, m.after?.svg]).filter((p): p is string => !!p))];
  await Promise.all(
    paths.map(async (p) => {
      const svg = await readText(resolve(runDir, p));
      if (svg !== undefined) screens[p] = opts.redact(svg);
    }),
  );
  return {
    cast,
    exchanges: parseTraffic(traffic ?? '').map((e) => redactExchange(e, opts.redact)),
    daemonLog: opts.redact(daemonLog ?? ''),
    screens,
  };
}

/**
 * The report page of `run`, its evidence read from run.artifactsDir. Never rejects: a report that
 * cannot be built is a page saying why, and the run's other reports are written all the same.
 */
export async function buildHtmlReport(run: RunResult, options: HtmlReportOptions = {}): Promise<string> {
  const opts: Required<HtmlReportOptions> = { redact: options.redact ?? ((t) => t), maxCastBytes: options.maxCastBytes ?? MAX_CAST_BYTES };
  try {
    const runDir = resolve(run.artifactsDir ?? '.');
    const evidence = await Promise.all(run.scenarios.map((s) => scenarioEvidence(runDir, s, opts)));
    return renderHtmlReport({ run, evidence, player: await playerAssets() });
  } catch (error) {
    const why = String((error as Error)?.stack ?? error).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
    return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>wg-tui-e2e report</title></head><body><p>The report could not be built; run.json and lines.txt beside it have the results.</p><pre>${opts.redact(why)}</pre></body></html>\n`;
  }
}
