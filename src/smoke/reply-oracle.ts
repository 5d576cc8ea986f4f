import type { Endpoint, LiveStream, TrafficEntry } from '../endpoint/index.js';
import { squash } from '../wg/surfaces/observation.js';

// The embedded endpoint knows exactly what it streamed for each message and whether the stream
// ended normally: the turn judge checks the screen against it. In front of a live server the same
// endpoint is the recording proxy, and knows the same of what the server streamed through it.

export interface ReplyOracle {
  /** The chat exchanges that carried `text` as their last user message, arrived at or after `sinceMs` (epoch ms). */
  exchanges(text: string, sinceMs: number): TrafficEntry[];
  /** Resolves once no exchange is in flight, or after `timeoutMs`. */
  settle(timeoutMs: number): Promise<void>;
  /** A reply to `text` still streaming: characters sent (of its total, where known) and its timing. */
  streaming(text: string): LiveStream | undefined;
  /** Replies to other messages still streaming: what a message typed now waits behind. */
  busy(text: string): LiveStream[];
  /** Every request that arrived between `sinceMs` and `untilMs` (epoch ms), any route, in order. */
  requests(sinceMs: number, untilMs: number): TrafficEntry[];
  /** The faults the endpoint applied to this message's requests (finished and in flight), in words. */
  faults(text: string, sinceMs: number): string[];
}

export function endpointOracle(endpoint: Endpoint): ReplyOracle {
  return {
    exchanges(text, sinceMs) {
      const wanted = squash(text);
      const since = endpoint.traffic.filter((e) => e.n !== null && e.lastUser !== null && Date.parse(e.time) >= sinceMs).sort((a, b) => a.seq - b.seq);
      const exact = since.filter((e) => squash(e.lastUser ?? '') === wanted);
      // wg may merge a failed turn's message into the next one: then the message is inside the last user text.
      return exact.length > 0 ? exact : since.filter((e) => squash(e.lastUser ?? '').includes(wanted));
    },
    requests(sinceMs, untilMs) {
      return endpoint.traffic.filter((e) => {
        const at = Date.parse(e.time);
        return at >= sinceMs && at <= untilMs;
      });
    },
    streaming(text) {
      const wanted = squash(text);
      return endpoint.streaming().find((e) => squash(e.lastUser).includes(wanted));
    },
    busy(text) {
      const wanted = squash(text);
      return endpoint.streaming().filter((e) => !squash(e.lastUser).includes(wanted));
    },
    faults(text, sinceMs) {
      const done = this.exchanges(text, sinceMs).flatMap((e) => (e.fault ? [e.fault] : []));
      const live = this.streaming(text)?.fault;
      return live ? [...done, live] : done;
    },
    async settle(timeoutMs) {
      if (endpoint.inFlight === 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        // An exchange leaves the in-flight count before its entry is logged (src/endpoint/server.ts).
        const sub = endpoint.onExchange(() => {
          if (endpoint.inFlight === 0) done();
        });
        function done() {
          clearTimeout(timer);
          sub.dispose();
          resolve();
        }
      });
    },
  };
}
