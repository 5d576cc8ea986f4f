import { findPanic, joinBlock, lastIndex, trailingError, type TurnContext, type TurnObservation } from './observation.js';

// Detector for today's chat (graphwork/wg, from about 2026-07): Pi running in tmux, mirrored
// into the TUI's right pane. Seen on the real build (snapshots/real-wg):
//   │ hi                       <- the user's message, a full-width block with a background
//   │ Reply 1 to: hi           <- the reply, no role label
//   │ ⠋ Working...             <- busy; ` ⠙ Retrying (1/3) in 2s... (escape to cancel)` when retrying
//   │ Error: 400 status code (no body)
//   │──────────  (editor)  ──────────
//   │0.0%/128k (auto)                        qwen3-coder

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
  if (divider < 0) return [...lines];
  return lines.map((line) => {
    // Wide glyphs on the left can shift string indices a little: find the divider near its column.
    const at = line.indexOf('│', Math.max(0, divider - 4));
    return at >= 0 && at <= divider + 4 ? line.slice(at + 1).trimEnd() : line.slice(divider + 1).trimEnd();
  });
}

/** Pi's editor is drawn: its two rules and the footer with the context gauge. */
export function piReady(lines: readonly string[]): boolean {
  const pane = piPaneLines(lines);
  const footer = lastIndex(pane, (l) => PI_FOOTER.test(l));
  return footer >= 0 && pane.slice(0, footer).filter((l) => RULE.test(l.trim())).length >= 2;
}

// Reads one screen for the turn `turn`.
export function detectPiTmux(lines: readonly string[], turn: TurnContext): TurnObservation {
  const panic = findPanic(lines);
  const pane = piPaneLines(lines);
  const gone = pane.find((l) => GONE.test(l.trim()));
  // The editor sits between the last two rules; the conversation is above the upper one.
  const lowerRule = lastIndex(pane, (l) => RULE.test(l.trim()));
  const upperRule = lowerRule > 0 ? lastIndex(pane, (l) => RULE.test(l.trim()), lowerRule - 1) : -1;
  const conversation = upperRule >= 0 ? pane.slice(0, upperRule) : pane;
  const firstLine = turn.text.split('\n')[0]?.trim() ?? '';
  const userRow = lastIndex(conversation, (l) => l.trim() === firstLine);
  const block = userRow >= 0 ? conversation.slice(userRow + 1).map((l) => l.trim()) : [];
  const busy = block.some((l) => SPINNER.test(l));
  const errors = block.filter((l) => ERROR.test(l));
  const error = trailingError(block, (l) => ERROR.test(l), (l) => SPINNER.test(l));
  const retries = block.flatMap((l) => {
    const m = RETRY.exec(l);
    return m?.[1] ? [m[1]] : [];
  });
  const reply = joinBlock(block.filter((l) => !SPINNER.test(l) && !ERROR.test(l)));
  const trailing = error?.split(/ (?=Error: )/) ?? [];
  return {
    chatVisible: upperRule >= 0,
    chatGone: gone && upperRule < 0 ? gone.trim() : undefined,
    echoed: userRow >= 0,
    reply,
    busy,
    ended: userRow >= 0 && !busy && (reply.length > 0 || errors.length > 0),
    // Pi prints one `Error:` per failed attempt; the last one is the verdict, the count is context.
    error: trailing.length > 1 ? `${trailing.at(-1)} (${trailing.length} error lines)` : error,
    retries,
    panic,
  };
}
