import { findEcho, findPanic, joinBlock, lastIndex, type TurnContext, type TurnObservation } from './observation.js';
import { isPartOf } from './words.js';
import { chatPanelLines } from '../frame.js';

// Detector for the April-2026 chat tab (graphwork/workgraph, about 04-23 to 05): a `wg nex` REPL
// embedded as a pty pane in the right panel. Seen on real builds (snapshots/real-wg):
//   │wg nex — interactive session with local:qwen3-coder
//   │> hi
//   │<reply text>
//   │> █
// When nex dies, wg removes the pane within a frame and shows the file-tailing view
// ("Coordinator agent not active." / "Chat history:"), so the error itself is rarely painted.
//
// What is wg's and what is the assistant's is told by structure: wg's own lines carry a bracketed
// source (`[native-agent] …`, `[openai-client] …`, `[nex] …`) or are anyhow's exit report
// (`Error: API request failed` / `Caused by:`); the reply is plain text between the echo and the
// next bare prompt. A reply that talks about `API error 503` or starts a line with `Error:` is
// still the reply: a line that is part of the assistant's known text is never an error.

/** nex's banner, in the April pane and behind tmux alike. */
export const BANNER = /wg nex — interactive session with/;
const FALLBACK = /Coordinator agent not active\.|Chat with Coordinator|Press 'c' or ':' to start typing|^Chat history:|Chat agent not active\./;
const PROMPT_ONLY = /^>\s*█?\s*$/;
/** nex's prompt with or without text typed at it (a replayed trace types the message before the harness looks). */
export const PROMPT_TYPED = /^>(\s.*)?$/;
// nex's pending wave (`↯↯↯↯↯ 3s`), from its first glyph on: a row of only `↯`s and seconds
// (a half-drawn frame can leave a stray `>` of the old prompt beside it). July's nex shows its
// working prompt instead: `↯ prefilling…` until the first token, then `↯ thinking… N tokens`.
export const SPINNER = /↯{2,}\s*\d*s?|^↯+\s*(\d+s)?\s*>?$|Ctrl\+C to interrupt|^↯\s+(prefilling…|thinking… \d+ tokens?)\s*$/;
/** wg's own diagnostics in the pane: a bracketed source tag. Never part of a reply. */
export const WG_LINE = /^\[(openai-client|nex|native-agent|wg nex)\]/;
/** Lines that mean the turn failed (the nex REPL's, wherever it runs). */
export const ERROR_LINE =
  /^\[native-agent\] |^\[wg nex\] |^\[nex\] (Stream idle|Interrupted)|^\[openai-client\] .*(error|failed)|^Error: |^⚠ ERROR:|^Caused by:|session lock busy/i;
const RETRY_LINE = /attempt (\d+\/\d+)|retrying \((\d+\/\d+)\)|Request timed out — retrying|Retrying in \d+/i;

/**
 * The nex pane is ready to take a message: its banner, then a bare prompt below it. `prompt` is
 * the bare-prompt pattern (late-May builds print `next> `).
 */
export function nexPaneReady(lines: readonly string[], prompt: RegExp = PROMPT_ONLY): boolean {
  const chat = chatPanelLines(lines) ?? [];
  const banner = chat.findIndex((l) => BANNER.test(l));
  return banner >= 0 && chat.slice(banner + 1).some((l) => prompt.test(l.trim()));
}

/**
 * The nex pane drew its banner but no prompt below it: graphwork/wg of about 2026-04-23..25 runs
 * `wg nex --chat coordinator-N` in the pane, which reads the chat's inbox instead of the keyboard.
 */
export function nexPaneBannerOnly(lines: readonly string[], prompt: RegExp = PROMPT_ONLY): boolean {
  const chat = chatPanelLines(lines) ?? [];
  const banner = chat.findIndex((l) => BANNER.test(l));
  return banner >= 0 && !chat.slice(banner + 1).some((l) => prompt.test(l.trim()));
}

/** Reads the turn off the REPL's own rows (the pane's inside, or its whole history). */
export function readNexTurn(chat: readonly string[], turn: TurnContext, prompt: RegExp = PROMPT_ONLY): TurnObservation {
  const rows = chat.map((l) => l.replace(/█/g, '').trimEnd());
  const bannerRow = lastIndex(rows, (l) => BANNER.test(l));
  const echo = findEcho(rows, [`> ${turn.text}`, `next> ${turn.text}`]);
  const after = echo ? rows.slice(echo.end + 1) : [];
  // The prompt is the last row the REPL drew: a bare `>` with more text below it is the reply's own
  // (a markdown blockquote's separator line), never the turn's end.
  const promptRel = after.findIndex((l, i) => prompt.test(l.trim()) && after.slice(i + 1).every((r) => r.trim() === ''));
  const block = promptRel >= 0 ? after.slice(0, promptRel) : after;
  const busy = block.some((l) => SPINNER.test(l));
  const isError = (l: string) => ERROR_LINE.test(l) && !RETRY_LINE.test(l) && !isPartOf(l, turn.assistantText);
  // nex's fatal error is a block (the error, `Caused by:`, its numbered chain, wrapped at the pane's
  // width): everything from the first error line that is not a retry notice to the end of the turn.
  const firstError = block.findIndex((l) => isError(l.trim()));
  const error = firstError >= 0 ? joinBlock(block.slice(firstError)) : undefined;
  const retries = block.flatMap((l) => {
    const m = RETRY_LINE.exec(l);
    return m && WG_LINE.test(l.trim()) ? [m[1] ?? m[2] ?? 'timeout'] : [];
  });
  const replyRows = (firstError >= 0 ? block.slice(0, firstError) : block).filter((l) => !SPINNER.test(l) && !WG_LINE.test(l.trim()));
  const lastRow = lastIndex(rows, (l) => l.trim() !== '');
  const promptBack = lastRow >= 0 && prompt.test((rows[lastRow] ?? '').trim()) && !rows.slice(Math.max(0, lastRow - 2), lastRow).some((l) => SPINNER.test(l));
  const fallback = rows.find((l) => FALLBACK.test(l.trim()));
  return {
    chatVisible: bannerRow >= 0 || echo !== undefined || promptBack,
    chatGone: fallback && !echo && !promptBack ? fallback.trim() : undefined,
    echoed: echo !== undefined,
    reply: joinBlock(replyRows),
    busy,
    ended: echo !== undefined && promptRel >= 0 && !busy,
    error,
    retries,
    promptBack,
  };
}

// Reads one screen for the turn `turn`.
export function detectNexPane(lines: readonly string[], turn: TurnContext): TurnObservation {
  const chat = chatPanelLines(lines);
  // The panic hook prints on the primary screen once the TUI is gone; panic text inside the
  // chat (a reply quoting one) is not wg panicking.
  const panic = chat ? undefined : findPanic(lines);
  return { ...readNexTurn(chat ?? [], turn), panic };
}
