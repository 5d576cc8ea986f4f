import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { OptionError } from '../errors.js';
import { EXIT } from '../report/model.js';
import { parseCast, replayCast, type Screen } from '../terminal/index.js';
import { loadRecordings, readCast, rejudge } from './rejudge.js';

// `wg-tui-e2e replay`: a recorded run looked at offline. Plays the cast in this terminal, prints
// the screen at a marker or a time, or judges every message again with today's detectors and
// says where the verdict differs from the recorded one (a CI failure looked at, a detector
// change checked, without wg).

export interface ReplayOptions {
  path: string;
  /** A marker (`msg-2`, a prefix of the marker's text) or seconds since the recording started. */
  at?: string;
  judge?: boolean;
  /** The surface to judge with, for a bare cast or to override the recorded one. */
  surface?: string;
  /** Playback speed (2 = twice as fast); pauses longer than `MAX_IDLE_S` are cut to it. */
  speed?: number;
}

/** Longest pause kept when playing (seconds): a 60 s wait for a reply plays as 2 s. */
const MAX_IDLE_S = 2;

/** The cast file at `path`: itself, or the session.cast of a scenario folder. */
function castPath(path: string): string {
  for (const candidate of [path, join(path, 'session.cast'), join(path, 'session.cast.gz')]) {
    if (/\.cast(\.gz)?$/.test(candidate) && existsSync(candidate)) return candidate;
  }
  throw new OptionError(`${path}: no session.cast here (give a cast file or a scenario's artifacts folder; --judge also takes a run's folder)`);
}

/** The screen at a marker (before the output that followed it) or at a time. */
export async function screenAt(cast: string, at: string): Promise<{ screen: Screen; time: number } | undefined> {
  const seconds = /^\d+(\.\d+)?$/.test(at) ? Number(at) : undefined;
  let previous: { screen: Screen; time: number } | undefined;
  for await (const frame of replayCast(cast)) {
    if (seconds === undefined && frame.markers.some((m) => m === at || m.startsWith(`${at} `) || m.startsWith(at)))
      return previous ?? { screen: frame.screen, time: frame.time };
    if (seconds !== undefined && frame.time > seconds) return previous ?? { screen: frame.screen, time: frame.time };
    previous = { screen: frame.screen, time: frame.time };
  }
  return seconds !== undefined ? previous : undefined;
}

/** Writes the recording's output to `out` at its own pace (pauses capped), `speed` times faster. */
export async function play(cast: string, out: NodeJS.WritableStream, speed = 1): Promise<void> {
  const { events } = parseCast(cast);
  let last = 0;
  for (const event of events) {
    if (event.type !== 'o') continue;
    const pause = Math.min(event.time - last, MAX_IDLE_S) / speed;
    last = event.time;
    if (pause > 0) await delay(pause * 1000);
    out.write(event.data);
  }
}

export async function runReplay(options: ReplayOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (options.judge) {
    let differs = 0;
    for (const recording of await loadRecordings(options.path, options.surface)) {
      const { decisions } = await rejudge(recording);
      for (const message of recording.messages) {
        const decision = decisions.get(message.index);
        const verdict = decision?.verdict ?? 'undecided';
        const same = message.verdict === undefined || message.verdict === verdict;
        if (!same) differs++;
        const recorded = message.verdict === undefined ? '' : same ? ` (as recorded)` : ` DIFFERS (recorded: ${message.verdict})`;
        const seen = decision?.seen !== undefined ? `, ${Math.round(decision.seen * 100)}% seen` : '';
        out.write(
          `${verdict === 'replied' ? 'PASS' : 'FAIL'} ${recording.label} ${message.index}/${recording.messages.length} ${JSON.stringify(message.text)} ${verdict}${seen} [${recording.surface}]${recorded}\n`,
        );
      }
    }
    out.write(`${differs === 0 ? 'every verdict as recorded' : `${differs} verdict${differs === 1 ? '' : 's'} differ from the recording`}\n`);
    return differs === 0 ? EXIT.ok : EXIT.failed;
  }
  const cast = await readCast(castPath(options.path));
  if (options.at !== undefined) {
    const found = await screenAt(cast, options.at);
    if (!found) throw new OptionError(`--at ${options.at}: no such marker in the recording`);
    out.write(`--- screen at ${options.at} (${found.time.toFixed(2)}s) ---\n${found.screen.lines.join('\n').replace(/\s+$/, '')}\n`);
    return EXIT.ok;
  }
  await play(cast, out, options.speed);
  out.write('\n');
  return EXIT.ok;
}
