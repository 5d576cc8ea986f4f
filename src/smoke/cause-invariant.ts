import type { MessageResult } from '../report/model.js';

// A cause never contradicts the verdict's own signal: both read the same evidence (the endpoint's
// exchanges of the window, what was in flight, wg's transcript, the screen). Each rule below names
// a pair that cannot both be true. Pure; the specs run it over every recorded real run and every
// fixture case, and a contradiction in a live run is said on a FINDING line.

const IN_FLIGHT = /still streaming|in flight|chars sent within|first byte after|queued behind/i;
const NO_REQUEST = /no request reached the endpoint|wg never called the model/;
const WG_VERDICTS = new Set(['chat-failed', 'chat-stuck', 'tui-panicked', 'tui-exited']);

/** Every way `message`'s cause contradicts its verdict, signal or recorded checks; empty when none. */
export function causeContradictions(message: MessageResult): string[] {
  const { cause } = message;
  const out: string[] = [];
  if (message.passed) return cause ? ['a pass carries a cause'] : [];
  if (message.verdict === 'not-sent' || message.verdict === 'interrupted') return [];
  if (!cause) return ['a failure has no cause'];
  const says = (re: RegExp) => re.test(cause.text);
  if (IN_FLIGHT.test(message.signal) && says(NO_REQUEST)) out.push('the signal has a reply in flight, the cause says no request reached the endpoint');
  if ((message.reply?.requests ?? 0) > 0 && says(NO_REQUEST))
    out.push(`${message.reply?.requests} requests carried the message, the cause says none reached the endpoint`);
  if ((message.reply?.requests ?? 0) > 0 && says(/none carrying this message/)) out.push('requests carried the message, the cause says none did');
  if (WG_VERDICTS.has(message.verdict) && cause.kind !== 'app') out.push(`${message.verdict} is wg's own verdict, the cause blames ${cause.kind}`);
  if (message.verdict === 'stalled' && /endpoint: still streaming/.test(message.signal) && cause.kind !== 'provider')
    out.push(`the endpoint was still streaming at the budget, the cause blames ${cause.kind}`);
  if (cause.kind === 'harness') {
    if (message.transcript && (message.transcript.status === 'error' || message.transcript.status === 'missing'))
      out.push(`the cause blames the harness, but wg's transcript says ${message.transcript.status}`);
    if (message.reply && !message.reply.complete) out.push("the cause blames the harness, but the endpoint's reply was not complete");
  }
  if (says(/stream ended early/) && message.reply?.complete) out.push("the cause says the stream ended early, the endpoint's record says it was complete");
  const times = /sent this message (\d+) times/.exec(cause.text);
  if (times && (message.reply?.requests ?? Number(times[1])) < Number(times[1]))
    out.push(`the cause counts ${times[1]} sends, the endpoint's record ${message.reply?.requests}`);
  return out;
}
