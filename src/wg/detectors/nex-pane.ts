import { findPanic, joinBlock, lastIndex, type TurnContext, type TurnObservation } from './observation.js';

// Detector for the April-2026 chat tab (graphwork/workgraph, about 04-23 to 05): a `wg nex` REPL
// embedded as a pty pane in the right panel. Seen on real builds (snapshots/real-wg):
//   │wg nex — interactive session with local:qwen3-coder
//   │> hi
//   │<reply text>
//   │> █
// When nex dies, wg removes the pane within a frame and shows the file-tailing view
// ("Coordinator agent not active." / "Chat history:"), so the error itself is rarely painted.

const BANNER = /wg nex — interactive session with/;
const FALLBACK = /Coordinator agent not active\.|Chat with Coordinator|Press 'c' or ':' to start typing|^Chat history:|Chat agent not active\./;
const PROMPT_ONLY = /^>\s*█?\s*$/;
const SPINNER = /↯{2,}\s*\d*s?|Ctrl\+C to interrupt/;
const ERROR_LINE = /LLM request failed|Error: API request failed|Fatal authentication error|API error \d{3}|^Error:|⚠ ERROR:|session lock busy|Stream idle for/;
const RETRY_LINE = /attempt (\d+\/\d+)|retrying \((\d+\/\d+)\)|Request timed out — retrying/i;

/**
 * The nex pane is ready to take a message: its banner, then a bare prompt below it. `prompt` is
 * the bare-prompt pattern (late-May builds print `next> `).
 */
export function nexPaneReady(lines: readonly string[], prompt: RegExp = PROMPT_ONLY): boolean {
  const chat = chatPanelLines(lines) ?? [];
  const banner = chat.findIndex((l) => BANNER.test(l));
  return banner >= 0 && chat.slice(banner + 1).some((l) => prompt.test(l.trim()));
}

/** The inside of the right panel's box, one string per row; undefined when no chat tab is drawn. */
export function chatPanelLines(lines: readonly string[]): string[] | undefined {
  const tabRow = lines.findIndex((l) => /0:Chat\s*│/.test(l));
  if (tabRow < 0) return undefined;
  const tabLine = lines[tabRow] as string;
  const left = tabLine.lastIndexOf('│', tabLine.indexOf('0:Chat'));
  const inner: string[] = [];
  for (let row = tabRow + 1; row < lines.length; row++) {
    const line = lines[row] ?? '';
    if (/└─/.test(line)) break;
    // Wide glyphs in the graph on the left can shift string indices a little: find the border near `left`.
    let start = line.indexOf('│', Math.max(0, left - 4));
    if (start < 0) start = left;
    const end = line.lastIndexOf('│');
    inner.push((end > start ? line.slice(start + 1, end) : line.slice(start + 1)).trimEnd());
  }
  // Drop the coordinator bar (`◉ coord:1 ○ ✕ [+]`) and the hint row under the pane.
  return inner.filter((l) => !/^\s*[◉○] coord:|Ctrl\+T: leave PTY|Ctrl\+T:leave PTY|^\s*\[PTY\]\s+Ctrl\+T: command mode/.test(l));
}

// Reads one screen for the turn `turn`.
export function detectNexPane(lines: readonly string[], turn: TurnContext): TurnObservation {
  const panic = findPanic(lines);
  const chat = chatPanelLines(lines) ?? [];
  const fallback = chat.find((l) => FALLBACK.test(l.trim()));
  const bannerRow = lastIndex(chat, (l) => BANNER.test(l));
  const firstLine = turn.text.split('\n')[0]?.trim() ?? '';
  const echoRow = lastIndex(chat, (l) => l.trim().startsWith(`> ${firstLine}`) || l.trim() === `>${firstLine}`);
  const after = echoRow >= 0 ? chat.slice(echoRow + 1) : [];
  const promptRel = after.findIndex((l) => PROMPT_ONLY.test(l.trim()));
  const block = promptRel >= 0 ? after.slice(0, promptRel) : after;
  const busy = block.some((l) => SPINNER.test(l));
  const isError = (l: string) => ERROR_LINE.test(l) && !RETRY_LINE.test(l);
  // nex's fatal error is a block (the error, `Caused by:`, its numbered chain, wrapped at the pane's
  // width): everything from the first error line that is not a retry notice to the end of the turn.
  const firstError = block.findIndex((l) => isError(l.trim()));
  const error = firstError >= 0 ? joinBlock(block.slice(firstError).map((l) => l.replace(/█/g, ''))) : undefined;
  const retries = block.flatMap((l) => {
    const m = RETRY_LINE.exec(l);
    return m ? [m[1] ?? m[2] ?? 'timeout'] : [];
  });
  const replyLines = block.map((l) => l.replace(/█/g, '')).filter((l) => !SPINNER.test(l) && !ERROR_LINE.test(l.trim()) && !RETRY_LINE.test(l) && !/^\[(openai-client|nex|native-agent)\]/.test(l.trim()));
  return {
    chatVisible: bannerRow >= 0 || echoRow >= 0,
    chatGone: fallback && echoRow < 0 ? fallback.trim() : undefined,
    echoed: echoRow >= 0,
    reply: joinBlock(replyLines),
    busy,
    ended: echoRow >= 0 && promptRel >= 0 && !busy,
    error,
    retries,
    panic,
  };
}
