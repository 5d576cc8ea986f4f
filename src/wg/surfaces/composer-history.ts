import { keyBytes, timeoutAsUndefined, type TerminalSession } from '../../terminal/index.js';
import { composerChatPanel, composerPanel, composerRule, readComposerTurn } from './composer.js';
import type { TurnContext } from './observation.js';
import type { ChatHistory } from '../types.js';

// The composer's chat view (graphwork/wg before about 2026-04-23) keeps no scrollback the harness
// can read: the view is redrawn in place, and only wg's own scroll keys show what went above the
// panel. In the composer, Alt+Up and Alt+Down move the view one row (a scroll offset counted from
// the bottom, 0 = following new messages; `event.rs` of those builds). The reader scrolls up a
// page at a time until this turn's message is in view, stitches the pages, and scrolls back down
// by as many rows as it went up, so the view follows new messages again.

/** Cast markers around the frames drawn while the reader scrolls the view. */
export const HISTORY_SCROLL_START = 'history: scrolling back';
export const HISTORY_SCROLL_END = 'history: back at the bottom';

/** Most pages scrolled back for one read (a 40-row view: 1,500 rows of chat). */
const MAX_PAGES = 40;
/** How long one page may take to be redrawn before the top is taken as reached. */
const PAGE_MS = 1500;

/**
 * The messages part of the chat panel (above the composer's rule), the rule with the composer
 * under it, and the view as drawn, scrollbar included: the scrollbar's thumb moves even where a
 * page of text looks like the one before (a reply of repeated rows).
 */
function split(lines: readonly string[]): { messages: string[]; composer: string[]; drawn: string } {
  const panel = composerPanel(lines) ?? [];
  const rule = composerRule(panel);
  const drawn = (composerChatPanel(lines) ?? []).join('\n');
  const messages = rule < 0 ? panel : panel.slice(0, rule);
  // Mid July's view (58380883) draws the chat tab bar (`[+]`, `[1] ◉ .chat-0 ✕ [+]`) as its first
  // row: chrome that never scrolls, so the badge lands on the row under it.
  if (TAB_BAR.test(messages[0] ?? '')) messages.shift();
  if (messages.length > 0) messages[0] = (messages[0] as string).replace(SCROLL_BADGE, '');
  return { messages, composer: rule < 0 ? [] : panel.slice(rule), drawn };
}

// Today's wg (August 2026) draws how far the view is scrolled up (` ↓43 `) over the right end of
// the messages' top row: that row is not the chat's while scrolled, so pages are matched below it
// and it is taken from the next page, where it is drawn clean.
const SCROLL_BADGE = /\s*↓\d+\s*$/;
const TAB_BAR = /^\s*(\[\d+\] [◉●] \S+ ✕\s*│?\s*)*\[\+\]\s*$/;

// The age wg draws beside each message (`41s ago`, `2m ago`) ticks while the reader scrolls: two
// pages are compared with the ages blanked, or a row that only aged reads as a redraw.
const AGE = /\b\d+[smhd] ago\b|\bjust now\b/g;
const unaged = (line: string) => line.replace(AGE, '· ago');
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((l, i) => unaged(l) === unaged(b[i] ?? ''));

/**
 * By how many rows the view moved between two pages: the `d` for which the new page, less its top
 * `d` rows, is the old page less its bottom `d` rows (the old page's top row aside: it may carry
 * the scroll badge). Undefined when no shift up to `max` fits.
 */
export function pageShift(before: readonly string[], after: readonly string[], max: number): number | undefined {
  if (before.length !== after.length) return undefined;
  for (let d = Math.min(max, after.length - 2); d >= 1; d--) {
    if (same(after.slice(d + 1), before.slice(1, before.length - d))) return d;
  }
  return undefined;
}

/** The composer's history: pages scrolled back into view with wg's Alt+Up, then scrolled back down. */
export function composerHistory(session: TerminalSession): ChatHistory {
  let cached: { key: string; lines: string[] } | undefined;
  const current = () => split(session.screen().lines);
  // Waits for the view to be drawn differently from `drawn`; undefined when it was not within PAGE_MS.
  const nextPage = (drawn: string) =>
    session
      .waitFor((s) => split(s.lines).drawn !== drawn || undefined, { timeoutMs: PAGE_MS, phase: 'waiting for the composer to scroll' })
      .then(async () => (await session.waitForStable(150, { timeoutMs: PAGE_MS }).catch(timeoutAsUndefined), current()))
      .catch(timeoutAsUndefined);

  return {
    detector: (lines, turn) => readComposerTurn(lines, turn),
    async read(_screen, turn: TurnContext) {
      // Not the frame that asked: a frame drawn mid-redraw can show the messages blank (seen on
      // bc1dbece as the final message replaces the streamed rows). The view at rest is the start.
      if (session.exitInfo) return undefined;
      const settled = await session.waitForStable(200, { timeoutMs: PAGE_MS }).catch(timeoutAsUndefined);
      if (!settled) return undefined;
      const start = split(settled.lines);
      const key = [...start.messages, turn.text].join('\n');
      // The screen did not change since the last read: the same answer, without scrolling again.
      if (cached?.key === key) return cached.lines;
      const height = start.messages.length;
      if (height < 4) return undefined;
      const step = height - 2;
      let rows = start.messages;
      let drawn = start.drawn;
      let seen = [...rows];
      let up = 0;
      // Marked in the recording, so a replay knows these frames are the harness scrolling, not wg.
      session.mark(HISTORY_SCROLL_START);
      try {
        for (let page = 0; page < MAX_PAGES && !readComposerTurn([...seen, ...start.composer], turn).echoed; page++) {
          for (let i = 0; i < step; i++) session.write(keyAltUp);
          up += step;
          const next = await nextPage(drawn);
          if (!next) break; // the top of the chat: the view no longer moves
          const d = pageShift(rows, next.messages, step);
          if (d === undefined) return undefined; // not a clean scroll (a redraw in between): no history this time
          seen = [...next.messages.slice(0, d + 1), ...seen.slice(1)];
          rows = next.messages;
          drawn = next.drawn;
        }
      } finally {
        // Back to the bottom (the offset only goes down to 0, so extra presses are harmless).
        if (up > 0) {
          for (let i = 0; i < up + 2; i++) session.write(keyAltDown);
          await session.waitFor((s) => split(s.lines).drawn === start.drawn || undefined, { timeoutMs: PAGE_MS * 2 }).catch(timeoutAsUndefined);
        }
        session.mark(HISTORY_SCROLL_END);
      }
      const lines = [...seen, ...start.composer];
      cached = { key, lines };
      return lines;
    },
  };
}

// Alt+Up / Alt+Down as xterm sends them (`CSI 1;3 A`; crossterm reads `ESC ESC [ A` as Esc, which
// would close the composer).
const keyAltUp = keyBytes('Alt+Up', { applicationCursorKeys: false });
const keyAltDown = keyBytes('Alt+Down', { applicationCursorKeys: false });
