import type { MessageResult, Verdict } from '../report/model.js';
import { explainFailure, notSentCause } from './cause.js';

// The results of messages a scenario never typed, or typed into a chat wg failed before it was
// ready: each says why, and its cause follows from the message that ended the chat.

/** What a scenario's message is: its name, its place among the messages and its text. */
export interface Slot {
  scenario: string;
  messages: readonly string[];
  /** 0-based. */
  i: number;
}

/** A message that was never typed, and why. */
function unsent({ scenario, messages, i }: Slot, signal: string, detail: string, cause: MessageResult['cause']): MessageResult {
  return { scenario, index: i + 1, total: messages.length, text: messages[i] ?? '', verdict: 'not-sent', passed: false, signal, detail, retries: [], cause };
}

/** Not typed: the run was stopped, or the chat never opened. */
export const notSent = (slot: Slot, detail: string): MessageResult =>
  unsent(slot, 'not sent', detail, { kind: 'unknown', text: `not typed: ${detail}`, seen: [] });

/** Not typed because an earlier message's verdict ended the chat (`detail` says how). */
export const afterDeadChat = (slot: Slot, dead: MessageResult, detail: string): MessageResult => unsent(slot, 'chat already dead', detail, notSentCause(dead));

/**
 * wg showed its own chat as failed, or left it stuck, before anything could be typed: the first
 * message fails with wg's words (exit 1), the others are not sent. Not a harness failure, so a
 * bisect blames the build.
 */
export function chatFailedResults(scenario: string, messages: readonly string[], how: { verdict: Verdict; signal: string; detail: string }): MessageResult[] {
  const failed: MessageResult = {
    scenario,
    index: 1,
    total: messages.length,
    text: messages[0] ?? '',
    verdict: how.verdict,
    passed: false,
    signal: how.signal,
    detail: how.detail,
    retries: [],
  };
  failed.cause = explainFailure({ message: failed, logLines: [] });
  return messages.map((_, i) => (i === 0 ? failed : afterDeadChat({ scenario, messages, i }, failed, `the chat failed to open (${how.verdict})`)));
}
