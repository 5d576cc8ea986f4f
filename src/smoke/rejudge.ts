import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { TrafficEntry } from '../endpoint/index.js';
import { OptionError } from '../errors.js';
import type { Cause, ReplyCheck, RunResult, ScenarioResult } from '../report/model.js';
import { replayCast, type Screen } from '../terminal/index.js';
import { detectorFor, historyReaderFor, SURFACES } from '../wg/surfaces/index.js';
import { generationNamed } from '../wg/generations/index.js';
import { targetKindOf } from './tools.js';
import type { ScenarioName } from './options.js';
import { squash } from '../wg/surfaces/observation.js';
import { HISTORY_SCROLL_END, HISTORY_SCROLL_START } from '../wg/surfaces/composer-history.js';
import { TurnTracker, type Decision } from './turn-tracker.js';
import { judgeAgainstStream, seenOf, showsWhole } from './turn-stream.js';
import { explainFailure, repliesTo } from './cause.js';

// A recorded run judged again, offline, by today's detectors: the `session.cast` (its `msg-N`
// markers say when each message was typed), the chat's history the run read (`msg-N-history.txt`)
// and, where the embedded endpoint ran, its traffic as the oracle, exactly as in the live run.
// Used by `wg-tui-e2e replay --judge` and by the replay spec over snapshots/real-wg.

/** One recorded scenario, read from disk. */
export interface Recording {
  /** Where it came from, for the output (`nex-local`, `wg-bc1dbece/claude-local`). */
  label: string;
  dir: string;
  cast: string;
  /** The detector the chat was read with (a key of detectorFor: `nex-pane`, `composer`, `claude-pane`, …). */
  surface: string;
  messages: Array<{ index: number; text: string; verdict?: string }>;
  traffic?: TrafficEntry[];
}

/** A message judged again: the decision, what the chat showed of the reply, and (a failure) its cause from the same evidence. */
export type Rejudged = Decision & { seen?: number; reply?: ReplyCheck; cause?: Cause };

/** The cast of a folder (`session.cast`, or the gzipped copy kept in snapshots). */
export async function readCast(path: string): Promise<string> {
  if (path.endsWith('.gz')) return gunzipSync(await readFile(path)).toString('utf8');
  return readFile(path, 'utf8');
}

function castIn(dir: string): string | undefined {
  for (const name of ['session.cast', 'session.cast.gz']) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

async function trafficIn(dir: string): Promise<TrafficEntry[] | undefined> {
  const text = await readFile(join(dir, 'endpoint-traffic.ndjson'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as TrafficEntry);
}

/**
 * The surface a scenario's turns were read from; for runs that did not record it, the one its
 * generation reads that kind of chat from (the table's `surface`).
 */
export function surfaceOfScenario(scenario: ScenarioResult): string | undefined {
  // Runs recorded before the names were settled said `chatUi` and `wg.driver`.
  const old = scenario as { chatUi?: string; wg?: { driver?: string } };
  if (scenario.surface ?? old.chatUi) return scenario.surface ?? old.chatUi;
  const name = scenario.wg?.generation ?? old.wg?.driver;
  const generation = name && generationNamed(name);
  return generation ? generation.surface[targetKindOf(scenario.name as ScenarioName)] : undefined;
}

/**
 * The recordings at `path`: a snapshot folder (expected.json), a scenario's artifacts folder (its
 * run's run.json one level up), a run's artifacts folder (run.json: every scenario with a cast),
 * or a bare cast with `surface` given, which overrides the detector everywhere.
 */
export async function loadRecordings(path: string, surface?: string): Promise<Recording[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new OptionError(`${path}: no such file or folder`);
  if (info.isFile()) {
    if (!surface) throw new OptionError(`${path}: a bare cast needs --surface NAME (${SURFACES.join(', ')}) to be judged`);
    const cast = await readCast(path);
    return [{ label: basename(path), dir: dirname(path), cast, surface, messages: messagesFromMarkers(cast) }];
  }
  const expected = join(path, 'expected.json');
  if (existsSync(expected)) {
    const spec = JSON.parse(await readFile(expected, 'utf8')) as { surface: string; messages: Recording['messages'] };
    const cast = castIn(path);
    if (!cast) throw new OptionError(`${path}: expected.json but no session.cast`);
    return [{ label: path, dir: path, cast: await readCast(cast), surface: surface ?? spec.surface, messages: spec.messages, traffic: await trafficIn(path) }];
  }
  const runJson = existsSync(join(path, 'run.json'))
    ? join(path, 'run.json')
    : existsSync(join(dirname(path), 'run.json'))
      ? join(dirname(path), 'run.json')
      : undefined;
  if (!runJson) throw new OptionError(`${path}: neither a recording (session.cast with expected.json) nor an artifacts folder (run.json)`);
  const run = JSON.parse(await readFile(runJson, 'utf8')) as RunResult;
  const root = dirname(runJson);
  const wanted = runJson === join(path, 'run.json') ? undefined : basename(path);
  const out: Recording[] = [];
  for (const scenario of run.scenarios) {
    const dir = scenario.run && scenario.run.of > 1 ? join(root, scenario.name, `run-${scenario.run.index}`) : join(root, scenario.name);
    if (wanted && basename(dir) !== wanted) continue;
    const cast = castIn(dir);
    const detector = surface ?? surfaceOfScenario(scenario);
    if (!cast || !detector || scenario.messages.length === 0) continue;
    out.push({
      label: scenario.run && scenario.run.of > 1 ? `${scenario.name}#${scenario.run.index}` : scenario.name,
      dir,
      cast: await readCast(cast),
      surface: detector,
      messages: scenario.messages.map((m) => ({ index: m.index, text: m.text, verdict: m.verdict })),
      traffic: await trafficIn(dir),
    });
  }
  if (out.length === 0) throw new OptionError(`${path}: no scenario with a session.cast and messages to judge`);
  return out;
}

/** The live turn waits this long for the endpoint after the screen decided (checkAgainstEndpoint), plus the cast clock's second. */
const SETTLE_MS = 3_000;

/** When the cast began (its header's `timestamp`, whole seconds), in ms; undefined without one. */
function castStartMs(cast: string): number | undefined {
  const header = JSON.parse(cast.slice(0, cast.indexOf('\n'))) as { timestamp?: number };
  return typeof header.timestamp === 'number' ? header.timestamp * 1000 : undefined;
}

/** The messages a cast's markers name (`msg-2 what can you help me with?`). */
export function messagesFromMarkers(cast: string): Recording['messages'] {
  const out: Recording['messages'] = [];
  for (const line of cast.split('\n')) {
    const m = /^\[[\d.]+,\s*"m",\s*("(?:[^"\\]|\\.)*")\]$/.exec(line.trim());
    const marker = m ? (JSON.parse(m[1] as string) as string) : undefined;
    const msg = marker ? /^msg-(\d+) ([\s\S]*)$/.exec(marker) : null;
    if (msg) out.push({ index: Number(msg[1]), text: msg[2] as string });
  }
  return out;
}

/** Judges every message of a recording again; the last screen too, for checks on the end state. */
export async function rejudge(recording: Recording): Promise<{ decisions: Map<number, Rejudged>; last?: Screen }> {
  const detector = detectorFor(recording.surface);
  const history = historyReaderFor(recording.surface);
  const entries = recording.traffic;
  const decisions = new Map<number, Rejudged>();
  let tracker: TurnTracker | undefined;
  let current: Recording['messages'][number] | undefined;
  let last: Screen | undefined;
  // The recording holds every turn's exchanges: this message's are the ones whose last user message it is.
  const exchangesOf = (text: string) => (entries ?? []).filter((e) => e.lastUser !== null && squash(e.lastUser) === squash(text));
  // A chat that sends a message again later (wg re-sending the whole conversation) has more exchanges
  // for it than its turn: as the live run does, only those of the turn's window count, from its
  // marker to its decision and the endpoint's settle after it (on the cast's clock, to the second).
  const inWindow = (exchanges: TrafficEntry[], index: number, atMs: number): TrafficEntry[] => {
    const from = windowStart(index);
    if (startMs === undefined || from === undefined || atMs <= 0) return exchanges;
    const windowed = exchanges.filter((e) => Date.parse(e.time) >= from && Date.parse(e.time) <= startMs + atMs + SETTLE_MS);
    return windowed.length > 0 ? windowed : exchanges;
  };
  const historyOf = (index: number) => readFile(join(recording.dir, `msg-${index}-history.txt`), 'utf8').catch(() => undefined);
  const finish = async (decision: Decision) => {
    if (!current || !tracker) return;
    let judged: Rejudged = decision;
    if (entries) {
      const exchanges = inWindow(exchangesOf(current.text), current.index, decision.at);
      const streamed = exchanges.at(-1)?.reply ?? '';
      let seen = decision.shown ?? tracker.last?.reply ?? '';
      let source = decision.source ?? 'screen';
      // As the live turn does: a replied screen that shows only part of the reply counts the
      // history the run read, where that holds more.
      const text = source === 'screen' && decision.verdict === 'replied' && !showsWhole(streamed, seen) ? await historyOf(current.index) : undefined;
      if (text !== undefined) ({ seen, source } = seenOf(streamed, seen, history(text.split('\n'), tracker.turn).reply));
      const checked = judgeAgainstStream(decision, exchanges, seen, source);
      judged = { ...checked.decision, seen: checked.reply?.seen, reply: checked.reply };
      if (judged.verdict !== 'replied') judged.cause = causeOf(current, judged, exchanges, seen);
    } else if (judged.verdict !== 'replied') judged.cause = causeOf(current, judged, undefined, decision.shown ?? tracker.last?.reply ?? '');
    decisions.set(current.index, judged);
    tracker = undefined;
  };
  // The cause as the live run gives it, from the recording's evidence: this message's exchanges,
  // the replies to the messages before it, the screen the decision was read from.
  const causeOf = (message: Recording['messages'][number], judged: Rejudged, exchanges: TrafficEntry[] | undefined, shown: string): Cause | undefined => {
    const earlier = repliesTo(
      recording.messages.filter((m) => m.index < message.index),
      entries ?? [],
    );
    const result = {
      scenario: recording.label,
      index: message.index,
      total: recording.messages.length,
      text: message.text,
      passed: false,
      retries: [],
      ...judged,
    };
    const requests = exchanges && [...exchanges, ...unclaimedIn(message.index)].sort((a, b) => a.seq - b.seq);
    return explainFailure({ message: result, requests, logLines: [], screen: tracker?.lastLines.join('\n'), shown, earlier });
  };
  // Requests that carry none of the recorded messages (a refused route, a model list) belong to the
  // message whose window they arrived in: from its marker to the next one, on the cast's clock
  // (its header's start, to the second), as the live run's window took them.
  const startMs = castStartMs(recording.cast);
  const markerAt = new Map<number, number>();
  const claimed = (e: TrafficEntry) => e.lastUser !== null && recording.messages.some((m) => squash(m.text) === squash(e.lastUser ?? ''));
  /** When message `index`'s window opened, in ms (its marker, less the cast clock's second); undefined before its marker. */
  const windowStart = (index: number): number | undefined => {
    const at = markerAt.get(index);
    return startMs === undefined || at === undefined ? undefined : startMs + at * 1000 - 1000;
  };
  const unclaimedIn = (index: number): TrafficEntry[] => {
    const from = windowStart(index);
    if (startMs === undefined || from === undefined) return [];
    const until = [...markerAt].filter(([i]) => i > index).map(([, at]) => at)[0] ?? Number.POSITIVE_INFINITY;
    return (entries ?? []).filter((e) => !claimed(e) && Date.parse(e.time) >= from && Date.parse(e.time) < startMs + until * 1000);
  };
  // A turn the screen left undecided (its echo scrolled away) is read off the recorded history.
  const fromHistory = async () => {
    if (!tracker || !current || !history) return;
    const text = await historyOf(current.index);
    if (text === undefined) return;
    const decision = tracker.observe(history(text.split('\n'), tracker.turn), lastAtMs, 'history');
    if (decision) await finish(decision);
  };
  // Frames the harness drew by scrolling the composer back (between its markers) are not wg's turn.
  let scrolling = false;
  // The time of the last frame: a turn decided off the history was decided by then.
  let lastAtMs = 0;
  for await (const frame of replayCast(recording.cast)) {
    last = frame.screen;
    lastAtMs = frame.time * 1000;
    for (const marker of frame.markers) {
      if (marker === HISTORY_SCROLL_START || marker === HISTORY_SCROLL_END) {
        scrolling = marker === HISTORY_SCROLL_START;
        continue;
      }
      await fromHistory();
      const index = Number(/^msg-(\d+)/.exec(marker)?.[1]);
      markerAt.set(index, frame.time);
      current = recording.messages.find((m) => m.index === index);
      tracker = current
        ? new TurnTracker(detector, {
            text: current.text,
            index,
            assistantText: exchangesOf(current.text).at(-1)?.reply ?? undefined,
            before: frame.screen.lines,
          })
        : undefined;
    }
    if (!tracker || !current || scrolling) continue;
    const decision = tracker.feed(frame.screen.lines, frame.time * 1000);
    if (decision) await finish(decision);
  }
  await fromHistory();
  return { decisions, last };
}
