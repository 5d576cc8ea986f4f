import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { TrafficEntry } from '../../src/endpoint/index.js';
import { judgeAgainstStream, TurnTracker, type Decision } from '../../src/smoke/turn.js';
import { replayCast, type Screen } from '../../src/terminal/index.js';
import { readClaudeTurn } from '../../src/wg/detectors/claude-pane.js';
import { readComposerTurn } from '../../src/wg/detectors/composer.js';
import { HISTORY_SCROLL_END, HISTORY_SCROLL_START } from '../../src/wg/drivers/composer-history.js';
import { detectorFor } from '../../src/wg/detectors/index.js';
import { readNexTurn } from '../../src/wg/detectors/nex-pane.js';
import { readNexTmuxTurn } from '../../src/wg/detectors/nex-tmux.js';
import type { TurnDetector } from '../../src/wg/detectors/observation.js';
import { piChatFailure, readPiTurn } from '../../src/wg/detectors/pi-tmux.js';

// Recorded real-wg sessions (snapshots/real-wg/<build>/<scenario>/session.cast[.gz]) replayed
// through the emulator and the detectors: CI has no wg, but still checks the detectors on real wg
// screens. Where the run read the chat's history (msg-N-history.txt) the replay reads the same
// lines; where it kept the endpoint's traffic, that is the oracle, exactly as in the live run.

interface Expected {
  driver: string;
  chatFailed?: string;
  messages: Array<{ index: number; text: string; verdict: string; detailIncludes?: string; replyIncludes?: string; seen?: number }>;
}

const HISTORY_DETECTORS: Record<string, TurnDetector> = {
  composer: readComposerTurn,
  'nex-pane': (lines, turn) => readNexTurn(lines, turn),
  'nex-tmux': readNexTmuxTurn,
  'pi-tmux': readPiTurn,
  'claude-pane': readClaudeTurn,
};

const root = new URL('../../snapshots/real-wg/', import.meta.url).pathname;
const recordings = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((build) =>
    readdirSync(join(root, build.name), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, build.name, d.name, 'expected.json')))
      .map((d) => join(build.name, d.name)),
  );

function castText(dir: string): string {
  const gz = join(dir, 'session.cast.gz');
  return existsSync(gz) ? gunzipSync(readFileSync(gz)).toString('utf8') : readFileSync(join(dir, 'session.cast'), 'utf8');
}

function traffic(dir: string): TrafficEntry[] | undefined {
  const file = join(dir, 'endpoint-traffic.ndjson');
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TrafficEntry);
}

const squash = (t: string) => t.replace(/\s+/g, '');

interface Judged {
  decisions: Map<number, Decision & { seen?: number }>;
  last?: Screen;
}

async function judgeRecording(dir: string, expected: Expected): Promise<Judged> {
  const detector = detectorFor(expected.driver);
  const entries = traffic(dir);
  const decisions = new Map<number, Decision & { seen?: number }>();
  let tracker: TurnTracker | undefined;
  let current: Expected['messages'][number] | undefined;
  let last: Screen | undefined;
  // The recording holds every turn's exchanges: this message's are the ones whose last user message it is.
  const exchangesOf = (text: string) => (entries ?? []).filter((e) => e.lastUser !== null && squash(e.lastUser) === squash(text));
  const finish = (decision: Decision) => {
    if (!current || !tracker) return;
    let judged: Decision & { seen?: number } = decision;
    if (entries) {
      const checked = judgeAgainstStream(decision, exchangesOf(current.text), tracker.last?.reply ?? '', decision.source ?? 'screen');
      judged = { ...checked.decision, seen: checked.reply?.seen };
    }
    decisions.set(current.index, judged);
    tracker = undefined;
  };
  // A turn the screen left undecided (its echo scrolled away) is read off the recorded history.
  const fromHistory = () => {
    if (!tracker || !current) return;
    const file = join(dir, `msg-${current.index}-history.txt`);
    if (!existsSync(file)) return;
    const obs = HISTORY_DETECTORS[expected.driver]?.(readFileSync(file, 'utf8').split('\n'), tracker.turn);
    const decision = obs ? tracker.observe(obs, 0, 'history') : undefined;
    if (decision) finish(decision);
  };
  // Frames the harness drew by scrolling the composer back (between its markers) are not wg's turn.
  let scrolling = false;
  for await (const frame of replayCast(castText(dir))) {
    last = frame.screen;
    for (const marker of frame.markers) {
      if (marker === HISTORY_SCROLL_START || marker === HISTORY_SCROLL_END) {
        scrolling = marker === HISTORY_SCROLL_START;
        continue;
      }
      fromHistory();
      const index = Number(/^msg-(\d+)/.exec(marker)?.[1]);
      current = expected.messages.find((m) => m.index === index);
      tracker = current ? new TurnTracker(detector, { text: current.text, index, assistantText: exchangesOf(current.text).at(-1)?.reply ?? undefined }) : undefined;
    }
    if (!tracker || !current || scrolling) continue;
    const decision = tracker.feed(frame.screen.lines, frame.time * 1000);
    if (decision) finish(decision);
  }
  fromHistory();
  return { decisions, last };
}

describe('detectors on recorded real-wg sessions', () => {
  it('has recordings to replay', () => {
    expect(recordings.length).toBeGreaterThan(0);
  });
  for (const recording of recordings) {
    it(`${recording}: every message gets its recorded verdict`, async () => {
      const dir = join(root, recording);
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
      const { decisions, last } = await judgeRecording(dir, expected);
      if (expected.chatFailed) expect(piChatFailure(last?.lines ?? [])).toContain(expected.chatFailed);
      for (const message of expected.messages) {
        const decision = decisions.get(message.index);
        expect(decision?.verdict, `message ${message.index} "${message.text}"`).toBe(message.verdict);
        if (message.detailIncludes) expect(decision?.detail).toContain(message.detailIncludes);
        if (message.replyIncludes) expect(decision?.detail).toContain(message.replyIncludes);
        if (message.seen !== undefined) expect(decision?.seen, `message ${message.index} seen`).toBe(message.seen);
      }
    });
  }
});
