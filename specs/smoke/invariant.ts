import { expect } from 'vitest';
import type { MessageResult } from '../../src/report/model.js';
import { causeContradictions } from '../../src/smoke/cause-invariant.js';

/** Every fixture case's result goes through this: its cause must agree with its own signal. */
export function agreeing(result: MessageResult): MessageResult {
  expect(causeContradictions(result), `${result.verdict}: ${result.signal} / cause: ${result.cause?.kind} — ${result.cause?.text}`).toEqual([]);
  return result;
}
