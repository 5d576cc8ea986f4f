// A port of the part of crossterm's Unix input parser that reads keys (crossterm-rs/crossterm
// src/event/sys/unix/parse.rs at cdc30a9c: parse_event, parse_csi, parse_csi_modifier_key_code,
// parse_csi_special_key_code, parse_csi_u_encoded_key_code, parse_modifiers, char_code_to_event), so
// the specs read the encoder's bytes back the way wg's TUI does. Raw mode (as wg runs), no more
// input after the bytes (a lone ESC is Esc). Returns the key as wg's trace writes it, or what else the
// bytes are (`cursor-position`, `incomplete`, `error`). Function-key codepoints of the kitty protocol
// (57358…) are not ported: the encoder never sends them.

export type Parsed = { code: string; modifiers: string } | { other: 'cursor-position' | 'incomplete' | 'error' };

const ORDER = ['Shift', 'Ctrl', 'Alt', 'Super', 'Hyper', 'Meta'];
const key = (code: string, mods: Iterable<string> = []): Parsed => {
  const set = new Set(mods);
  return { code, modifiers: ORDER.filter((m) => set.has(m)).join('+') };
};

// parse_modifiers: mask - 1, bits Shift 1, Alt 2, Ctrl 4, Super 8, Hyper 16, Meta 32.
function parseModifiers(mask: number): string[] {
  const m = Math.max(0, mask - 1);
  return (
    [
      [1, 'Shift'],
      [2, 'Alt'],
      [4, 'Ctrl'],
      [8, 'Super'],
      [16, 'Hyper'],
      [32, 'Meta'],
    ] as const
  )
    .filter(([bit]) => m & bit)
    .map(([, name]) => name);
}

// char_code_to_event: Shift where the character is uppercase.
const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();
const charKey = (c: string): Parsed => key(c, isUpper(c) ? ['Shift'] : []);

// modifier_and_kind_parsed: the field after the first `;`, `mask[:kind]`.
function modifierField(fields: string[]): number | undefined {
  const f = fields[1];
  if (f === undefined) return undefined;
  const mask = Number(f.split(':')[0]);
  return Number.isInteger(mask) && f.split(':')[0] !== '' ? mask : undefined;
}

function parseCsi(b: string): Parsed {
  if (b.length === 2) return { other: 'incomplete' };
  const c = b[2] as string;
  const simple: Record<string, string> = { D: 'Left', C: 'Right', A: 'Up', B: 'Down', H: 'Home', F: 'End', P: 'F1', Q: 'F2', S: 'F4' };
  if (b.length === 3 && simple[c]) return key(simple[c]);
  if (b.length === 3 && c === 'Z') return key('BackTab', ['Shift']);
  if (c === ';') return modifierKeyCode(b);
  if (/[0-9]/.test(c)) {
    if (b.length === 3) return { other: 'incomplete' };
    const last = b.charCodeAt(b.length - 1);
    if (last < 64 || last > 126) return { other: 'incomplete' };
    const fin = b[b.length - 1];
    if (fin === '~') return specialKeyCode(b);
    if (fin === 'u') return csiU(b);
    if (fin === 'R') return { other: 'cursor-position' };
    if (fin === 'M') return { other: 'error' };
    return modifierKeyCode(b);
  }
  return { other: 'error' };
}

// parse_csi_modifier_key_code: `CSI 1 ; mask X` (or the digit before X), X in A B C D F H P Q R S.
function modifierKeyCode(b: string): Parsed {
  const fields = b.slice(2, -1).split(';');
  const mask = modifierField(fields) ?? (b.length > 3 ? Number(b[b.length - 2]) : 1);
  const codes: Record<string, string> = { A: 'Up', B: 'Down', C: 'Right', D: 'Left', F: 'End', H: 'Home', P: 'F1', Q: 'F2', R: 'F3', S: 'F4' };
  const code = codes[b[b.length - 1] as string];
  return code && !Number.isNaN(mask) ? key(code, parseModifiers(mask)) : { other: 'error' };
}

// parse_csi_special_key_code: `CSI n [; mask] ~`.
function specialKeyCode(b: string): Parsed {
  const fields = b.slice(2, -1).split(';');
  const n = Number(fields[0]);
  const mods = parseModifiers(modifierField(fields) ?? 1);
  const named: Record<number, string> = { 1: 'Home', 7: 'Home', 2: 'Insert', 3: 'Delete', 4: 'End', 8: 'End', 5: 'PageUp', 6: 'PageDown' };
  if (named[n]) return key(named[n], mods);
  const f =
    n >= 11 && n <= 15 ? n - 10 : n >= 17 && n <= 21 ? n - 11 : n >= 23 && n <= 26 ? n - 12 : n >= 28 && n <= 29 ? n - 15 : n >= 31 && n <= 34 ? n - 17 : 0;
  return f ? key(`F${f}`, mods) : { other: 'error' };
}

// parse_csi_u_encoded_key_code: `CSI cp[:alt] [; mask[:kind]] u`.
function csiU(b: string): Parsed {
  const fields = b.slice(2, -1).split(';');
  const [cpText, alternate] = (fields[0] as string).split(':');
  const cp = Number(cpText);
  if (!Number.isInteger(cp)) return { other: 'error' };
  const mods = new Set(parseModifiers(modifierField(fields) ?? 1));
  const c = String.fromCodePoint(cp);
  let code = { '\x1b': 'Esc', '\r': 'Enter', '\x7f': 'Backspace' }[c] ?? (c === '\t' ? (mods.has('Shift') ? 'BackTab' : 'Tab') : c);
  if (mods.has('Shift') && alternate) {
    code = String.fromCodePoint(Number(alternate));
    mods.delete('Shift');
  }
  return key(code, mods);
}

/** What crossterm reads from `b` (one whole event's bytes). */
export function crosstermParse(b: string): Parsed {
  if (!b) return { other: 'incomplete' };
  const c0 = b.charCodeAt(0);
  if (b[0] === '\x1b') {
    if (b.length === 1) return key('Esc');
    if (b[1] === 'O') {
      if (b.length === 2) return { other: 'incomplete' };
      const ss3: Record<string, string> = { D: 'Left', C: 'Right', A: 'Up', B: 'Down', H: 'Home', F: 'End', P: 'F1', Q: 'F2', R: 'F3', S: 'F4' };
      return ss3[b[2] as string] && b.length === 3 ? key(ss3[b[2] as string] as string) : { other: 'error' };
    }
    if (b[1] === '[') return parseCsi(b);
    if (b[1] === '\x1b') return b.length === 2 ? key('Esc') : { other: 'error' };
    // Any other byte after ESC: parsed alone, ALT added.
    const rest = crosstermParse(b.slice(1));
    return 'code' in rest ? key(rest.code, [...rest.modifiers.split('+').filter(Boolean), 'Alt']) : rest;
  }
  if (b.length === 1) {
    if (b === '\r') return key('Enter');
    if (b === '\t') return key('Tab');
    if (b === '\x7f') return key('Backspace');
    if (c0 >= 0x01 && c0 <= 0x1a) return key(String.fromCharCode(c0 - 1 + 0x61), ['Ctrl']);
    if (c0 >= 0x1c && c0 <= 0x1f) return key(String.fromCharCode(c0 - 0x1c + 0x34), ['Ctrl']);
    if (c0 === 0) return key(' ', ['Ctrl']);
  }
  // parse_utf8_char: one whole character.
  return [...b].length === 1 ? charKey(b) : { other: 'error' };
}
