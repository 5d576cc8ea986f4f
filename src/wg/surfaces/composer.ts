import { chatPanelLines } from '../frame.js';
import { piPaneLines } from './pi.js';
import { findEcho, findPanic, joinBlock, lastIndex, type TurnContext, type TurnObservation } from './observation.js';
import { isPartOf } from './words.js';

// Detector for the first chat of wg's history (graphwork/wg before about 2026-04-23): the Chat
// tab is a composer over a file-tailing view of the chat's inbox/outbox, the message goes through
// `wg chat` IPC to the daemon's handler. Seen on real builds (snapshots/real-wg):
//   │tester: hi  0s ago  ⋯                  <- the user's line (`#1/1` after the time in later builds;
//                                             ⋯ queued, ✓ delivered, ✓✓ answered)
//   │↯↯↯↯↯ 1s                                                          <- pending wave
//   │  Ctrl+C to interrupt
//   │↯ Reply 1 to: hi                                                  <- the reply
//   │⚠ ERROR: LLM request failed: …  /  ! Error: …                     <- errors
// Empty states: `Chat with Coordinator` / `Press 'c' or ':' to start typing.`, or
// `Coordinator agent not active.`

export const COMPOSER_EMPTY =
  /Chat with Coordinator|Press 'c' or ':' to start typing|Coordinator agent not active\.|Chat agent not active\.|Chat with Agent|Ready for conversation\./;
const WAVE = /^↯{3,}\s*\d*s?\s*$|Ctrl\+C to interrupt/;
const REPLY = /^↯ (?!↯)/;
const ERROR_LINE = /^⚠ ERROR:|^! |^↯ (LLM request failed|Claude chat failed:|Not logged in|Please run \/login)/;
const USER_LINE = /^[\w.@-]+: /;
const COORDINATOR_WORKING = /◉ coord:\d+ ⟳/;
// (Cut short at the panel's edge on a long first line: `…{"detail":"Not  0s ag│`.)
const META = /\s{2,}(\d+[smhd](?: a(?:go?)?)?|just now)(\s+#\d+\/\d+)?(\s+\S+)?\s*$/;

/** Strips the right-aligned `2s ago  #1/1  ✓✓` block off a user line. */
const withoutMeta = (line: string): string => line.replace(META, '').trimEnd();

/** The composer's rule, between the messages and the input row. */
const COMPOSER_RULE = /^─{10,}$/;
const isRule = (l: string) => COMPOSER_RULE.test(l.trim());

/** Where the composer's rule is in the panel (the last one: a reply may draw a rule of its own); -1 without one. */
export const composerRule = (panel: readonly string[]): number => lastIndex(panel, isRule);

/** The composer's input under its rule (`> text`; `''` when empty); undefined where no input row is drawn. */
export function composerInput(panel: readonly string[]): string | undefined {
  const rule = composerRule(panel);
  const row = rule < 0 ? undefined : panel.slice(rule + 1).find((l) => l.trim().startsWith('>'));
  return row?.trim().replace(/^>\s*/, '');
}

// The scrollbar ratatui draws in the panel's last column once the messages overflow (▲ ║ █ ▼).
const SCROLLBAR = /[▲▼║█]$/;

// Today's wg (graphwork/wg, August 2026) draws the chat with no tab box: the right pane under a
// header row (`…  ⊞  Chat 0`), above the key-hint row (` Commands • n New chat • …`).
const PANE_HEADER = /│.*\bChat \d+\b/;
const HINT_ROW = /^\s*\S[^•]* • /;

/** The chat view's rows: inside the Chat tab's box (April), or the right pane of today's wg. */
export function composerChatPanel(lines: readonly string[]): string[] | undefined {
  const boxed = chatPanelLines(lines);
  if (boxed) return boxed;
  if (!PANE_HEADER.test(lines[0] ?? '')) return undefined;
  const pane = piPaneLines(lines).slice(1);
  const hint = lastIndex(pane, (l) => HINT_ROW.test(l));
  return hint >= pane.length - 3 ? pane.slice(0, hint) : pane;
}

/** The chat panel's inside without the scrollbar column, so a row ends where its text does. */
export function composerPanel(lines: readonly string[]): string[] | undefined {
  const panel = composerChatPanel(lines);
  if (!panel) return undefined;
  // The bar is the cell next to the right border, so the last glyph of a row (rows with wide
  // glyphs are shorter as text); it runs from ▲ to ▼ above the composer's rule.
  const rule = composerRule(panel);
  const messages = rule < 0 ? panel : panel.slice(0, rule);
  if (!messages.some((l) => l.endsWith('▲')) || !messages.some((l) => l.endsWith('▼'))) return panel;
  return panel.map((l, i) => ((rule < 0 || i < rule) && SCROLLBAR.test(l) ? l.slice(0, -1).trimEnd() : l));
}

// Reads one screen for the turn `turn`.
export function detectComposer(lines: readonly string[], turn: TurnContext): TurnObservation {
  const panel = composerPanel(lines);
  const obs = readComposerTurn(panel ?? [], turn);
  // While the coordinator works its bar shows ⟳ (● when idle): a reply still streaming is not
  // over, even on the frames (seen on bc1dbece) where the wave row under it is not drawn.
  const working = lines.some((l) => COORDINATOR_WORKING.test(l));
  return {
    ...obs,
    busy: obs.busy || (working && obs.echoed),
    ended: obs.ended && (!working || obs.error !== undefined),
    promptBack: obs.promptBack && !working,
    panic: panel ? undefined : findPanic(lines),
  };
}

/** A row as the message it may echo: the `tester: ` prefix and the `0s ago  ✓✓` stamp removed. */
export const userLineText = (row: string): string => withoutMeta(row.trim()).replace(USER_LINE, '');

/** Reads the turn off the chat panel's inside (the screen's, or rows scrolled back into view). */
export function readComposerTurn(panel: readonly string[], turn: TurnContext): TurnObservation {
  const chat = panel.map((l) => l.trimEnd());
  // The user's line (`tester: hi  0s ago  ⋯`), wrapped over rows when the message is long.
  const echo = findEcho(chat, [turn.text], userLineText);
  const userRow = echo && USER_LINE.test(chat[echo.start]?.trim() ?? '') ? echo.start : -1;
  const after = echo && userRow >= 0 ? chat.slice(echo.end + 1) : [];
  // The turn's block ends at the next user line (a later message) or the composer's rule.
  const nextUser = after.findIndex((l) => (USER_LINE.test(l.trim()) && META.test(l)) || isRule(l));
  const block = (nextUser >= 0 ? after.slice(0, nextUser) : after).map((l) => l.trim());
  const busy = block.some((l) => WAVE.test(l));
  // An error's continuation rows are indented under its text (`         Found"}`).
  const errors: string[] = [];
  const isError = (l: string) => ERROR_LINE.test(l) && !isPartOf(l.replace(REPLY, ''), turn.assistantText);
  block.forEach((l, i) => {
    if (isError(l)) errors.push(withoutMeta(l));
    else if (errors.length > 0 && l !== '' && isError(block[i - 1] ?? '') && /^\s{4,}\S/.test(after[i] ?? '')) errors.push(l);
  });
  const replyStart = block.findIndex((l) => REPLY.test(l));
  const replyLines: string[] = [];
  if (replyStart >= 0) {
    for (const l of block.slice(replyStart)) {
      if (replyLines.length > 0 && (WAVE.test(l) || isError(l))) break;
      replyLines.push(withoutMeta(l.replace(REPLY, '')));
    }
  }
  const reply = joinBlock(replyLines);
  const empty = chat.find((l) => COMPOSER_EMPTY.test(l.trim()));
  const replyIsError = isError(reply);
  return {
    chatVisible: empty !== undefined || userRow >= 0,
    chatGone: undefined,
    echoed: userRow >= 0,
    reply: replyIsError ? '' : reply,
    busy,
    ended: userRow >= 0 && !busy && (reply.length > 0 || errors.length > 0),
    error: errors.length > 0 ? joinBlock(errors) : replyIsError ? reply : undefined,
    retries: [],
    // The composer's rule is drawn and no wave is busy at the bottom of the messages.
    promptBack: chat.some(isRule) && !chat.slice(-8).some((l) => WAVE.test(l.trim())),
  };
}
