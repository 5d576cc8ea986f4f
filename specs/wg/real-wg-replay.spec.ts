import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TurnTracker, type Decision } from '../../src/smoke/turn.js';
import { replayCast } from '../../src/terminal/index.js';
import { detectorFor } from '../../src/wg/detectors/index.js';

// Recorded real-wg sessions (snapshots/real-wg/<build>/<scenario>/session.cast) replayed through
// the emulator and the detectors: CI has no wg, but still checks the detectors on real wg screens.

interface Expected {
  driver: string;
  messages: Array<{ index: number; text: string; verdict: string; detailIncludes?: string; replyIncludes?: string }>;
}

const root = new URL('../../snapshots/real-wg/', import.meta.url).pathname;
const recordings = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((build) =>
    readdirSync(join(root, build.name), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, build.name, d.name, 'expected.json')))
      .map((d) => join(build.name, d.name)),
  );

async function judgeRecording(dir: string, expected: Expected): Promise<Map<number, Decision>> {
  const detector = detectorFor(expected.driver);
  const decisions = new Map<number, Decision>();
  let tracker: TurnTracker | undefined;
  let current: Expected['messages'][number] | undefined;
  for await (const frame of replayCast(readFileSync(join(dir, 'session.cast'), 'utf8'))) {
    for (const marker of frame.markers) {
      const index = Number(/^msg-(\d+)/.exec(marker)?.[1]);
      current = expected.messages.find((m) => m.index === index);
      tracker = current ? new TurnTracker(detector, { text: current.text, index }) : undefined;
    }
    if (!tracker || !current) continue;
    const decision = tracker.feed(frame.screen.lines, frame.time * 1000);
    if (decision) {
      decisions.set(current.index, decision);
      tracker = undefined;
    }
  }
  return decisions;
}

describe('detectors on recorded real-wg sessions', () => {
  it('has recordings to replay', () => {
    expect(recordings.length).toBeGreaterThan(0);
  });
  for (const recording of recordings) {
    it(`${recording}: every message gets its recorded verdict`, async () => {
      const dir = join(root, recording);
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
      const decisions = await judgeRecording(dir, expected);
      for (const message of expected.messages) {
        const decision = decisions.get(message.index);
        expect(decision?.verdict, `message ${message.index} "${message.text}"`).toBe(message.verdict);
        if (message.detailIncludes) expect(decision?.detail).toContain(message.detailIncludes);
        if (message.replyIncludes) expect(decision?.detail).toContain(message.replyIncludes);
      }
    });
  }
});
