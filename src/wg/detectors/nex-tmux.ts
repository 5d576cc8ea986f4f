import { detectNexPane } from './nex-pane.js';
import type { TurnContext, TurnObservation } from './observation.js';

// The `wg nex` REPL behind tmux (graphwork/wg, about May to July 2026) draws as the April pane
// does, so detectNexPane reads it. What is new is the chat's status line above the pane,
// `Chat 0 (.chat-0) • connected • route …`: when the tmux client loses its terminal (`[lost tty]`)
// it reads `• disconnected •`, the pane is gone and the tab falls back to the inbox view.

const DISCONNECTED = /\(\.chat-\d+\) • disconnected •/;

export function detectNexTmux(lines: readonly string[], turn: TurnContext): TurnObservation {
  const obs = detectNexPane(lines, turn);
  if (obs.chatGone || obs.chatVisible) return obs;
  const status = lines.find((l) => DISCONNECTED.test(l));
  return status ? { ...obs, chatGone: status.replace(/^.*?(Chat \d+ \(\.chat-\d+\) • disconnected •[^│]*).*$/, '$1').trim() } : obs;
}
