// wg's own input trace (`wg tui --trace FILE`, src/tui/viz_viewer/trace.rs in wg): one JSON line per
// event the TUI read, `{"t": seconds, "event": {"type": …}, "state": {…}}`, and the bytes a terminal
// sends for each recorded key, such that crossterm (the parser wg reads its terminal with,
// crossterm-rs/crossterm src/event/sys/unix/parse.rs) decodes them back to the same key. Pure.

/** Modifier names in the order wg's `format_modifiers` writes them, joined by `+`. */
export const MODIFIERS = ['Shift', 'Ctrl', 'Alt', 'Super', 'Hyper', 'Meta'] as const;
export type Modifier = (typeof MODIFIERS)[number];

export type TraceEvent =
  | { type: 'Key'; code: string; modifiers: string }
  | { type: 'Mouse'; kind: string; row: number; col: number }
  | { type: 'Paste'; len: number }
  | { type: 'Resize'; width: number; height: number }
  | { type: 'FocusGained' }
  | { type: 'FocusLost' };

/** The TUI's state as the event found it; `input_mode` and `chat_input_route` from July 2026 on. */
export interface TraceState {
  focused_panel?: string;
  right_panel_tab?: string | null;
  selected_task?: string | null;
  right_panel_visible?: boolean;
  search_active?: boolean;
  show_help?: boolean;
  input_mode?: string;
  chat_input_route?: string | null;
  [other: string]: unknown;
}

export interface TraceEntry {
  /** Seconds since the trace started. */
  t: number;
  event: TraceEvent;
  state: TraceState;
}

export class TraceError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseEvent(raw: unknown, where: string): TraceEvent {
  if (!isObject(raw) || typeof raw.type !== 'string') throw new TraceError(`${where}: no event type`);
  const num = (k: string) => {
    if (typeof raw[k] !== 'number') throw new TraceError(`${where}: ${raw.type as string} without a number \`${k}\``);
    return raw[k];
  };
  switch (raw.type) {
    case 'Key':
      if (typeof raw.code !== 'string' || typeof raw.modifiers !== 'string') throw new TraceError(`${where}: Key without code and modifiers`);
      return { type: 'Key', code: raw.code, modifiers: raw.modifiers };
    case 'Mouse':
      if (typeof raw.kind !== 'string') throw new TraceError(`${where}: Mouse without kind`);
      return { type: 'Mouse', kind: raw.kind, row: num('row'), col: num('col') };
    case 'Paste':
      return { type: 'Paste', len: num('len') };
    case 'Resize':
      return { type: 'Resize', width: num('width'), height: num('height') };
    case 'FocusGained':
    case 'FocusLost':
      return { type: raw.type };
    default:
      throw new TraceError(`${where}: unknown event type ${JSON.stringify(raw.type)}`);
  }
}

/** Parses a trace's JSONL; a line that is not wg's format is an error naming the line. Blank lines are skipped. */
export function parseTrace(text: string): TraceEntry[] {
  const entries: TraceEntry[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    const where = `line ${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new TraceError(`${where}: not JSON`);
    }
    if (!isObject(raw) || typeof raw.t !== 'number') throw new TraceError(`${where}: no time \`t\``);
    entries.push({ t: raw.t, event: parseEvent(raw.event, where), state: isObject(raw.state) ? raw.state : {} });
  }
  return entries;
}

/** One entry as wg writes it (a line without its newline). */
export const formatTraceEntry = (e: TraceEntry): string => JSON.stringify({ t: e.t, event: e.event, state: e.state });

/** The modifier names of a recorded key (`Shift+Ctrl` → ['Shift', 'Ctrl']); an unknown name is an error. */
export function parseModifiers(text: string): Set<Modifier> {
  const out = new Set<Modifier>();
  for (const part of text ? text.split('+') : []) {
    if (!(MODIFIERS as readonly string[]).includes(part)) throw new TraceError(`unknown modifier ${JSON.stringify(part)}`);
    out.add(part as Modifier);
  }
  return out;
}

// xterm's modifier parameter, as crossterm's parse_modifiers reads it: 1 + (Shift 1 | Alt 2 | Ctrl 4 |
// Super 8 | Hyper 16 | Meta 32).
function modifierParam(mods: Set<Modifier>): number {
  const bits: Record<Modifier, number> = { Shift: 1, Alt: 2, Ctrl: 4, Super: 8, Hyper: 16, Meta: 32 };
  return 1 + [...mods].reduce((sum, m) => sum + bits[m], 0);
}

const ESC = '\x1b';
const CSI = '\x1b[';

// Keys crossterm reads from `CSI <letter>` (parse_csi: A B C D H F) and, with modifiers, from
// `CSI 1 ; <mod> <letter>` (parse_csi_modifier_key_code).
const CSI_LETTER: Record<string, string> = { Up: 'A', Down: 'B', Right: 'C', Left: 'D', Home: 'H', End: 'F' };
// Keys crossterm reads from `CSI <n> ~` and `CSI <n> ; <mod> ~` (parse_csi_special_key_code:
// 2 Insert, 3 Delete, 5 PageUp, 6 PageDown, 11–15 F1–F5, 17–21 F6–F10, 23–24 F11–F12).
const CSI_TILDE: Record<string, number> = {
  Insert: 2,
  Delete: 3,
  PageUp: 5,
  PageDown: 6,
  F1: 11,
  F2: 12,
  F3: 13,
  F4: 14,
  F5: 15,
  F6: 17,
  F7: 18,
  F8: 19,
  F9: 20,
  F10: 21,
  F11: 23,
  F12: 24,
};
// F1–F4 without modifiers as xterm sends them: SS3 P–S (parse_event's `ESC O` branch).
const SS3_F: Record<string, string> = { F1: 'P', F2: 'Q', F3: 'R', F4: 'S' };
// Codepoints crossterm's parse_csi_u_encoded_key_code maps to these keys ('\x1B' Esc, '\r' Enter,
// '\t' Tab, '\x7F' Backspace).
const CSI_U_NAMED: Record<string, number> = { Esc: 27, Enter: 13, Tab: 9, Backspace: 127 };

export interface EncodedKey {
  /** What a terminal sends for the key. */
  bytes: string;
  /** Where crossterm would not read the same key back (a key no terminal encoding gives), why. */
  inexact?: string;
}

// `CSI codepoint ; mod u`: the fixterms/kitty form, which crossterm parses whatever the terminal's mode
// (parse_csi: a numbered sequence ending in `u` → parse_csi_u_encoded_key_code); the codepoint is kept
// as the key's character, the modifiers as given (no alternate key: Shift is not folded into it).
const csiU = (codepoint: number, mods: Set<Modifier>): string => (mods.size ? `${CSI}${codepoint};${modifierParam(mods)}u` : `${CSI}${codepoint}u`);

const without = (mods: Set<Modifier>, drop: Modifier): Set<Modifier> => new Set([...mods].filter((m) => m !== drop));

function encodeChar(c: string, mods: Set<Modifier>): EncodedKey {
  const cp = c.codePointAt(0) as number;
  const upper = c !== c.toLowerCase() && c === c.toUpperCase();
  const only = (...allowed: Modifier[]) => [...mods].every((m) => allowed.includes(m));
  // Plain: the character's UTF-8. parse_event → parse_utf8_char → char_code_to_event, which adds Shift
  // exactly when the character is uppercase, so `A`+Shift and `a` are sent as is.
  if (mods.size === (upper ? 1 : 0) && only('Shift') && cp >= 0x20 && cp !== 0x7f) return { bytes: c };
  // Alt+key: ESC then the key (parse_event: a byte after ESC other than `O`, `[` or ESC is parsed
  // alone and gets ALT). Alt+O and Alt+[ would start SS3/CSI, Alt+ESC would read as Esc: CSI u.
  if (mods.has('Alt') && !['O', '[', ESC].includes(c)) {
    const rest = encodeChar(c, without(mods, 'Alt'));
    if (!rest.inexact && !rest.bytes.startsWith(ESC)) return { bytes: ESC + rest.bytes };
  }
  if (mods.has('Ctrl') && only('Ctrl')) {
    // Ctrl+letter: 0x01–0x1A (parse_event: `c @ 0x01..=0x1A` → Char(c - 1 + 'a') CONTROL), except
    // Ctrl+I = Tab (0x09) and Ctrl+M = Enter (0x0D), matched before that arm; Ctrl+J (0x0A) is only
    // Enter outside raw mode, and wg runs raw.
    if (/^[a-z]$/.test(c) && c !== 'i' && c !== 'm') return { bytes: String.fromCharCode(cp - 0x60) };
    // Ctrl+4..7: 0x1C–0x1F (`c @ 0x1C..=0x1F` → Char(c - 0x1C + '4')); Ctrl+Space: NUL (`b'\0'`).
    if (/^[4-7]$/.test(c)) return { bytes: String.fromCharCode(cp - 0x34 + 0x1c) };
    if (c === ' ') return { bytes: '\0' };
  }
  // Anything else (Ctrl+I, Ctrl+Shift+a, Super+x, `a`+Shift, `A` without Shift, …): CSI u, read back
  // with exactly these modifiers.
  return { bytes: csiU(cp, mods) };
}

/** The bytes a terminal sends for a recorded key, read back by crossterm as the same code and modifiers. */
export function encodeKey(code: string, modifiers: string): EncodedKey {
  const mods = parseModifiers(modifiers);
  if ([...code].length === 1) return encodeChar(code, mods);
  const param = modifierParam(mods);
  const letter = CSI_LETTER[code];
  if (letter) return { bytes: mods.size ? `${CSI}1;${param}${letter}` : `${CSI}${letter}` };
  // F1–F4 with modifiers take the `~` form: `CSI 1 ; m R` (F3) ends in R, which parse_csi reads as a
  // cursor position report.
  if (SS3_F[code] && !mods.size) return { bytes: `${ESC}O${SS3_F[code]}` };
  const tilde = CSI_TILDE[code];
  if (tilde !== undefined) return { bytes: mods.size ? `${CSI}${tilde};${param}~` : `${CSI}${tilde}~` };
  if (code === 'BackTab') {
    // `CSI Z` → BackTab with SHIFT (parse_csi); with more modifiers, CSI u of Tab, which
    // parse_csi_u_encoded_key_code turns into BackTab when Shift is among them.
    if (mods.size === 1 && mods.has('Shift')) return { bytes: `${CSI}Z` };
    if (mods.has('Shift')) return { bytes: csiU(9, mods) };
    return { bytes: `${CSI}Z`, inexact: 'crossterm reads every BackTab with Shift; sent as Shift+BackTab' };
  }
  const named = CSI_U_NAMED[code];
  if (named !== undefined) {
    if (code === 'Tab' && mods.has('Shift')) return { bytes: csiU(9, mods), inexact: 'crossterm reads Shift+Tab as BackTab' };
    if (!mods.size) return { bytes: String.fromCharCode(named) };
    // Alt+Enter/Tab/Backspace: ESC then the byte (parse_event's Alt rule); Alt+Esc would be ESC ESC = Esc.
    if (mods.size === 1 && mods.has('Alt') && code !== 'Esc') return { bytes: ESC + String.fromCharCode(named) };
    return { bytes: csiU(named, mods) };
  }
  throw new TraceError(`no terminal encoding for the key ${JSON.stringify(code)}${modifiers ? ` with ${modifiers}` : ''}`);
}

/** A key wg's TUI reads as text: one character with no modifier but Shift. */
export function isPrintableKey(event: TraceEvent): boolean {
  if (event.type !== 'Key' || [...event.code].length !== 1) return false;
  const cp = event.code.codePointAt(0) as number;
  return cp >= 0x20 && cp !== 0x7f && [...parseModifiers(event.modifiers)].every((m) => m === 'Shift');
}

// Where a printable key went, from the state the trace recorded with it (wg's InputMode, written with
// `{:?}`, and the route trace.rs derives from it since July 2026).
const TEXT_ROUTES = new Set(['native_composer', 'startup_buffer', 'embedded_vendor_pty']);
const TEXT_MODES = new Set(['ChatInput', 'MessageInput', 'Search', 'ChatSearch', 'TaskForm', 'ConfigEdit', 'SettingsEdit', 'Launcher']);
const NAVIGATION_MODES = new Set(['Normal', 'CoordinatorPicker', 'TaskPicker', 'ChatManager', 'Layout']);
const modeName = (mode: string) => /^[A-Za-z]+/.exec(mode)?.[0] ?? mode;

/** Whether a printable key in this state was typed text, a command, or cannot be told. */
export function keyTarget(state: TraceState): { target: 'text' | 'navigation' | 'unsure'; why: string } {
  const route = state.chat_input_route;
  if (typeof route === 'string' && TEXT_ROUTES.has(route)) return { target: 'text', why: `chat input (${route})` };
  if (typeof state.input_mode === 'string') {
    const mode = modeName(state.input_mode);
    if (mode === 'TextPrompt' || TEXT_MODES.has(mode)) return { target: 'text', why: `text entry (${mode})` };
    if (NAVIGATION_MODES.has(mode) || ['Confirm', 'ChoiceDialog', 'ScrollMode'].includes(mode)) return { target: 'navigation', why: mode };
    return { target: 'unsure', why: `input mode ${mode} not known` };
  }
  // Before July 2026 the trace has no input mode: search and the chat panel are text, anything else
  // (a command in the graph, or a form's field) cannot be told.
  if (state.search_active) return { target: 'text', why: 'search' };
  if (state.focused_panel === 'right_panel' && state.right_panel_tab === 'chat') return { target: 'text', why: 'the chat panel' };
  return { target: 'unsure', why: 'no input mode in this trace (before July 2026)' };
}

const CHAT_ROUTES = new Set(['native_composer', 'startup_buffer', 'embedded_vendor_pty']);

/**
 * Whether a key in this state went to a chat's input: the route says so (July 2026 on), the mode is
 * the composer's (`ChatInput`), or, before July, the chat panel had the focus on the Chat tab (where
 * every key goes to the embedded pane, or to the composer once it is open).
 */
export function toChatInput(state: TraceState): boolean {
  const route = state.chat_input_route;
  if (typeof route === 'string' && CHAT_ROUTES.has(route)) return true;
  if (typeof state.input_mode === 'string') return modeName(state.input_mode) === 'ChatInput';
  return state.focused_panel === 'right_panel' && state.right_panel_tab === 'chat' && !state.search_active;
}

export interface Redaction {
  entries: TraceEntry[];
  /** Printable keys replaced, by why they counted as text (or could not be told). */
  redacted: Record<string, number>;
  /** Printable keys kept as commands. */
  keptCommands: number;
  /** Other events kept as they were (named keys, mouse, paste lengths, resizes, focus). */
  keptOther: number;
}

/** Replaces every printable key that was typed text, or may have been, with `x` (one key for one: the same length). */
export function redactTrace(entries: TraceEntry[]): Redaction {
  const redacted: Record<string, number> = {};
  let keptCommands = 0;
  let keptOther = 0;
  const out = entries.map((entry): TraceEntry => {
    if (!isPrintableKey(entry.event)) {
      keptOther++;
      return entry;
    }
    const { target, why } = keyTarget(entry.state);
    if (target === 'navigation') {
      keptCommands++;
      return entry;
    }
    const label = target === 'unsure' ? `unsure: ${why}` : why;
    redacted[label] = (redacted[label] ?? 0) + 1;
    return { ...entry, event: { type: 'Key', code: 'x', modifiers: '' } };
  });
  return { entries: out, redacted, keptCommands, keptOther };
}

/**
 * A recorded mouse event as an SGR mouse report (`CSI < b ; col ; row M|m`, crossterm's
 * parse_csi_sgr_mouse: buttons 0 left, 1 middle, 2 right, +32 drag, 35 moved, 64–67 scroll; `m`
 * releases). The trace keeps no modifiers for the mouse: none are sent.
 */
export function encodeMouse(kind: string, row: number, col: number): EncodedKey {
  const buttons: Record<string, number> = { Left: 0, Middle: 1, Right: 2 };
  const m = /^(Down|Up|Drag)\((Left|Middle|Right)\)$/.exec(kind);
  const scroll: Record<string, number> = { Moved: 35, ScrollUp: 64, ScrollDown: 65, ScrollLeft: 66, ScrollRight: 67 };
  let cb: number;
  let final = 'M';
  if (m) {
    cb = (buttons[m[2] as string] as number) + (m[1] === 'Drag' ? 32 : 0);
    if (m[1] === 'Up') final = 'm';
  } else if (scroll[kind] !== undefined) cb = scroll[kind];
  else throw new TraceError(`no terminal encoding for the mouse event ${JSON.stringify(kind)}`);
  return { bytes: `${CSI}<${cb};${col + 1};${row + 1}${final}` };
}

/** Two events are the same input (a live trace's line matched against the one replayed). */
export function sameEvent(a: TraceEvent, b: TraceEvent): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The state fields a replay compares, where both traces have them. */
export const COMPARED_STATE = [
  'focused_panel',
  'right_panel_tab',
  'input_mode',
  'chat_input_route',
  'search_active',
  'show_help',
  'right_panel_visible',
] as const;

/** Where the live state differs from the recorded one: `field=recorded/live` pairs, none when they agree. */
export function stateDifferences(recorded: TraceState, live: TraceState): Array<{ field: string; recorded: unknown; live: unknown }> {
  return COMPARED_STATE.filter((f) => f in recorded && f in live && JSON.stringify(recorded[f]) !== JSON.stringify(live[f])).map((field) => ({
    field,
    recorded: recorded[field],
    live: live[field],
  }));
}

/** An event in words, for a DIVERGED line: `key Enter`, `key Ctrl+o`, `paste of 12`, `resize 100x30`. */
export function describeEvent(e: TraceEvent): string {
  if (e.type === 'Key') return `key ${e.modifiers ? `${e.modifiers}+` : ''}${e.code === ' ' ? 'Space' : e.code}`;
  if (e.type === 'Mouse') return `mouse ${e.kind} at ${e.row},${e.col}`;
  if (e.type === 'Paste') return `paste of ${e.len}`;
  if (e.type === 'Resize') return `resize ${e.width}x${e.height}`;
  return e.type;
}
