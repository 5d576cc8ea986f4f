import { composerChatPanel, composerInput, composerRule, detectComposer } from './composer.js';
import { BANNER, ERROR_LINE, SPINNER, WG_LINE } from './nex-pane.js';
import { chatPanelLines } from '../frame.js';
import { findPanic, joinBlock, type TurnContext, type TurnObservation } from './observation.js';
import { isPartOf } from './words.js';

// graphwork/workgraph from about 2026-04-25: the Chat tab's pane runs `wg nex --chat coordinator-N`,
// which reads the chat's inbox, not the keys; the hint under it reads ` Enter: chat  ↑↓: scroll
// Ctrl+T: focus PTY`, and Enter opens the composer below the pane. Sent from there, the message is
// not echoed in the pane: nex prints its reply under what it printed before.
//   │wg nex — interactive session with local:qwen3-coder
//   │Hello! 👋 How can I help you today?        <- the reply, no `> hi` above it
//   │█
//   │──────────────────
//   │>                                           <- the composer, emptied once the message went
// So the turn's reply is what the pane gained since just before Enter (`turn.before`), by position.
// Once the pane dies the tab shows the composer's own view (`tester: hi`), the composer detector's.

// nex's exit report with RUST_BACKTRACE: numbered frames and their `at file:line:col` rows. wg's,
// never the reply; when its head (`Error: …`) has scrolled off, the frames are what is left of it.
const BACKTRACE = /^\s*\d+: [\w<&{]|^\s+at \S+:\d+(:\d+)?$|^Stack backtrace:$/;
const CURSOR_ONLY = /^█?$/;

/** The pane's rows above the composer: nex's output, without wg's bracketed lines and nex's banner. */
function paneRows(lines: readonly string[]): string[] | undefined {
  const panel = chatPanelLines(lines);
  if (!panel) return undefined;
  const rule = composerRule(panel);
  return ownRows(rule >= 0 ? panel.slice(0, rule) : panel);
}

/** nex's own rows after its banner, without the coordinator bar and the trailing cursor. */
function ownRows(lines: readonly string[]): string[] {
  const rows = lines.map((l) => l.trimEnd());
  const banner = rows.findIndex((l) => BANNER.test(l));
  const out = (banner >= 0 ? rows.slice(banner + 1) : rows).filter((l) => !/^\s*◉ coord:/.test(l));
  while (out.length > 0 && CURSOR_ONLY.test((out.at(-1) as string).trim())) out.pop();
  return out;
}

/** Reads the turn off the pane's whole output (its history, once a tall reply scrolled the screen): what came after the pane's rows before the message. */
export function readComposerFedHistory(history: readonly string[], turn: TurnContext): TurnObservation {
  const { reply, busy, error } = readGained(paneRows(turn.before ?? []) ?? [], ownRows(history), turn);
  const ended = !busy && (reply.length > 0 || error !== undefined);
  return { chatVisible: true, echoed: true, reply, busy, ended, error, retries: [], promptBack: ended };
}

/** What the pane gained since the screen before the message: nex's reply, or wg's error after it, and whether nex still works. */
function readGained(before: readonly string[], now: readonly string[], turn: TurnContext): { reply: string; busy: boolean; error?: string } {
  const block = gained(before, now).filter((l) => l.trim() !== '');
  const isError = (l: string) => (ERROR_LINE.test(l.trim()) || BACKTRACE.test(l)) && !isPartOf(l, turn.assistantText);
  const firstError = block.findIndex(isError);
  const replyRows = (firstError >= 0 ? block.slice(0, firstError) : block).filter((l) => !SPINNER.test(l) && !WG_LINE.test(l.trim()));
  return {
    reply: joinBlock(replyRows),
    busy: block.some((l) => SPINNER.test(l)),
    ...(firstError >= 0 ? { error: joinBlock(block.slice(firstError)) } : {}),
  };
}

/** The rows `now` gained over `before` (the pane only grows; once the old rows scrolled off, all of it). */
function gained(before: readonly string[], now: readonly string[]): string[] {
  if (before.length === 0) return [...now];
  const last = before.at(-1) as string;
  for (let j = now.length - 1; j >= 0; j--) {
    if (now[j] !== last) continue;
    const start = j - before.length + 1;
    if (start < 0 || now.slice(start, j + 1).every((l, i) => l === before[i])) return now.slice(j + 1);
  }
  return [...now];
}

export function detectComposerFedPane(lines: readonly string[], turn: TurnContext): TurnObservation {
  const composer = detectComposer(lines, turn);
  if (composer.echoed || composer.chatGone) return composer;
  const now = paneRows(lines);
  if (!now) return { ...composer, panic: findPanic(lines) };
  const { reply, busy, error } = readGained(paneRows(turn.before ?? []) ?? [], now, turn);
  const cursorLast = (chatPanelLines(lines) ?? []).some((l) => l.trim() === '█');
  // The composer under the pane is open and empty: what was typed has left it.
  const echoed = composerInput(composerChatPanel(lines) ?? []) === '';
  return {
    chatVisible: true,
    echoed,
    reply,
    busy,
    ended: echoed && !busy && cursorLast && (reply.length > 0 || error !== undefined),
    error,
    retries: [],
    promptBack: echoed && cursorLast && !busy,
  };
}
