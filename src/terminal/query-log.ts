// Records every terminal query the program sent and the answer (if any) the emulator gave.
import type { IFunctionIdentifier, Terminal } from '@xterm/headless';
import type { Disposable } from './types.js';

/** One query: what was asked, when, and what went back to the program (undefined = unanswered). */
export interface QueryLogEntry {
  /** ms since the session started. */
  at: number;
  kind: string;
  /** The query as sent, with ESC shown as "\x1b". */
  query: string;
  answer: string | undefined;
  answered: boolean;
  answeredAt?: number | undefined;
}

type Params = (number | number[])[];
interface CsiQuery {
  id: IFunctionIdentifier;
  kind: (p: Params) => string | undefined;
}

const first = (p: Params): number | undefined => (typeof p[0] === 'number' ? p[0] : p[0]?.[0]);
const WINDOW_REPORTS: Record<number, string> = {
  11: 'window state',
  13: 'window position',
  14: 'window size px',
  15: 'screen size px',
  16: 'cell size px',
  18: 'text area size',
  19: 'screen size chars',
  20: 'icon label',
  21: 'window title',
};

// Sequences that ask the terminal for an answer. Handlers return false, so xterm still handles them.
const CSI_QUERIES: CsiQuery[] = [
  { id: { final: 'n' }, kind: (p) => (first(p) === 6 ? 'DSR cursor position' : first(p) === 5 ? 'DSR status' : 'DSR') },
  { id: { prefix: '?', final: 'n' }, kind: (p) => `DEC DSR ${first(p) ?? ''}`.trim() },
  { id: { final: 'c' }, kind: (p) => (!first(p) ? 'DA1 primary attributes' : undefined) },
  { id: { prefix: '>', final: 'c' }, kind: () => 'DA2 secondary attributes' },
  { id: { prefix: '=', final: 'c' }, kind: () => 'DA3 tertiary attributes' },
  { id: { intermediates: '$', final: 'p' }, kind: (p) => `DECRQM ${first(p)}` },
  { id: { prefix: '?', intermediates: '$', final: 'p' }, kind: (p) => `DECRQM ?${first(p)}` },
  { id: { prefix: '?', final: 'u' }, kind: () => 'kitty keyboard flags' },
  { id: { prefix: '>', final: 'q' }, kind: () => 'XTVERSION' },
  { id: { final: 't' }, kind: (p) => WINDOW_REPORTS[first(p) ?? -1] && `window report: ${WINDOW_REPORTS[first(p)!]}` },
];
const OSC_COLOR = [4, 10, 11, 12, 52];
const DCS_QUERIES: Array<{ id: IFunctionIdentifier; kind: string }> = [
  { id: { intermediates: '$', final: 'q' }, kind: 'DECRQSS' },
  { id: { intermediates: '+', final: 'q' }, kind: 'XTGETTCAP' },
];

/** Shows control characters so a log line is readable and copy-pastable. */
export function escapeControls(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\x1b' ? '\\x1b' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** xterm reports an omitted parameter as 0; show a lone 0 as omitted, as programs usually send it. */
function paramsText(p: Params): string {
  if (p.length === 1 && p[0] === 0) return '';
  return p.map((v) => (Array.isArray(v) ? v.join(':') : String(v))).join(';');
}

/**
 * Hooks xterm's parser. xterm answers synchronously while parsing the query, so an answer that
 * arrives on onData right after a query handler ran belongs to that query.
 */
export class QueryLog {
  readonly entries: QueryLogEntry[] = [];
  private _awaiting: QueryLogEntry | undefined;
  private readonly _hooks: Disposable[] = [];

  constructor(
    term: Terminal,
    private readonly _clock: () => number,
  ) {
    for (const q of CSI_QUERIES) {
      this._hooks.push(
        term.parser.registerCsiHandler(q.id, (p) => {
          const kind = q.kind(p);
          if (kind) this._asked(kind, `\x1b[${q.id.prefix ?? ''}${paramsText(p)}${q.id.intermediates ?? ''}${q.id.final}`);
          return false;
        }),
      );
    }
    for (const code of OSC_COLOR) {
      this._hooks.push(
        term.parser.registerOscHandler(code, (data) => {
          if (data.includes('?')) this._asked(`OSC ${code} colour query`, `\x1b]${code};${data}\x1b\\`);
          return false;
        }),
      );
    }
    for (const q of DCS_QUERIES) {
      this._hooks.push(
        term.parser.registerDcsHandler(q.id, (data) => {
          this._asked(q.kind, `\x1bP${q.id.intermediates}${q.id.final}${data}\x1b\\`);
          return false;
        }),
      );
    }
  }

  private _asked(kind: string, raw: string): void {
    const entry: QueryLogEntry = { at: this._clock(), kind, query: escapeControls(raw), answer: undefined, answered: false };
    this.entries.push(entry);
    this._awaiting = entry;
  }

  /** Called with everything xterm sends towards the program. */
  answer(data: string): void {
    const e = this._awaiting;
    if (!e) return;
    e.answer = (e.answer ?? '') + escapeControls(data);
    e.answered = true;
    e.answeredAt = this._clock();
    // xterm answers each query with one onData call.
    this._awaiting = undefined;
  }

  /** A parsed chunk ended: answers never span chunks, so stop attributing. */
  chunkDone(): void {
    this._awaiting = undefined;
  }

  /** Queries that got no answer at all. */
  unanswered(): QueryLogEntry[] {
    return this.entries.filter((e) => !e.answered);
  }

  dispose(): void {
    for (const h of this._hooks.splice(0)) h.dispose();
  }
}
