// The REPL is nex's own: its banner and error lines are the April pane's (one definition).
import { BANNER, ERROR_LINE, readNexTurn, WG_LINE } from './nex-pane.js';
import { chatPanelLines } from '../frame.js';
import { findEcho, findPanic, joinBlock, type TurnContext, type TurnObservation } from './observation.js';
import { isPartOf } from './words.js';

// The `wg nex` REPL behind tmux (graphwork/wg, about May to July 2026) draws as the April pane
// does, so detectNexPane reads it. What is new is the chat's status line above the pane,
// `Chat 0 (.chat-0) • connected • route …`: when the tmux client loses its terminal (`[lost tty]`)
// it reads `• disconnected •`, the pane is gone and the tab falls back to the inbox view.

const DISCONNECTED = /\(\.chat-\d+\) • disconnected •/;

// Late May's REPL (4ad9da75) takes the next message while a turn runs: after Enter the prompt is
// `next> ` at once (typed messages echo as `next> <text>`), and each reply comes under a label
// `[assistant for: <message>]`. The turn is over when its labelled reply is followed by an empty
// `next> ` prompt.
//   │> hi
//   │next> what can you help me with?
//   │[assistant for: hi]
//   │Reply 1 to: hi
//   │next> █
const LABEL = /^\[assistant for: (.*)\]$/;
// June's REPL (583244ef, d14819c7) keeps the `> ` prompt and shows a line typed while a reply runs
// as `↯ <text>` (queued), drawn where the cursor was, even inside the reply; its answer then comes
// under the same label. Either prompt ends a labelled turn.
const NEXT_PROMPT_ONLY = /^(next)?>\s*█?\s*$/;

function readQueueTurn(chat: readonly string[], turn: TurnContext): TurnObservation {
  const rows = chat.map((l) => l.replace(/█/g, '').trim());
  const echoed = findEcho(rows, [`> ${turn.text}`, `next> ${turn.text}`, `↯ ${turn.text}`]) !== undefined;
  // The label carries the whole message and wraps with it.
  const label = findEcho(rows, [`[assistant for: ${turn.text}]`]);
  const block: string[] = [];
  let promptAfter = false;
  if (label) {
    for (const l of rows.slice(label.end + 1)) {
      if (NEXT_PROMPT_ONLY.test(l)) {
        promptAfter = true;
        break;
      }
      if (/^\[assistant for: /.test(l) || /^next> /.test(l) || /^> /.test(l)) break;
      block.push(l);
    }
    // A later message's label or echo before the prompt: find the prompt further down.
    if (!promptAfter) promptAfter = rows.slice(label.end + 1).some((l) => NEXT_PROMPT_ONLY.test(l));
  }
  const isError = (l: string) => ERROR_LINE.test(l) && !isPartOf(l, turn.assistantText);
  const errors = block.filter(isError);
  const reply = joinBlock(block.filter((l) => !isError(l) && !WG_LINE.test(l)));
  const last = [...rows].reverse().find((l) => l !== '') ?? '';
  return {
    chatVisible: rows.some((l) => BANNER.test(l)) || NEXT_PROMPT_ONLY.test(last),
    chatGone: undefined,
    echoed,
    reply,
    busy: false,
    ended: label !== undefined && promptAfter && (reply.length > 0 || errors.length > 0),
    error: errors.length > 0 ? joinBlock(errors) : undefined,
    retries: [],
    promptBack: NEXT_PROMPT_ONLY.test(last),
  };
}

/** True when the pane runs late May's queueing REPL (`next> ` prompt or `[assistant for: …]` labels). */
export const isQueueRepl = (chat: readonly string[]): boolean => chat.some((l) => /^next>/.test(l.trim()) || LABEL.test(l.trim()));

/** Reads the turn off the REPL's own rows (the pane's inside, or its tmux history). */
export function readNexTmuxTurn(chat: readonly string[], turn: TurnContext): TurnObservation {
  // A turn answered under a label is read by it (late May's REPL labels every turn; June's only the
  // ones it queued); any other turn by its `> ` echo.
  const rows = chat.map((l) => l.replace(/█/g, '').trim());
  const labelled = isQueueRepl(chat) && findEcho(rows, [`[assistant for: ${turn.text}]`]) !== undefined;
  const queueOnly = chat.some((l) => /^next>/.test(l.trim()));
  return labelled || queueOnly ? readQueueTurn(chat, turn) : readNexTurn(chat, turn, PROMPT_ONLY);
}

// `> ` or, late May, `next> `.
const PROMPT_ONLY = /^(next)?>\s*█?\s*$/;

export function detectNexTmux(lines: readonly string[], turn: TurnContext): TurnObservation {
  const panel = chatPanelLines(lines);
  const chat = panel ?? [];
  const obs = { ...readNexTmuxTurn(chat, turn), panic: panel ? undefined : findPanic(lines) };
  if (obs.chatGone || obs.chatVisible) return obs;
  const status = lines.find((l) => DISCONNECTED.test(l));
  return status ? { ...obs, chatGone: status.replace(/^.*?(Chat \d+ \(\.chat-\d+\) • disconnected •[^│]*).*$/, '$1').trim() } : obs;
}
