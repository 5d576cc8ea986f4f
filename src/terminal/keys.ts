// Key names → bytes, one table instead of one method per key.
import { OptionError } from '../errors.js';

/** Terminal modes that change what a key sends. */
export interface KeyModes {
  /** DECCKM: arrows and Home/End send SS3 (ESC O x) instead of CSI (ESC [ x). */
  applicationCursorKeys: boolean;
}

type KeyBytes = string | ((m: KeyModes) => string);
const cursor =
  (final: string): KeyBytes =>
  (m) =>
    m.applicationCursorKeys ? `\x1bO${final}` : `\x1b[${final}`;

const TABLE: Record<string, KeyBytes> = {
  enter: '\r',
  return: '\r',
  escape: '\x1b',
  esc: '\x1b',
  tab: '\t',
  backtab: '\x1b[Z',
  'shift+tab': '\x1b[Z',
  backspace: '\x7f',
  space: ' ',
  up: cursor('A'),
  down: cursor('B'),
  right: cursor('C'),
  left: cursor('D'),
  home: cursor('H'),
  end: cursor('F'),
  pageup: '\x1b[5~',
  pagedown: '\x1b[6~',
  insert: '\x1b[2~',
  delete: '\x1b[3~',
  f1: '\x1bOP',
  f2: '\x1bOQ',
  f3: '\x1bOR',
  f4: '\x1bOS',
  f5: '\x1b[15~',
  f6: '\x1b[17~',
  f7: '\x1b[18~',
  f8: '\x1b[19~',
  f9: '\x1b[20~',
  f10: '\x1b[21~',
  f11: '\x1b[23~',
  f12: '\x1b[24~',
};
for (const dir of ['up', 'down', 'left', 'right']) TABLE[`arrow${dir}`] = TABLE[dir]!;

/** Every name `press` accepts besides Ctrl+x / Alt+x and single characters. */
export const KEY_NAMES: readonly string[] = Object.keys(TABLE);

/** Ctrl+letter and the punctuation that has a C0 code. */
function ctrl(key: string): string | undefined {
  if (/^[a-z]$/i.test(key)) return String.fromCharCode(key.toLowerCase().charCodeAt(0) & 0x1f);
  const special: Record<string, string> = { '@': '\0', space: '\0', '[': '\x1b', '\\': '\x1c', ']': '\x1d', '^': '\x1e', _: '\x1f', '?': '\x7f' };
  return special[key.toLowerCase()];
}

// xterm's parameter for a modifier set: 1 + Shift(1) + Alt(2) + Ctrl(4).
const MODIFIER_BITS: Record<string, number> = { shift: 1, alt: 2, meta: 2, ctrl: 4, control: 4 };
// Keys whose modified form is `CSI 1;m X` (cursor keys, Home, End) or `CSI n;m ~`.
const CSI_FINAL: Record<string, string> = { up: 'A', down: 'B', right: 'C', left: 'D', home: 'H', end: 'F' };
const CSI_TILDE: Record<string, number> = { insert: 2, delete: 3, pageup: 5, pagedown: 6 };

// A cursor or editing key with modifiers ("Alt+Up", "Ctrl+Shift+Left"), as xterm sends it. Not
// ESC + the plain key: crossterm reads `ESC ESC [ A` as Esc followed by `[A`, not Alt+Up.
function modifiedKey(lower: string): string | undefined {
  const parts = lower.split('+');
  const key = (parts.pop() ?? '').replace(/^arrow/, '');
  if (parts.length === 0 || !parts.every((p) => p in MODIFIER_BITS)) return undefined;
  const param = 1 + parts.reduce((bits, p) => bits | (MODIFIER_BITS[p] ?? 0), 0);
  if (key in CSI_FINAL) return `\x1b[1;${param}${CSI_FINAL[key]}`;
  if (key in CSI_TILDE) return `\x1b[${CSI_TILDE[key]};${param}~`;
  return undefined;
}

/**
 * Bytes for a key name such as "Enter", "Up", "Alt+Up", "F5", "Ctrl+c", "Alt+x", "Alt+Enter" or a single
 * character. Names are case-insensitive. Unknown names throw OptionError listing the valid ones.
 */
export function keyBytes(name: string, modes: KeyModes): string {
  const lower = name.toLowerCase();
  const direct = TABLE[lower];
  if (direct !== undefined) return typeof direct === 'string' ? direct : direct(modes);
  const modified = modifiedKey(lower);
  if (modified !== undefined) return modified;
  const mod = /^(ctrl|control|alt|meta)\+(.+)$/i.exec(name);
  if (mod) {
    const [, m, rest] = mod as unknown as [string, string, string];
    if (/^(ctrl|control)$/i.test(m)) {
      const c = ctrl(rest);
      if (c !== undefined) return c;
    } else {
      return `\x1b${keyBytes(rest, modes)}`;
    }
  }
  if ([...name].length === 1) return name;
  throw new OptionError(`press(): unknown key ${JSON.stringify(name)}; use one of ${KEY_NAMES.join(', ')}, Ctrl+<letter>, Alt+<key> or one character`);
}

/** Wraps text in bracketed-paste markers when the program asked for them (mode 2004). */
export function pasteBytes(text: string, bracketed: boolean): string {
  // A paste must not be able to end the bracket early.
  return bracketed ? `\x1b[200~${text.replaceAll('\x1b[201~', '')}\x1b[201~` : text;
}
