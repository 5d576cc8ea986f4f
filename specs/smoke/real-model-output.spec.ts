import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startEndpoint, type Endpoint, type FaultRule } from '../../src/endpoint/index.js';
import { builtinCorpus } from '../../src/endpoint/corpus.js';
import type { Pace } from '../../src/endpoint/pace.js';
import type { TranscriptCheck } from '../../src/report/model.js';
import { endpointOracle } from '../../src/smoke/reply-oracle.js';
import { runTurn as judgeTurn } from '../../src/smoke/turn.js';
import { agreeing } from './invariant.js';
import { TerminalSession } from '../../src/terminal/index.js';
import { detectComposer } from '../../src/wg/surfaces/composer.js';
import { detectNexPane, readNexTurn } from '../../src/wg/surfaces/nex-pane.js';
import { detectNexTmux, readNexTmuxTurn } from '../../src/wg/surfaces/nex-tmux.js';
import { composerHistory } from '../../src/wg/surfaces/composer-history.js';
import type { TurnContext } from '../../src/wg/surfaces/observation.js';
import { detectPiTmux, piChatFailure, piReady, readPiTurn } from '../../src/wg/surfaces/pi.js';

// Every case's cause must agree with its own signal (src/smoke/cause-invariant.ts).
const runTurn = async (...args: Parameters<typeof judgeTurn>) => agreeing(await judgeTurn(...args));

// The turn judge on replies like a real model's: the fixture chat (drawing wg's nex pane, Pi pane
// or the first composer chat, wrapping at the pane's width, scrolling) streams each reply from the
// real embedded endpoint with the built-in corpus, so the endpoint is the oracle exactly as in the
// smoke. The nex and Pi panes keep a history file (what wg's pty dump and tmux's scrollback hold);
// the composer keeps none, and the driver's own reader scrolls it back with Alt+Up.

const FIXTURE = fileURLToPath(new URL('../fixtures/fake-chat-tui.mjs', import.meta.url));
// `nex-tmux`: the same REPL drawn by the nex fixture, read by the nex-in-tmux detector (May–July).
type Style = 'nex' | 'nex-tmux' | 'pi' | 'composer';
const FIXTURE_STYLE: Record<Style, string> = { nex: 'nex', 'nex-tmux': 'nex', pi: 'pi', composer: 'composer' };
const READY: Record<Style, (lines: readonly string[], text: string) => boolean> = {
  nex: (_, text) => text.includes('> █'),
  'nex-tmux': (_, text) => text.includes('> █'),
  pi: (lines) => piReady(lines),
  composer: (_, text) => text.includes('Chat with Coordinator'),
};
const DETECTOR = { nex: detectNexPane, 'nex-tmux': detectNexTmux, pi: detectPiTmux, composer: detectComposer } as const;
const HISTORY_READER = { nex: readNexTurn, 'nex-tmux': readNexTmuxTurn, pi: readPiTurn } as const;
/** How each chat shows the message it was sent. */
const ECHO: Record<Style, (text: string) => string> = {
  nex: (t) => `> ${t}`,
  'nex-tmux': (t) => `> ${t}`,
  pi: (t) => ` ${t}`,
  composer: (t) => `tester: ${t}`,
};
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  // Last made, first undone: the fixture (which writes its history file) goes before its folder.
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Chat {
  session: TerminalSession;
  historyFile: string;
  endpoint?: Endpoint;
}

async function chat(
  style: Style,
  opts: { modes?: string; faults?: FaultRule[]; replies?: 'echo' | 'corpus'; flags?: string[]; rows?: number; pace?: Pace } = {},
): Promise<Chat> {
  const endpoint =
    opts.replies === undefined && !opts.faults
      ? undefined
      : await startEndpoint({ replies: opts.replies ?? 'corpus', faults: opts.faults, chunkDelayMs: 1, pace: opts.pace });
  if (endpoint) cleanups.push(() => endpoint.close());
  const historyDir = mkdtempSync(join(tmpdir(), 'wg-e2e-history-'));
  cleanups.push(async () => rmSync(historyDir, { recursive: true, force: true }));
  const historyFile = join(historyDir, 'pane.txt');
  const args = [
    FIXTURE,
    '--style',
    FIXTURE_STYLE[style],
    '--modes',
    opts.modes ?? 'reply',
    '--history',
    historyFile,
    ...(endpoint ? ['--endpoint', endpoint.baseUrl] : []),
    ...(opts.flags ?? []),
  ];
  const session = await TerminalSession.spawn({ file: process.execPath, args, cols: 120, rows: opts.rows ?? 30 });
  cleanups.push(async () => void (await session.dispose({ killLeaked: true })));
  if (!opts.flags?.includes('--unavailable')) await session.waitFor((s) => READY[style](s.lines, s.text), { timeoutMs: 10_000 });
  return { session, historyFile, endpoint };
}

async function send(
  c: Chat,
  style: Style,
  text: string,
  index = 1,
  extra: { transcript?: (turn: TurnContext) => Promise<TranscriptCheck>; history?: boolean; budgetMs?: number } = {},
) {
  return runTurn({
    session: c.session,
    detector: DETECTOR[style],
    scenario: 'fixture',
    turn: { text, index },
    total: 5,
    budgetMs: extra.budgetMs ?? 15_000,
    typeDelayMs: 0,
    writeScreen: async () => undefined,
    oracle: c.endpoint ? endpointOracle(c.endpoint) : undefined,
    readTranscript: extra.transcript,
    history:
      extra.history === false
        ? undefined
        : style === 'composer'
          ? composerHistory(c.session)
          : { read: async () => readFileSync(c.historyFile, 'utf8').split('\n'), detector: HISTORY_READER[style] },
  });
}

const corpusReply = (text: string) => builtinCorpus().replyFor([{ role: 'user', content: text }]);

describe.each(['nex', 'nex-tmux', 'pi', 'composer'] as const)('the judge on model-like replies, %s chat', (style) => {
  it('follows a reply several times taller than the pane through the chat history, and sees all of it', async () => {
    const c = await chat(style, { replies: 'corpus' });
    const text = 'what can you help me with?';
    const result = await send(c, style, text);
    expect(result.verdict).toBe('replied');
    expect(result.reply).toMatchObject({ complete: true, seen: 1, source: 'history', requests: 1 });
    expect(result.reply?.chars).toBe(corpusReply(text).length);
    // The echo really is off screen, and the reply's own panic and error words did not count.
    expect(c.session.screen().text).not.toContain(ECHO[style](text));
    for (const words of ['panicked at', 'API error 503', 'Error: connection refused', 'failed']) expect(corpusReply(text)).toContain(words);
    // The next turn after a tall one is judged as usual.
    const next = await send(c, style, 'tell me a short joke', 2);
    expect(next).toMatchObject({ verdict: 'replied', reply: { seen: 1 } });
  });

  it('without a history to read, a tall reply is not passed on the screen alone', async () => {
    const c = await chat(style, { replies: 'corpus' });
    const result = await send(c, style, 'what can you help me with?', 1, { history: false, budgetMs: 3000 });
    expect(result.verdict).not.toBe('replied');
  });

  it('judges a reply that quotes errors as the reply it is', async () => {
    const c = await chat(style, { replies: 'corpus' });
    const result = await send(c, style, 'what does API error 503 mean?');
    expect(corpusReply('what does API error 503 mean?')).toMatch(/^Error: lines like/m);
    expect(result).toMatchObject({ verdict: 'replied', reply: { seen: 1 } });
  });

  it('with a live endpoint, uses the transcript to tell the reply quoting an error from an error', async () => {
    const c = await chat(style, { modes: 'words' });
    const words = (turn: TurnContext): TranscriptCheck => {
      const lines = readFileSync(c.historyFile, 'utf8')
        .split('\n')
        .map((l) => l.trim().replace(/^↯ /, ''));
      const from = lines.findIndex((l) => l.startsWith('Reply 1 to:'));
      return { status: 'ok', detail: 'reply', assistantText: lines.slice(from, from + 4).join('\n'), file: `transcript of ${turn.text}` };
    };
    const result = await send(c, style, 'what does API error 503 mean?', 1, { transcript: async (turn) => words(turn) });
    expect(result.verdict).toBe('replied');
    // (The composer draws errors as `⚠ ERROR:` and `! ` lines, so its screen alone was enough.)
    if (style !== 'composer') expect(result.signal).toContain("part of the reply in wg's transcript");
  });

  it('matches a message wider than the pane, wrapped over rows', async () => {
    const c = await chat(style, { replies: 'echo' });
    const text = `please look at this long message ${'that goes on and on '.repeat(6)}until it is much wider than the chat pane`;
    expect(text.length).toBeGreaterThan(140);
    const result = await send(c, style, text);
    expect(result).toMatchObject({ verdict: 'replied', reply: { seen: 1, complete: true } });
  });

  it('pastes a multi-line message and the endpoint gets all of it', async () => {
    const c = await chat(style, { replies: 'echo' });
    const result = await send(c, style, 'first line of the paste\nsecond line\nthird line');
    expect(result.verdict).toBe('replied');
    expect(c.endpoint?.traffic.at(-1)?.lastUser).toBe('first line of the paste\nsecond line\nthird line');
  });

  it('takes CJK and emoji in messages and replies', async () => {
    const c = await chat(style, { replies: 'corpus' });
    const result = await send(c, style, 'これは何ですか？ 🤔');
    expect(result).toMatchObject({ verdict: 'replied', reply: { seen: 1 } });
    expect(result.detail).toContain('中文说明');
  });

  it('fails a reply the server cut with an error event: error-shown when the chat paints it', async () => {
    const c = await chat(style, { faults: [{ fault: 'stream-error', afterChunks: 2 }] });
    const result = await send(c, style, 'hi');
    expect(result.verdict).toBe('error-shown');
    expect(result.reply?.complete).toBe(false);
  });

  it('never passes a cut reply that the chat shows as finished: reply-cut', async () => {
    for (const fault of [
      { fault: 'stream-error', afterChunks: 3 },
      { fault: 'drop', afterChunks: 3 },
    ] as FaultRule[]) {
      const c = await chat(style, { faults: [fault], flags: ['--ignore-stream-errors'] });
      const result = await send(c, style, 'what can you help me with?');
      expect(result.verdict, fault.fault).toBe('reply-cut');
      expect(result.signal).toMatch(/endpoint: the reply was cut/);
    }
  });

  it('catches a reply the chat garbled: reply-garbled with the fraction seen', async () => {
    const c = await chat(style, { modes: 'garble', replies: 'corpus' });
    const result = await send(c, style, 'tell me a short joke');
    expect(result.verdict).toBe('reply-garbled');
    expect(result.reply?.seen).toBeLessThan(1);
    expect(result.signal).toMatch(/the screen shows \d+% of the \d+ chars the endpoint streamed/);
  });

  it('calls a reply still streaming at the budget stalled, with how much the endpoint had sent', async () => {
    const c = await chat(style, { replies: 'corpus', pace: { ttftMs: 0, tokensPerSec: 40, chunking: 'token' } });
    const result = await send(c, style, 'what can you help me with?', 1, { budgetMs: 1500 });
    expect(result.verdict, JSON.stringify({ ...result, detail: result.detail?.slice(0, 200) })).toBe('stalled');
    expect(result.signal).toMatch(/endpoint: still streaming the reply at the budget \(\d+ of \d+ chars sent/);
  });

  it('passes a long reply the fault made (20 KB) when all of it shows', async () => {
    const c = await chat(style, { faults: [{ fault: 'long', chars: 20_000 }] });
    const result = await send(c, style, 'hi');
    expect(result, JSON.stringify({ ...result, detail: result.detail?.slice(0, 300) })).toMatchObject({
      verdict: 'replied',
      reply: { seen: 1, chars: 20_000 },
    });
  });
});

describe('wg chat failures drawn as the chat opens or between messages', () => {
  it("reads wg's own words off a Chat unavailable panel", async () => {
    const c = await chat('pi', { flags: ['--unavailable'] });
    const words = await c.session.waitFor((s) => piChatFailure(s.lines), { timeoutMs: 10_000 });
    expect(words).toContain('Chat unavailable: Pi (.chat-0)');
    expect(words).toContain('refused Pi chat start: authoritative task .chat-0 no longer exists');
  });

  it("calls Pi's death panel between messages pane-died", async () => {
    const c = await chat('pi', { modes: 'reply,die' });
    const first = await send(c, 'pi', 'hi', 1);
    expect(first.verdict, JSON.stringify(first)).toBe('replied');
    const died = await send(c, 'pi', 'again', 2);
    expect(died.verdict, JSON.stringify(died)).toBe('pane-died');
  });
});

// 0c3a7f76's queueing REPL: the prompt is back before the request leaves, the reply is printed
// once its stream ended. The turn passes, and its time is the stream's, not the early prompt's.
describe('a reply printed after the prompt came back', () => {
  it('is replied (a reply taller than the pane: read from the history), settled no earlier than the endpoint finished sending it', async () => {
    const c = await chat('nex', { modes: 'queue', replies: 'corpus', pace: { ttftMs: 200, tokensPerSec: 400, chunking: 'token' } });
    const result = await send(c, 'nex', 'what can you help me with?');
    expect(result.verdict, JSON.stringify(result)).toBe('replied');
    const streamed = c.endpoint?.traffic.find((e) => e.lastUser === 'what can you help me with?');
    expect(streamed?.complete).toBe(true);
    // The stream took its TTFT and more; the prompt came back within tens of ms of Enter.
    expect(result.settledMs).toBeGreaterThanOrEqual(streamed?.durationMs ?? Infinity);
  });
});
