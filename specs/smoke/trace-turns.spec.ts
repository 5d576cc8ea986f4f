import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pasteTextsFor, splitPasteFile, traceTurns } from '../../src/smoke/trace-turns.js';
import { parseTrace, toChatInput, TraceError, type TraceEntry, type TraceState } from '../../src/wg/trace.js';

// The messages a replayed trace sends: each Enter into a chat's input with the text typed since the
// chat's last Enter.

const pane: TraceState = { focused_panel: 'right_panel', right_panel_tab: 'chat', input_mode: 'Normal', chat_input_route: 'embedded_vendor_pty' };
const launcher: TraceState = { focused_panel: 'graph', right_panel_tab: 'chat', input_mode: 'Launcher', chat_input_route: null };
const key = (code: string, state: TraceState, modifiers = ''): TraceEntry => ({ t: 0, event: { type: 'Key', code, modifiers }, state });
const fixtureTrace = (name: string) => parseTrace(readFileSync(new URL(`../fixtures/wg-traces/${name}`, import.meta.url), 'utf8'));
/** The smoke's five messages (the by-hand session typed the same). */
const FIVE = ['hi', 'what can you help me with?', 'tell me a short joke', 'what was my first message?', 'thanks, bye'];
const typed = (text: string, state: TraceState): TraceEntry[] => [...text].map((c) => key(c, state));

describe('toChatInput', () => {
  it('July on: the route or the composer mode says so; a launcher or Normal mode without a route does not', () => {
    expect(toChatInput(pane)).toBe(true);
    expect(toChatInput({ input_mode: 'ChatInput', chat_input_route: 'native_composer' })).toBe(true);
    expect(toChatInput(launcher)).toBe(false);
    expect(toChatInput({ focused_panel: 'right_panel', right_panel_tab: 'chat', input_mode: 'Normal', chat_input_route: null })).toBe(false);
  });

  it('before July (no input mode): the chat panel focused on the Chat tab, not while searching', () => {
    expect(toChatInput({ focused_panel: 'right_panel', right_panel_tab: 'chat' })).toBe(true);
    expect(toChatInput({ focused_panel: 'right_panel', right_panel_tab: 'chat', search_active: true })).toBe(false);
    expect(toChatInput({ focused_panel: 'graph', right_panel_tab: 'chat' })).toBe(false);
  });
});

describe('traceTurns', () => {
  it("the launcher's Enter is a key; each Enter into the chat with text typed is a message, Backspace applied", () => {
    const entries = [
      key('n', { ...launcher, input_mode: 'Normal' }),
      key('Enter', launcher),
      ...typed('hj', pane),
      key('Backspace', pane),
      ...typed('i', pane),
      key('Enter', pane),
      ...typed('bye', pane),
      key('Enter', pane),
    ];
    expect(traceTurns(entries)).toEqual([
      { enterAt: 6, text: 'hi' },
      { enterAt: 10, text: 'bye' },
    ]);
  });

  it('an Enter with nothing typed (one that opens the composer) is not a message; Ctrl+U clears the line', () => {
    const entries = [key('Enter', pane), ...typed('oops', pane), key('u', pane, 'Ctrl'), ...typed('ok', pane), key('Enter', pane)];
    expect(traceTurns(entries)).toEqual([{ enterAt: 8, text: 'ok' }]);
  });

  it('keys typed elsewhere (a search, a form) are not part of the message; a paste into the chat is, as placeholders by default', () => {
    const search: TraceState = { ...pane, chat_input_route: null, input_mode: 'Search' };
    const entries: TraceEntry[] = [...typed('abc', search), { t: 0, event: { type: 'Paste', len: 3 }, state: pane }, key('Enter', pane)];
    expect(traceTurns(entries)).toEqual([{ enterAt: 4, text: 'xxx' }]);
    const own = pasteTextsFor(entries, ['héé'.slice(0, 2)]);
    expect(traceTurns(entries, own)).toEqual([{ enterAt: 4, text: 'hé' }]);
  });

  it("a trace recorded by hand under tmux on wg 2b52e303: `n` and the launcher's Enter are keys, the five messages typed into Pi are messages", () => {
    const trace = fixtureTrace('wg-2b52e303-by-hand.jsonl');
    expect(trace.slice(0, 2).map((e) => [e.event.type === 'Key' && e.event.code, e.state.input_mode])).toEqual([
      ['n', 'Normal'],
      ['Enter', 'Launcher'],
    ]);
    expect(traceTurns(trace).map((t) => t.text)).toEqual(FIVE);
  });

  it("the harness's own trace kept on wg b66be5d3 gives back the five messages it typed", () => {
    const trace = fixtureTrace('wg-b66be5d3.jsonl');
    expect(traceTurns(trace).map((t) => t.text)).toEqual(FIVE);
  });
});

describe('--paste-text', () => {
  const pastes: TraceEntry[] = [
    { t: 0, event: { type: 'Paste', len: 5 }, state: pane },
    { t: 1, event: { type: 'Paste', len: 4 }, state: pane },
  ];

  it('texts separated by lines of ---, each checked against its paste (UTF-8 bytes, as wg records)', () => {
    const texts = splitPasteFile('hello\n---\nnaïve\n');
    expect(texts).toEqual(['hello', 'naïve']);
    expect(() => pasteTextsFor(pastes, texts)).toThrow(new TraceError('paste 2 is 4 bytes in the trace and 6 in the paste file'));
    expect(pasteTextsFor(pastes, ['hello', 'abcd'])(1, 4)).toBe('abcd');
  });

  it('a file with another number of texts than the trace has pastes is refused', () => {
    expect(() => pasteTextsFor(pastes, ['hello'])).toThrow(/the trace has 2 pastes and the paste file 1 text$/);
  });
});
