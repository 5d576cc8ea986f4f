import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecordings, rejudge } from '../../src/smoke/rejudge.js';
import { piChatFailure } from '../../src/wg/surfaces/pi.js';
import { REAL_WG, realRecordings } from '../setup/recordings.js';

// Recorded real-wg sessions (snapshots/real-wg/<build>/<scenario>/session.cast[.gz]) replayed
// through the emulator and the detectors (src/smoke/rejudge.ts, what `replay --judge` runs): CI
// has no wg, but still checks the detectors on real wg screens. Where the run read the chat's
// history (msg-N-history.txt) the replay reads the same lines; where it kept the endpoint's
// traffic, that is the oracle, exactly as in the live run.

interface Expected {
  chatFailed?: string;
  messages: Array<{ index: number; text: string; verdict: string; detailIncludes?: string; replyIncludes?: string; seen?: number }>;
}

const root = REAL_WG;
const recordings = realRecordings();

describe('detectors on recorded real-wg sessions', () => {
  it('has recordings to replay', () => {
    expect(recordings.length).toBeGreaterThan(0);
  });
  for (const recording of recordings) {
    it(`${recording}: every message gets its recorded verdict`, async () => {
      const dir = join(root, recording);
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
      const [loaded] = await loadRecordings(dir);
      const { decisions, last } = await rejudge(loaded!);
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
