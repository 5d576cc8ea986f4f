import { describe, expect, it } from 'vitest';
import { keyBytes, pasteBytes } from '../../src/terminal/index.js';
import { fixture, T } from './helpers.js';

const normal = { applicationCursorKeys: false };
const app = { applicationCursorKeys: true };

describe('key table', () => {
  it.each([
    ['Enter', '\r'],
    ['Esc', '\x1b'],
    ['Escape', '\x1b'],
    ['Tab', '\t'],
    ['BackTab', '\x1b[Z'],
    ['Backspace', '\x7f'],
    ['Up', '\x1b[A'],
    ['ArrowDown', '\x1b[B'],
    ['Right', '\x1b[C'],
    ['Left', '\x1b[D'],
    ['Home', '\x1b[H'],
    ['End', '\x1b[F'],
    ['PageUp', '\x1b[5~'],
    ['PageDown', '\x1b[6~'],
    ['Insert', '\x1b[2~'],
    ['Delete', '\x1b[3~'],
    ['F1', '\x1bOP'],
    ['F4', '\x1bOS'],
    ['F5', '\x1b[15~'],
    ['F12', '\x1b[24~'],
    ['Ctrl+c', '\x03'],
    ['ctrl+A', '\x01'],
    ['Ctrl+[', '\x1b'],
    ['Alt+x', '\x1bx'],
    ['Alt+Enter', '\x1b\r'],
    ['Alt+Up', '\x1b[1;3A'],
    ['Ctrl+Shift+Left', '\x1b[1;6D'],
    ['Shift+PageUp', '\x1b[5;2~'],
    ['x', 'x'],
    ['é', 'é'],
  ])('%s', (name, bytes) => {
    expect(keyBytes(name, normal)).toBe(bytes);
  });

  it('sends SS3 arrows in application cursor keys mode', () => {
    expect(keyBytes('Up', app)).toBe('\x1bOA');
    expect(keyBytes('Home', app)).toBe('\x1bOH');
    expect(keyBytes('PageUp', app)).toBe('\x1b[5~');
  });

  it('rejects unknown keys with the list of valid ones', () => {
    expect(() => keyBytes('Hyper+q', normal)).toThrow(/unknown key "Hyper\+q"; use one of enter/);
  });

  it('brackets a paste and strips an embedded end marker', () => {
    expect(pasteBytes('a\x1b[201~b', true)).toBe('\x1b[200~ab\x1b[201~');
    expect(pasteBytes('ab', false)).toBe('ab');
  });
});

describe('keys against a real program', () => {
  it('respects DECCKM when the program turned it on', async () => {
    const s = await fixture('tui.mjs');
    await s.waitForText('READY', { timeoutMs: T });
    await s.press('Up');
    await s.waitForText('KEYS 1b 4f 41', { timeoutMs: T });
  });

  it('sends CSI arrows when DECCKM is off', async () => {
    const s = await fixture('tui.mjs', ['--no-deckcm']);
    await s.waitForText('READY', { timeoutMs: T });
    await s.press('Up');
    await s.waitForText('KEYS 1b 5b 41', { timeoutMs: T });
  });

  it('pastes bracketed when mode 2004 is on, plain otherwise', async () => {
    const on = await fixture('tui.mjs');
    await on.waitForText('READY', { timeoutMs: T });
    await on.paste('hello world');
    await on.waitForText('PASTE [hello world]', { timeoutMs: T });
    const off = await fixture('tui.mjs', ['--no-paste']);
    await off.waitForText('READY', { timeoutMs: T });
    await off.paste('hi');
    await off.waitForText('KEYS 68 69', { timeoutMs: T });
  });

  it('records input in the asciicast as "i" events', async () => {
    const s = await fixture('tui.mjs');
    await s.waitForText('READY', { timeoutMs: T });
    await s.type('ab', { delayMs: 5 });
    await s.waitForText('KEYS 62', { timeoutMs: T });
    const events = s.cast
      .toString()
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l) as [number, string, string]);
    expect(events.filter((e) => e[1] === 'i').map((e) => e[2])).toEqual(['a', 'b']);
  });
});
