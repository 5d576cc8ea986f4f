import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeRunOptions } from '../../src/smoke/options.js';
import { bytesFor } from '../../src/smoke/trace-replay.js';
import { encodeKey, encodeMouse, isPrintableKey, MODIFIERS, parseTrace, stateDifferences, TraceError } from '../../src/wg/trace.js';
import { crosstermParse } from './crossterm-parse.js';

// wg's trace and the bytes each recorded key is typed as. Every encoding is read back with a port of
// crossterm's parser (crossterm-parse.ts, rules cited there) and must give the recorded code and
// modifiers; the expected bytes are spelled out for the keys a person presses.

const roundTrip = (code: string, modifiers: string) => {
  const encoded = encodeKey(code, modifiers);
  return { ...crosstermParse(encoded.bytes), inexact: encoded.inexact };
};

// Every subset of wg's modifiers, written as wg writes them (its order, `+`).
const allModifierSets: string[] = Array.from({ length: 1 << MODIFIERS.length }, (_, mask) => MODIFIERS.filter((_m, i) => mask & (1 << i)).join('+'));

describe('encodeKey: the bytes a terminal sends', () => {
  it.each([
    ['Enter', '', '\r'],
    ['Tab', '', '\t'],
    ['BackTab', 'Shift', '\x1b[Z'],
    ['Backspace', '', '\x7f'],
    ['Esc', '', '\x1b'],
    ['Up', '', '\x1b[A'],
    ['Down', '', '\x1b[B'],
    ['Right', '', '\x1b[C'],
    ['Left', '', '\x1b[D'],
    ['Home', '', '\x1b[H'],
    ['End', '', '\x1b[F'],
    ['PageUp', '', '\x1b[5~'],
    ['PageDown', '', '\x1b[6~'],
    ['Delete', '', '\x1b[3~'],
    ['Insert', '', '\x1b[2~'],
    ['F1', '', '\x1bOP'],
    ['F4', '', '\x1bOS'],
    ['F5', '', '\x1b[15~'],
    ['F12', '', '\x1b[24~'],
    ['Up', 'Ctrl', '\x1b[1;5A'],
    ['Up', 'Alt', '\x1b[1;3A'],
    ['Left', 'Shift+Ctrl', '\x1b[1;6D'],
    ['Delete', 'Ctrl', '\x1b[3;5~'],
    ['F3', 'Ctrl', '\x1b[13;5~'],
    ['a', '', 'a'],
    ['A', 'Shift', 'A'],
    [' ', '', ' '],
    ['é', '', 'é'],
    ['a', 'Ctrl', '\x01'],
    ['t', 'Ctrl', '\x14'],
    ['o', 'Ctrl', '\x0f'],
    ['z', 'Ctrl', '\x1a'],
    [' ', 'Ctrl', '\0'],
    ['x', 'Alt', '\x1bx'],
    ['X', 'Shift+Alt', '\x1bX'],
    ['a', 'Ctrl+Alt', '\x1b\x01'],
    ['Enter', 'Alt', '\x1b\r'],
    ['Enter', 'Shift', '\x1b[13;2u'],
    ['Enter', 'Ctrl', '\x1b[13;5u'],
    ['i', 'Ctrl', '\x1b[105;5u'],
    ['m', 'Ctrl', '\x1b[109;5u'],
    ['O', 'Shift+Alt', '\x1b[79;4u'],
    ['[', 'Alt', '\x1b[91;3u'],
    ['Esc', 'Alt', '\x1b[27;3u'],
  ])('%j %j → %j', (code, modifiers, bytes) => {
    expect(encodeKey(code, modifiers)).toEqual({ bytes });
    expect(crosstermParse(bytes)).toEqual({ code, modifiers });
  });

  it('named keys with every set of modifiers read back as recorded', () => {
    const named = ['Enter', 'Esc', 'Backspace', 'Up', 'Down', 'Left', 'Right', 'Home', 'End', 'PageUp', 'PageDown', 'Delete', 'Insert'];
    const fkeys = Array.from({ length: 12 }, (_, i) => `F${i + 1}`);
    let checked = 0;
    for (const code of [...named, ...fkeys])
      for (const modifiers of allModifierSets) {
        expect([code, modifiers, roundTrip(code, modifiers)]).toEqual([code, modifiers, { code, modifiers, inexact: undefined }]);
        checked++;
      }
    expect(checked).toBe(25 * 64);
  });

  it('every printable ASCII character, and a few others, with every set of modifiers read back as recorded', () => {
    const chars = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)), 'é', 'É', 'ß', '€', '中', '😀'];
    for (const code of chars)
      for (const modifiers of allModifierSets)
        expect([code, modifiers, roundTrip(code, modifiers)]).toEqual([code, modifiers, { code, modifiers, inexact: undefined }]);
  });

  it('Tab and BackTab: exact wherever crossterm can give the key, said where it cannot', () => {
    for (const modifiers of allModifierSets) {
      const tab = roundTrip('Tab', modifiers);
      if (modifiers.includes('Shift')) expect(tab.inexact).toMatch(/Shift\+Tab as BackTab/);
      else expect(tab).toEqual({ code: 'Tab', modifiers, inexact: undefined });
      const back = roundTrip('BackTab', modifiers);
      if (modifiers.includes('Shift')) expect(back).toEqual({ code: 'BackTab', modifiers, inexact: undefined });
      else expect(back).toMatchObject({ code: 'BackTab', modifiers: 'Shift', inexact: expect.stringMatching(/with Shift/) as unknown });
    }
  });

  it('sends no byte sequence crossterm would take for something else (F3 with modifiers is not `CSI 1;m R`, a cursor report)', () => {
    expect(crosstermParse('\x1b[1;5R')).toEqual({ other: 'cursor-position' });
    expect(encodeKey('F3', 'Ctrl').bytes).not.toMatch(/R$/);
  });

  it('refuses what no terminal sends and names it', () => {
    expect(() => encodeKey('CapsLock', '')).toThrow(TraceError);
    expect(() => encodeKey('a', 'Fn')).toThrow(/unknown modifier "Fn"/);
  });
});

describe('parseTrace', () => {
  it('reads a trace the harness kept on workgraph 5422563c and one on wg 2b52e303 (input_mode, chat_input_route)', () => {
    const april = parseTrace(readFileSync(new URL('../fixtures/wg-traces/workgraph-5422563c.jsonl', import.meta.url), 'utf8'));
    expect(april.map((e) => e.event)).toEqual([
      { type: 'Key', code: 'h', modifiers: '' },
      { type: 'Key', code: 'i', modifiers: '' },
      { type: 'Key', code: 'Enter', modifiers: '' },
    ]);
    expect(april[0]?.state).toMatchObject({ focused_panel: 'right_panel', right_panel_tab: 'chat' });
    expect(april[0]?.state.input_mode).toBeUndefined();
    const today = parseTrace(readFileSync(new URL('../fixtures/wg-traces/wg-2b52e303.jsonl', import.meta.url), 'utf8'));
    expect(today[0]?.state).toMatchObject({ input_mode: 'Launcher', chat_input_route: null });
    expect(today[1]?.state).toMatchObject({ input_mode: 'Normal', chat_input_route: 'embedded_vendor_pty' });
    expect(today[1]?.t).toBeGreaterThan(12);
  });

  it('reads every event type wg writes', () => {
    const text = [
      { t: 0.1, event: { type: 'Mouse', kind: 'Down(Left)', row: 3, col: 7 }, state: {} },
      { t: 0.2, event: { type: 'Paste', len: 12 }, state: {} },
      { t: 0.3, event: { type: 'Resize', width: 120, height: 40 }, state: {} },
      { t: 0.4, event: { type: 'FocusGained' }, state: {} },
      { t: 0.5, event: { type: 'FocusLost' }, state: {} },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n');
    expect(parseTrace(`${text}\n\n`).map((e) => e.event.type)).toEqual(['Mouse', 'Paste', 'Resize', 'FocusGained', 'FocusLost']);
  });

  it("names the line that is not wg's format", () => {
    expect(() => parseTrace('{"t":1,"event":{"type":"Key","code":"a","modifiers":""},"state":{}}\nnope')).toThrow(/line 2: not JSON/);
    expect(() => parseTrace('{"t":1,"event":{"type":"Paste"},"state":{}}')).toThrow(/line 1: Paste without a number `len`/);
    expect(() => parseTrace('{"event":{"type":"FocusLost"}}')).toThrow(/line 1: no time/);
    expect(() => parseTrace('{"t":1,"event":{"type":"Wheel"}}')).toThrow(/unknown event type "Wheel"/);
  });

  it('tells text keys from commands', () => {
    expect(isPrintableKey({ type: 'Key', code: 'a', modifiers: '' })).toBe(true);
    expect(isPrintableKey({ type: 'Key', code: 'A', modifiers: 'Shift' })).toBe(true);
    expect(isPrintableKey({ type: 'Key', code: 'a', modifiers: 'Ctrl' })).toBe(false);
    expect(isPrintableKey({ type: 'Key', code: 'Enter', modifiers: '' })).toBe(false);
    expect(isPrintableKey({ type: 'Paste', len: 3 })).toBe(false);
  });
});

describe('replaying other events', () => {
  it('mouse events as SGR reports, 1-based', () => {
    expect(encodeMouse('Down(Left)', 3, 7).bytes).toBe('\x1b[<0;8;4M');
    expect(encodeMouse('Up(Left)', 3, 7).bytes).toBe('\x1b[<0;8;4m');
    expect(encodeMouse('Drag(Right)', 0, 0).bytes).toBe('\x1b[<34;1;1M');
    expect(encodeMouse('ScrollDown', 10, 20).bytes).toBe('\x1b[<65;21;11M');
    expect(() => encodeMouse('Down(Back)', 0, 0)).toThrow(/no terminal encoding for the mouse event/);
  });

  it('a paste as a bracketed paste of its length, focus as CSI I/O, a resize as the pty size', () => {
    expect(bytesFor({ type: 'Paste', len: 5 })).toBe('\x1b[200~xxxxx\x1b[201~');
    expect(bytesFor({ type: 'FocusGained' })).toBe('\x1b[I');
    expect(bytesFor({ type: 'FocusLost' })).toBe('\x1b[O');
    expect(bytesFor({ type: 'Resize', width: 100, height: 30 })).toEqual({ resize: { cols: 100, rows: 30 } });
    expect(bytesFor({ type: 'Key', code: 'Up', modifiers: 'Ctrl' })).toBe('\x1b[1;5A');
  });

  it('compares only the state fields both traces have', () => {
    expect(stateDifferences({ input_mode: 'Launcher', focused_panel: 'graph' }, { input_mode: 'Normal', focused_panel: 'graph' })).toEqual([
      { field: 'input_mode', recorded: 'Launcher', live: 'Normal' },
    ]);
    expect(stateDifferences({ input_mode: 'Launcher', focused_panel: 'graph' }, { focused_panel: 'graph' })).toEqual([]);
    expect(stateDifferences({ selected_task: '.chat-0' }, { selected_task: '.chat-1' })).toEqual([]);
  });
});

describe('run --from-trace options', () => {
  it('takes recorded or fast, stop or continue, and names a wrong value', () => {
    const base = normalizeRunOptions({}, {});
    expect([base.tracePace, base.onDivergence, base.fromTrace]).toEqual(['recorded', 'stop', undefined]);
    expect(normalizeRunOptions({ 'from-trace': 't.jsonl', 'trace-pace': 'fast', 'on-divergence': 'continue' }, {})).toMatchObject({
      fromTrace: 't.jsonl',
      tracePace: 'fast',
      onDivergence: 'continue',
    });
    expect(() => normalizeRunOptions({ 'trace-pace': 'slow' }, {})).toThrow('--trace-pace takes recorded or fast, got "slow"');
    expect(() => normalizeRunOptions({ 'on-divergence': 'pause' }, {})).toThrow('--on-divergence takes stop or continue, got "pause"');
  });
});
