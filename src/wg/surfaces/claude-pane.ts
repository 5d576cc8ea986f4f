import { chatPanelLines } from '../frame.js';
import { findEcho, findPanic, joinBlock, type TurnContext, type TurnObservation } from './observation.js';
import { isPartOf } from './words.js';

// Interactive claude (Claude Code 2.1) inside wg's chat pane (`wg init -x claude`, April 2026): wg
// runs `claude -n wg-<project>-coordinator-N --dangerously-skip-permissions …` in the pane. Seen on
// the real CLI (v2.1.332):
//   │ ▐▛███▛█   Claude Code v2.1.332                      <- banner
//   │❯ hi                                                 <- the message
//   │● Hello! 👋 How can I help you today?                <- the reply (continuation rows two spaces in)
//   │✻ Brewed for 0s · done 11:57 PM                      <- the turn is over
//   │──────────── wg-<project>-coordinator-1 ───          <- the input box (wg names the session)
//   │❯                                                    <- empty
//   │────────────────────────────────────────
//   │  ⏵⏵ bypass permissions on (shift+tab to cycle)
// While it works a spinner row says `(esc to interrupt)`; API failures show as `⎿  API Error: …`.

const BANNER = /Claude Code v\d+\.\d+/;
// The input box's top rule can carry the session's name (`──── wg-<project>-coordinator-1 ──`).
const RULE = /^─{3,}(.*─)?$/;
const PROMPT_ROW = /^❯\s?(.*)$/;
const REPLY = /^● /;
const BUSY = /esc to interrupt|\besc to cancel\b/i;
const DONE = /^✻ .*\bfor \d+[smh]/;
const ERROR_LINE = /^⎿\s+(API Error|Error)|^● API Error|^API Error: /;

/** Claude's input box is drawn (its prompt between two rules) and no turn is running. */
export function claudePaneReady(lines: readonly string[]): boolean {
  const chat = (chatPanelLines(lines) ?? []).map((l) => l.trim());
  return chat.some((l) => BANNER.test(l)) && chat.some((l, i) => PROMPT_ROW.test(l) && RULE.test(chat[i - 1] ?? '')) && !chat.some((l) => BUSY.test(l));
}

/** Reads the turn off claude's own rows (the pane's inside, or its whole replayed output). */
export function readClaudeTurn(chat: readonly string[], turn: TurnContext): TurnObservation {
  const rows = chat.map((l) => l.trimEnd());
  const trimmed = rows.map((l) => l.trim());
  // The input box is the last rule-prompt-rule: the message's echo is above it.
  let box = -1;
  for (let i = trimmed.length - 1; i > 0; i--) {
    if (PROMPT_ROW.test(trimmed[i] ?? '') && RULE.test(trimmed[i - 1] ?? '')) {
      box = i - 1;
      break;
    }
  }
  const above = box >= 0 ? trimmed.slice(0, box) : trimmed;
  const echo = findEcho(above, [`❯ ${turn.text}`]);
  const block = echo ? above.slice(echo.end + 1) : [];
  const busy = trimmed.some((l) => BUSY.test(l));
  const isError = (l: string) => ERROR_LINE.test(l) && !isPartOf(l.replace(/^[●⎿]\s+/, ''), turn.assistantText);
  const errors = block.filter(isError);
  const start = block.findIndex((l) => REPLY.test(l) && !isError(l));
  const replyRows: string[] = [];
  if (start >= 0) {
    for (const l of block.slice(start)) {
      if (DONE.test(l) || (replyRows.length > 0 && (isError(l) || BUSY.test(l)))) break;
      replyRows.push(l.replace(REPLY, ''));
    }
  }
  const reply = joinBlock(replyRows);
  const done = block.some((l) => DONE.test(l));
  const input = box >= 0 ? (PROMPT_ROW.exec(trimmed[box + 1] ?? '')?.[1] ?? '').trim() : '';
  return {
    chatVisible: trimmed.some((l) => BANNER.test(l)) || box >= 0,
    chatGone: undefined,
    echoed: echo !== undefined,
    reply,
    busy,
    ended: echo !== undefined && !busy && (done || errors.length > 0) && (reply.length > 0 || errors.length > 0),
    error: errors.length > 0 ? joinBlock(errors) : undefined,
    retries: [],
    promptBack: box >= 0 && !busy && input === '',
  };
}

/** Reads one screen of wg's TUI with claude in its chat pane. */
export function detectClaudePane(lines: readonly string[], turn: TurnContext): TurnObservation {
  const panel = chatPanelLines(lines);
  return { ...readClaudeTurn(panel ?? [], turn), panic: panel ? undefined : findPanic(lines) };
}
