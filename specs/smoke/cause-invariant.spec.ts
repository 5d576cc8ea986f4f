import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MessageResult } from '../../src/report/model.js';
import { causeContradictions } from '../../src/smoke/cause-invariant.js';
import { loadRecordings, rejudge } from '../../src/smoke/rejudge.js';
import { REAL_WG, realRecordings } from '../setup/recordings.js';

// The cause never contradicts the verdict's own signal. The rule is checked here on planted
// contradictions (each must be caught), then on every recorded real run in snapshots/ judged
// again with its cause; every fixture case checks it too (specs/smoke/invariant.ts).

const failed = (over: Partial<MessageResult>): MessageResult => ({
  scenario: 's',
  index: 1,
  total: 1,
  text: 'hi',
  verdict: 'no-reply',
  passed: false,
  signal: 'screen: no reply within 30s',
  retries: [],
  cause: { kind: 'unknown', text: 'the evidence does not decide', seen: [] },
  ...over,
});

describe('the cause/verdict invariant', () => {
  it.each<[string, Partial<MessageResult>]>([
    [
      'a reply in flight, "no request"',
      {
        verdict: 'stalled',
        signal: 'endpoint: still streaming the reply at the budget (2519 of 4785 chars sent within 20s)',
        cause: { kind: 'app', text: 'no request reached the endpoint between Enter and the verdict (20.0s): wg never called the model', seen: [] },
      },
    ],
    ['a failure with no cause', { cause: undefined }],
    ['a pass with a cause', { verdict: 'replied', passed: true }],
    ["wg's own verdict blamed on the harness", { verdict: 'chat-stuck', cause: { kind: 'harness', text: 'x', seen: [] } }],
    [
      'the harness blamed while the transcript holds no reply',
      { transcript: { status: 'missing' }, cause: { kind: 'harness', text: 'wg drew the reply … but the judge could not read the turn', seen: [] } },
    ],
    [
      'a cut stream named on a complete reply',
      {
        reply: { requests: 1, complete: true, chars: 10, seen: 0.5, source: 'screen' },
        cause: { kind: 'provider', text: "the endpoint's stream ended early: dropped", seen: [] },
      },
    ],
    [
      'requests carried it, "none carrying this message"',
      {
        reply: { requests: 2, complete: true, chars: 10, seen: 0.5, source: 'screen' },
        cause: { kind: 'app', text: '2 requests arrived, none carrying this message', seen: [] },
      },
    ],
  ])('catches %s', (_, over) => {
    expect(causeContradictions(failed(over))).not.toEqual([]);
  });

  it('finds nothing to say of a cause that agrees', () => {
    expect(
      causeContradictions(
        failed({
          verdict: 'stalled',
          signal: 'endpoint: still streaming the reply at the budget (2519 of 4785 chars sent within 20s)',
          cause: { kind: 'provider', text: 'the endpoint was still streaming this reply at the budget', seen: [] },
        }),
      ),
    ).toEqual([]);
  });
});

const root = REAL_WG;
const recordings = realRecordings();

describe('every recorded real run, judged again with its cause', () => {
  for (const recording of recordings) {
    it(`${recording}: no cause contradicts its signal`, async () => {
      const [loaded] = await loadRecordings(join(root, recording));
      const { decisions } = await rejudge(loaded!);
      for (const [index, judged] of decisions) {
        const message = loaded!.messages.find((m) => m.index === index);
        const result: MessageResult = {
          scenario: recording,
          index,
          total: decisions.size,
          text: message?.text ?? '',
          passed: judged.verdict === 'replied',
          retries: [],
          ...judged,
        };
        expect(causeContradictions(result), `message ${index}: ${judged.verdict} — ${judged.signal} / ${judged.cause?.kind}: ${judged.cause?.text}`).toEqual(
          [],
        );
      }
    });
  }
});
