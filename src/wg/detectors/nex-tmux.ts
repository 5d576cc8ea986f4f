import { chatPanelLines, detectNexPane } from './nex-pane.js';
import { findPanic, joinBlock, lastIndex, type TurnContext, type TurnObservation } from './observation.js';

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
const NEXT_PROMPT_ONLY = /^next>\s*█?\s*$/;

function detectQueueRepl(lines: readonly string[], chat: string[], turn: TurnContext): TurnObservation {
  const firstLine = turn.text.split('\n')[0]?.trim() ?? '';
  const rows = chat.map((l) => l.trim());
  const echoed = rows.some((l) => l === `> ${firstLine}` || l === `next> ${firstLine}`);
  const labelRow = lastIndex(rows, (l) => LABEL.exec(l)?.[1]?.trim() === firstLine);
  const block: string[] = [];
  let promptAfter = false;
  if (labelRow >= 0) {
    for (const l of rows.slice(labelRow + 1)) {
      if (NEXT_PROMPT_ONLY.test(l)) {
        promptAfter = true;
        break;
      }
      if (LABEL.test(l) || /^next> /.test(l) || /^> /.test(l)) break;
      block.push(l.replace(/█/g, ''));
    }
    // A later message's label or echo before the prompt: find the prompt further down.
    if (!promptAfter) promptAfter = rows.slice(labelRow + 1).some((l) => NEXT_PROMPT_ONLY.test(l));
  }
  const errors = block.filter((l) => ERROR_LINE.test(l));
  const reply = joinBlock(block.filter((l) => !ERROR_LINE.test(l) && !/^\[(openai-client|nex|native-agent)\]/.test(l)));
  const panic = findPanic(lines);
  return {
    chatVisible: rows.some((l) => BANNER.test(l)),
    chatGone: undefined,
    echoed,
    reply,
    busy: false,
    ended: labelRow >= 0 && promptAfter && (reply.length > 0 || errors.length > 0),
    error: errors.length > 0 ? joinBlock(errors) : undefined,
    retries: [],
    panic,
  };
}

const BANNER = /wg nex — interactive session with/;
const ERROR_LINE = /LLM request failed|Error: API request failed|Fatal authentication error|API error \d{3}|^Error:|session lock busy/;

/** True when the pane runs late May's queueing REPL (`next> ` prompt or `[assistant for: …]` labels). */
export const isQueueRepl = (chat: readonly string[]): boolean => chat.some((l) => /^next>/.test(l.trim()) || LABEL.test(l.trim()));

export function detectNexTmux(lines: readonly string[], turn: TurnContext): TurnObservation {
  const chat = chatPanelLines(lines) ?? [];
  const obs = isQueueRepl(chat) ? detectQueueRepl(lines, chat, turn) : detectNexPane(lines, turn);
  if (obs.chatGone || obs.chatVisible) return obs;
  const status = lines.find((l) => DISCONNECTED.test(l));
  return status ? { ...obs, chatGone: status.replace(/^.*?(Chat \d+ \(\.chat-\d+\) • disconnected •[^│]*).*$/, '$1').trim() } : obs;
}
