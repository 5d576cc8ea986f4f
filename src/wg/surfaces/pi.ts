import { findEcho, findPanic, joinBlock, lastIndex, squash, trailingError, type TurnContext, type TurnObservation } from './observation.js';
import { isPartOf } from './words.js';
import { chatPanelLines } from '../frame.js';

// Detector for today's chat (graphwork/wg, from about 2026-07): Pi running in tmux, mirrored
// into the TUI's right pane. Seen on the real build (snapshots/real-wg):
//   │ hi                       <- the user's message, a full-width block with a background
//   │ Reply 1 to: hi           <- the reply, no role label
//   │ ⠋ Working...             <- busy; ` ⠙ Retrying (1/3) in 2s... (escape to cancel)` when retrying
//   │ Error: 400 status code (no body)
//   │──────────  (editor)  ──────────
//   │0.0%/128k (auto)                        qwen3-coder
// Pi's error line is its own (`Error: <message>` after the assistant's content); an `Error:` that
// is part of the assistant's known text is the reply quoting one.

const SPINNER = /^[⠀-⣿]\s+(Working|Retrying|Thinking|Compacting)/;
const RETRY = /Retrying \((\d+\/\d+)\)/;
const ERROR = /^Error: |^Operation aborted|^Response was truncated before completion/;
const GONE = /Chat agent died|^Chat unavailable:|No chat selected\./;
const RULE = /^─{10,}$/;
export const PI_FOOTER = /\d+(\.\d+)?%\/[\d.]+[kM]? \(auto\)/;

/** The right pane's text, one string per row: everything right of the header's divider. */
export function piPaneLines(lines: readonly string[]): string[] {
  const header = lines[0] ?? '';
  const divider = header.indexOf('│');
  // July's TUI (1d1e4152) draws the right panel as a box under the tab row: its inside is the pane.
  if (divider < 0) return chatPanelLines(lines) ?? [...lines];
  return lines.map((line) => {
    // Wide glyphs on the left can shift string indices a little: find the divider near its column.
    const at = line.indexOf('│', Math.max(0, divider - 4));
    return at >= 0 && at <= divider + 4 ? line.slice(at + 1).trimEnd() : line.slice(divider + 1).trimEnd();
  });
}

/** Pi's editor is drawn: its two rules and the footer with the context gauge. */
export function piReady(lines: readonly string[]): boolean {
  return editorRules(piPaneLines(lines)) !== undefined;
}

/** wg's own words when the chat failed to start or died (`Chat unavailable: …`, `Chat agent died`). */
export function piChatFailure(lines: readonly string[]): string | undefined {
  const pane = piPaneLines(lines);
  const at = pane.findIndex((l) => /Chat unavailable:|Chat agent died|refused Pi chat start|could not prepare WG tools/.test(l));
  if (at < 0) return undefined;
  return joinBlock(pane.slice(at, at + 4).map((l) => l.replace(/[│┌┐└┘─]/g, ' ')));
}

// The editor's two rules above the footer; undefined while Pi's editor is not drawn.
function editorRules(pane: readonly string[]): { upper: number; lower: number } | undefined {
  const footer = lastIndex(pane, (l) => PI_FOOTER.test(l));
  if (footer < 0) return undefined;
  const lower = lastIndex(pane, (l) => RULE.test(l.trim()), footer - 1);
  const upper = lower > 0 ? lastIndex(pane, (l) => RULE.test(l.trim()), lower - 1) : -1;
  return upper >= 0 ? { upper, lower } : undefined;
}

// The editor between the two rules still shows the message typed into it.
function editorHolds(pane: readonly string[], rules: { upper: number; lower: number }, text: string): boolean {
  const wanted = squash(text);
  return wanted !== '' && squash(pane.slice(rules.upper + 1, rules.lower).join('')).includes(wanted);
}

/** Reads the turn off Pi's own rows (the pane as mirrored, or its whole tmux history). */
export function readPiTurn(pane: readonly string[], turn: TurnContext): TurnObservation {
  const gone = pane.find((l) => GONE.test(l.trim()));
  // The editor sits between the last two rules; the conversation is above the upper one.
  const rules = editorRules(pane);
  const conversation = rules ? pane.slice(0, rules.upper) : [...pane];
  let echo = findEcho(conversation, [turn.text]);
  // A reply whose first line repeats the message (the endpoint's record says so): the last copy on
  // screen is the reply's, and the echo is the copy before it.
  if (echo && turn.assistantText && squash(turn.assistantText).startsWith(squash(turn.text))) {
    echo = findEcho(conversation.slice(0, echo.start), [turn.text]) ?? echo;
  }
  const block = echo ? conversation.slice(echo.end + 1).map((l) => l.trim()) : [];
  const busy = block.some((l) => SPINNER.test(l));
  const isError = (l: string) => ERROR.test(l) && !isPartOf(l, turn.assistantText);
  const errors = block.filter(isError);
  const error = trailingError(block, isError, (l) => SPINNER.test(l));
  // Pi's retry notice is its spinner row; the same words in the reply are the reply's.
  const retries = block.flatMap((l) => {
    const m = SPINNER.test(l) && !isPartOf(l, turn.assistantText) ? RETRY.exec(l) : null;
    return m?.[1] ? [m[1]] : [];
  });
  const reply = joinBlock(block.filter((l) => !SPINNER.test(l) && !isError(l)));
  const trailing = error?.split(/ (?=Error: )/) ?? [];
  const tail = conversation.slice(-4).map((l) => l.trim());
  return {
    chatVisible: rules !== undefined,
    chatGone: gone && !rules ? gone.trim() : undefined,
    echoed: echo !== undefined,
    reply,
    busy,
    // Only with the editor drawn: a frame caught half-painted (conversation rows without Pi's
    // spinner and editor below them yet) must not end the turn.
    // Nor while the editor still holds the message: the frame predates the send (tmux repaints
    // the conversation first, so the echo can be drawn over the old turn's leftovers).
    ended: rules !== undefined && !editorHolds(pane, rules, turn.text) && echo !== undefined && !busy && (reply.length > 0 || errors.length > 0),
    // Pi prints one `Error:` per failed attempt; the last one is the verdict, the count is context.
    error: trailing.length > 1 ? `${trailing.at(-1)} (${trailing.length} error lines)` : error,
    retries,
    promptBack: rules !== undefined && !tail.some((l) => SPINNER.test(l)),
  };
}

// Reads one screen for the turn `turn`.
export function detectPiTmux(lines: readonly string[], turn: TurnContext): TurnObservation {
  // The TUI's header row has the panel divider; without it the TUI is gone (the panic hook prints
  // on the primary screen). Panic text inside the chat is a reply quoting one.
  // July's boxed right panel has no divider on the header row: the drawn chat tab box says the same.
  const tuiDrawn = (lines[0] ?? '').includes('│') || chatPanelLines(lines) !== undefined;
  return { ...readPiTurn(piPaneLines(lines), turn), panic: tuiDrawn ? undefined : findPanic(lines) };
}
