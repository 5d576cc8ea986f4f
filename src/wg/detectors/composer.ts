import { chatPanelLines } from './nex-pane.js';
import { findEcho, findPanic, joinBlock, type TurnContext, type TurnObservation } from './observation.js';
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

export const COMPOSER_EMPTY = /Chat with Coordinator|Press 'c' or ':' to start typing|Coordinator agent not active\.|Chat with Agent|Ready for conversation\./;
const WAVE = /^↯{3,}\s*\d*s?\s*$|Ctrl\+C to interrupt/;
const REPLY = /^↯ (?!↯)/;
const ERROR_LINE = /^⚠ ERROR:|^! |^↯ (LLM request failed|Claude chat failed:|Not logged in|Please run \/login)/;
const USER_LINE = /^[\w.@-]+: /;
// (Cut short at the panel's edge on a long first line: `…{"detail":"Not  0s ag│`.)
const META = /\s{2,}(\d+[smhd](?: a(?:go?)?)?|just now)(\s+#\d+\/\d+)?(\s+\S+)?\s*$/;

/** Strips the right-aligned `2s ago  #1/1  ✓✓` block off a user line. */
const withoutMeta = (line: string): string => line.replace(META, '').trimEnd();

// Reads one screen for the turn `turn`.
export function detectComposer(lines: readonly string[], turn: TurnContext): TurnObservation {
  const panel = chatPanelLines(lines);
  return { ...readComposerTurn(panel ?? [], turn), panic: panel ? undefined : findPanic(lines) };
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
  const nextUser = after.findIndex((l) => (USER_LINE.test(l.trim()) && META.test(l)) || /^─{10,}$/.test(l.trim()));
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
    promptBack: chat.some((l) => /^─{10,}$/.test(l.trim())) && !chat.slice(-8).some((l) => WAVE.test(l.trim())),
  };
}
