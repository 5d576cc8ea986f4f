import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TrafficEntry } from '../../src/endpoint/index.js';
import type { MessageResult } from '../../src/report/model.js';
import { explainFailure, notSentCause } from '../../src/smoke/cause.js';
import { notableLines } from '../../src/wg/log-window.js';

// One case per rule of the cause: what the run recorded in the message's window decides the side
// (app, provider, harness), and `unknown` lists what was seen when nothing decides it. The same
// rules run on the fixture chat in fault-matrix.spec.ts and on real wg (README).

const message = (over: Partial<MessageResult>): MessageResult => ({
  scenario: 'nex-local',
  index: 1,
  total: 5,
  text: 'hi',
  verdict: 'no-reply',
  passed: false,
  signal: 'screen: no reply within 30s (still busy)',
  retries: [],
  settledMs: 30_000,
  ...over,
});

const request = (over: Partial<TrafficEntry>): TrafficEntry => ({
  time: '2026-12-02T01:00:00.000Z',
  seq: 1,
  n: 1,
  method: 'POST',
  path: '/v1/chat/completions',
  model: 'qwen3-coder',
  status: 200,
  ttfbMs: 5,
  durationMs: 10,
  stream: true,
  request: {},
  headers: {},
  lastUser: 'hi',
  reply: 'Hello! 👋 How can I help you today? I can read code and explain it.',
  complete: true,
  fault: null,
  error: null,
  aborted: false,
  lenientApplied: false,
  mode: 'local',
  ...over,
});

describe('the cause of a failed message', () => {
  it('no cause for a pass', () => {
    expect(explainFailure({ message: message({ verdict: 'replied', passed: true }), requests: [], logLines: [] })).toBeUndefined();
  });

  it("app: wg's requests all refused, the model's provider prefix named", () => {
    const requests = [1, 2, 3].map((seq) =>
      request({ seq, status: 400, model: 'local:qwen3-coder', reply: null, complete: false, error: 'LoRA adapter requested' }),
    );
    const cause = explainFailure({ message: message({ verdict: 'pane-died' }), requests, logLines: [] });
    expect(cause).toMatchObject({
      kind: 'app',
      text: '3 requests, all refused: 3× 400 POST /v1/chat/completions — model `local:qwen3-coder`: the provider prefix was sent to the server',
    });
  });

  it('app: requests arrived, none carrying the message (only the model list)', () => {
    const cause = explainFailure({
      message: message({}),
      requests: [request({ n: null, method: 'GET', path: '/v1/models', lastUser: null, reply: null })],
      logLines: [],
    });
    expect(cause?.kind).toBe('app');
    expect(cause?.text).toMatch(/^1 request arrived, none carrying this message \(1× 200 GET \/v1\/models/);
  });

  it("app: the whole reply was sent and is nowhere on the screen; the daemon log's error is seen", () => {
    const cause = explainFailure({
      message: message({}),
      requests: [request({})],
      logLines: ['2026-12-02T01:00:01Z [ERROR] chat handler exited exit status: 1'],
      screen: 'tester: hi\n',
    });
    expect(cause).toMatchObject({
      kind: 'app',
      text: expect.stringMatching(/^the endpoint sent the whole reply \(\d+ chars, stream complete\); wg did not show it/),
    });
    expect(cause?.seen).toContain('daemon log: 2026-12-02T01:00:01Z [ERROR] chat handler exited exit status: 1');
  });

  it('app: an error on screen although the endpoint answered 200 with the whole reply', () => {
    const cause = explainFailure({ message: message({ verdict: 'error-shown', detail: 'Error: failed to parse' }), requests: [request({})], logLines: [] });
    expect(cause?.kind).toBe('app');
    expect(cause?.text).toMatch(/^wg showed an error although the endpoint answered 200/);
  });

  it("harness: the reply's last words are on the screen, yet the judge read no reply", () => {
    const reply = request({}).reply as string;
    const cause = explainFailure({ message: message({}), requests: [request({})], logLines: [], screen: `… ${reply.slice(-60)}\n> ` });
    expect(cause?.kind).toBe('harness');
  });

  it('provider: the endpoint answered 503 (no fault planted)', () => {
    const cause = explainFailure({
      message: message({ verdict: 'error-shown' }),
      requests: [request({ status: 503, reply: null, complete: false })],
      logLines: [],
    });
    expect(cause).toMatchObject({ kind: 'provider', text: 'the endpoint answered 1× 503 POST /v1/chat/completions' });
  });

  it('provider: the stream ended early', () => {
    const cause = explainFailure({
      message: message({ verdict: 'reply-cut' }),
      requests: [request({ complete: false, error: 'error event after 3 chunks' })],
      logLines: [],
    });
    expect(cause).toMatchObject({ kind: 'provider', text: "the endpoint's stream ended early: error event after 3 chunks" });
  });

  it('provider: a live endpoint (requests unseen) that wg says answered 503', () => {
    const cause = explainFailure({ message: message({ verdict: 'error-shown', detail: 'API error 503: overloaded' }), logLines: [] });
    expect(cause?.kind).toBe('provider');
    expect(cause?.seen[0]).toMatch(/not the harness's/);
  });

  it('unknown: a live endpoint and a 400, which could be either side; what was seen is listed', () => {
    const cause = explainFailure({ message: message({ verdict: 'error-shown', detail: 'API error 400: bad request' }), logLines: [] });
    expect(cause).toMatchObject({ kind: 'unknown', text: 'the evidence does not decide (error-shown, status 400 named)' });
    expect(cause?.seen.some((s) => s.startsWith('screen: '))).toBe(true);
  });

  it('provider: a reply still streaming at the budget, with its pace; never "no request reached the endpoint"', () => {
    const streaming = { lastUser: 'hi', sent: 2519, elapsedMs: 20_000, firstByteMs: 1_000 };
    const cause = explainFailure({
      message: message({ verdict: 'stalled', signal: 'endpoint: still streaming the reply at the budget (2519 chars within 20s)' }),
      requests: [],
      streaming,
      logLines: [],
    });
    expect(cause).toMatchObject({
      kind: 'provider',
      text: expect.stringMatching(/^the endpoint was still streaming this reply at the budget \(2519 chars in 20\.0s, first byte after 1\.0s, 133 chars\/s\)/),
    });
    expect(cause?.seen).toContain('endpoint: this reply still in flight (2519 chars in 20.0s, first byte after 1.0s, 133 chars/s)');
  });

  it("provider: no first byte at the budget (a long prefill), with the prompt's size the server reported earlier", () => {
    const earlier = request({
      lastUser: 'before',
      relay: { chunks: 3, maxGapMs: 1, medianGapMs: 1, requestChars: 16_000, reasoningChars: 0, promptTokens: 3916, prefillMs: 55_000 },
    });
    const cause = explainFailure({
      message: message({ verdict: 'stalled' }),
      requests: [earlier],
      streaming: { lastUser: 'hi', sent: 0, elapsedMs: 120_000, requestChars: 35_278 },
      logLines: [],
    });
    expect(cause).toMatchObject({
      kind: 'provider',
      text: expect.stringMatching(
        /^no first byte after 120\.0s: the server had not begun its answer \(wg's request: 35,278 chars\); an earlier request's prompt: 3,916 tokens, prefill 55\.0s; /,
      ),
    });
  });

  it('provider: a message queued behind a reply the server was still streaming', () => {
    const cause = explainFailure({
      message: message({ index: 2, text: 'what can you help me with?', verdict: 'no-reply' }),
      requests: [],
      busy: [{ lastUser: 'hi', sent: 9000, elapsedMs: 150_000, firstByteMs: 55_000 }],
      logLines: [],
    });
    expect(cause).toMatchObject({
      kind: 'provider',
      text: expect.stringMatching(/^queued: wg was still busy with the reply to "hi", still in flight at the server \(9000 chars in 150\.0s/),
    });
  });

  it('a message queued behind one the server keeps refusing: the refusals are the cause, not a slow stream', () => {
    const error = '400 from the server: request (3918 tokens) exceeds the available context size (2048 tokens), try increasing it';
    const retries = [1, 2, 3].map((seq) => request({ seq, lastUser: 'hi', status: 400, reply: null, complete: false, error, mode: 'record' }));
    const cause = explainFailure({
      message: message({ index: 2, text: 'what can you help me with?', verdict: 'no-reply' }),
      requests: retries,
      busy: [{ lastUser: 'hi', sent: 0, elapsedMs: 3 }],
      logLines: [],
    });
    expect(cause).toMatchObject({
      kind: 'provider',
      text: expect.stringMatching(
        /^queued: wg was still retrying "hi": 400 from the server: request \(3918 tokens\) exceeds .*\(3× 400 POST \/v1\/chat\/completions\)$/,
      ),
    });
  });

  it("a stream cut mid-answer, then wg's retries refused: both, in order", () => {
    const cut = request({ seq: 1, complete: false, reply: 'Once upon', error: "the server's connection died mid-answer (ECONNRESET)", mode: 'record' });
    const refused = [2, 3].map((seq) =>
      request({
        seq,
        status: 502,
        reply: null,
        complete: false,
        error: 'the server at http://127.0.0.1:8090 could not be reached: ECONNREFUSED',
        mode: 'record',
      }),
    );
    const cause = explainFailure({ message: message({ verdict: 'pane-died' }), requests: [cut, ...refused], logLines: [] });
    expect(cause?.kind).toBe('provider');
    expect(cause?.text).toBe(
      "the endpoint's stream ended early: the server's connection died mid-answer (ECONNRESET); then 2× 502 POST /v1/chat/completions: the server at http://127.0.0.1:8090 could not be reached: ECONNREFUSED",
    );
  });

  it("provider: the server's context is smaller than wg's prompt, in the server's words", () => {
    const error = '400 from the server: request (8211 tokens) exceeds the available context size (8192 tokens), try increasing it';
    const cause = explainFailure({
      message: message({ verdict: 'error-shown', detail: 'API error 400' }),
      requests: [request({ status: 400, reply: null, complete: false, error, mode: 'record' })],
      logLines: [],
    });
    expect(cause).toMatchObject({
      kind: 'provider',
      text: expect.stringMatching(
        /^400 from the server: request \(8211 tokens\) exceeds the available context size \(8192 tokens\).*: the server's context is smaller than wg's prompt/,
      ),
    });
  });

  it("provider: a 5xx quotes the server's body", () => {
    const cause = explainFailure({
      message: message({ verdict: 'error-shown', detail: 'API error 503' }),
      requests: [request({ status: 503, reply: null, complete: false, error: '503 from the server: Loading model', mode: 'record' })],
      logLines: [],
    });
    expect(cause).toMatchObject({
      kind: 'provider',
      text: expect.stringMatching(/^the endpoint answered 1× 503 POST \/v1\/chat\/completions: 503 from the server: Loading model$/),
    });
  });

  it('app: the same message asked and answered whole twice — wg sent it twice, whatever the screen shows', () => {
    const reply = request({}).reply as string;
    const requests = [request({ seq: 1 }), request({ seq: 2, time: '2026-12-02T01:00:01.500Z' })];
    const cause = explainFailure({
      message: message({ verdict: 'reply-garbled', signal: 'the screen shows 40% of the 67 chars the endpoint streamed' }),
      requests,
      logLines: [],
      screen: `> hi\n${reply}\n> `,
    });
    expect(cause).toMatchObject({
      kind: 'app',
      text: expect.stringMatching(/^wg sent this message 2 times: 2 requests carried it and each was answered whole \(at \+0\.0s, \+1\.5s\)/),
    });
  });

  it('a retry after a failed answer, or a tool step of one turn, is not a second send', () => {
    const retried = explainFailure({
      message: message({ verdict: 'reply-garbled' }),
      requests: [request({ seq: 1, status: 0, complete: false, reply: 'Hel', error: 'dropped' }), request({ seq: 2 })],
      logLines: [],
    });
    expect(retried?.text).not.toMatch(/sent this message/);
    const tool = explainFailure({
      message: message({ verdict: 'reply-garbled' }),
      requests: [
        request({
          seq: 1,
          mode: 'record',
          relay: { chunks: 3, maxGapMs: 1, medianGapMs: 1, requestChars: 900, reasoningChars: 0, finishReason: 'tool_calls' },
        }),
        request({ seq: 2 }),
      ],
      logLines: [],
    });
    expect(tool?.text).not.toMatch(/sent this message/);
  });

  it("app: the chat shows an earlier message's reply for this one, named by its number", () => {
    const earlier = 'I can help with code: reading it, explaining what a function does, writing tests, and fixing bugs you describe.';
    const own = 'Why did the developer go broke? Because he used up all his cache.';
    const cause = explainFailure({
      message: message({ index: 4, text: 'tell me a short joke', verdict: 'reply-garbled' }),
      requests: [request({ lastUser: 'tell me a short joke', reply: own })],
      logLines: [],
      shown: earlier,
      earlier: [
        { index: 1, text: 'hi', reply: 'Hello! How can I help?' },
        { index: 2, text: 'what can you help me with?', reply: earlier },
      ],
    });
    expect(cause).toMatchObject({
      kind: 'app',
      text: expect.stringMatching(
        /^the chat shows the reply to message 2 \("what can you help me with\?", 100% of what it shows\) for this one: wg showed an earlier message's reply/,
      ),
    });
  });

  it("app: the screen shows an earlier message's reply and no request carried this one", () => {
    const cause = explainFailure({
      message: message({
        index: 5,
        text: 'thanks, bye',
        verdict: 'reply-garbled',
        signal: 'endpoint: no request carried this message, yet the screen shows a reply',
      }),
      requests: [],
      logLines: [],
      shown: 'Your first message in this conversation was: "hi". You have sent 11 messages so far.',
      earlier: [
        { index: 4, text: 'what was my first message?', reply: 'Your first message in this conversation was: "hi". You have sent 11 messages so far.' },
      ],
    });
    expect(cause).toMatchObject({ kind: 'app', text: expect.stringMatching(/^the chat shows the reply to message 4 .* and no request carried this message$/) });
  });

  it("harness only where wg's transcript agrees: a reply on screen that the transcript lacks is not the judge's fault", () => {
    const reply = request({}).reply as string;
    const cause = explainFailure({
      message: message({ transcript: { status: 'missing', detail: 'no assistant entry after "hi"' } }),
      requests: [request({})],
      logLines: [],
      screen: `… ${reply.slice(-60)}\n> `,
    });
    expect(cause?.kind).toBe('app');
  });

  it('app: a chat wg launched that never took input, with its last words', () => {
    const cause = explainFailure({
      message: message({
        verdict: 'chat-stuck',
        signal: "phase: chat boot — wg launched the Pi chat; not ready after 90s (waiting for Pi's editor and footer in the chat pane)",
        detail: 'Chat: .chat-1 / Booting pi... (this can take a few seconds)',
      }),
      logLines: [],
    });
    expect(cause).toMatchObject({
      kind: 'app',
      text: "wg launched the Pi chat; not ready after 90s (waiting for Pi's editor and footer in the chat pane): wg's chat never took input; its last words: Chat: .chat-1 / Booting pi... (this can take a few seconds)",
    });
  });

  it('a message never typed shares the cause of the one the chat died at', () => {
    const dead = message({ verdict: 'pane-died', cause: { kind: 'app', text: 'wg tui panicked', seen: [] } });
    expect(notSentCause(dead)).toMatchObject({ kind: 'app', text: 'not typed: the chat died at message 1/5 (pane-died) — wg tui panicked' });
  });
});

describe('a chat that lost its session lock to another wg handler', () => {
  // wg's own words, as graphwork/workgraph 5422563c wrote them on 2026-12-03 (the daemon's handler
  // that lost the lock to the TUI's pane, from its daemon.log, colour codes taken off): the loser
  // of wg's two handlers for one chat says this and exits. The screen is the real one of 3b885405
  // after its nex pane died (snapshots/real-wg/workgraph-3b885405/nex-local/msg-1-after.txt).
  const LOST_LOCK =
    '[wg nex] session coordinator-0 is already owned by another handler: session lock held by live handler pid=8374 kind=interactive-nex started=2026-12-03T19:04:12.319183831+00:00';
  const screen = readFileSync(fileURLToPath(new URL('../../snapshots/real-wg/workgraph-3b885405/nex-local/msg-1-after.txt', import.meta.url)), 'utf8');
  const died = (detail: string) =>
    message({ verdict: 'pane-died', signal: 'screen: chat pane gone ("Coordinator agent not active.") after painting an error', detail, settledMs: 1_300 });

  it('app: the pane died with those words, whatever the endpoint saw', () => {
    for (const requests of [[], [request({})]]) {
      const cause = explainFailure({ message: died(LOST_LOCK), requests, logLines: [], screen });
      expect(cause).toMatchObject({ kind: 'app' });
      expect(cause?.text).toMatch(
        /^another wg handler holds this chat's session lock \(the chat's last words: \[wg nex\] session coordinator-0 is already owned/,
      );
      expect(cause?.text).toMatch(/wg started two handlers for one chat/);
    }
    expect(explainFailure({ message: died('Error: session lock busy'), requests: [], logLines: [], screen })?.text).toMatch(/session lock/);
  });

  it('any other last words keep their own cause', () => {
    const cause = explainFailure({ message: died('Error: API request failed: API error 400'), requests: [], logLines: [], screen });
    expect(cause?.text).not.toMatch(/session lock/);
  });
});

describe("wg's daemon log in a message's window", () => {
  const log = [
    '2026-12-02T01:00:00.000Z [INFO] Daemon starting',
    '2026-12-02T01:00:05.000Z [ERROR] Coordinator-0: nex subprocess exited exit status: 1 — will restart',
    '  Caused by: API error 400',
    '2026-12-02T01:00:06.000Z [INFO] spawning',
    '2026-12-02T01:00:20.000Z [WARN] too late for the window',
  ].join('\n');

  it('keeps the notable lines of the window and their continuation lines, nothing else', () => {
    const since = Date.parse('2026-12-02T01:00:01Z');
    const until = Date.parse('2026-12-02T01:00:10Z');
    expect(notableLines(log, since, until)).toEqual([
      '2026-12-02T01:00:05.000Z [ERROR] Coordinator-0: nex subprocess exited exit status: 1 — will restart',
      'Caused by: API error 400',
    ]);
  });
});
