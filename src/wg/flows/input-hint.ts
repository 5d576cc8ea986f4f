import type { TerminalSession } from '../../terminal/index.js';
import { timeoutAsUndefined } from '../../terminal/index.js';
import { composerChatPanel, composerInput } from '../surfaces/composer.js';
import { detectComposerFedPane, readComposerFedHistory } from '../surfaces/composer-fed-pane.js';
import { composerHandle } from '../surfaces/composer-open.js';
import { tuiDump } from '../tui-dump.js';
import type { ChatHandle, DriverContext } from '../types.js';

// A person who types into a chat and sees nothing appear reads the screen's own instructions: the
// hint row under the chat, the key legend in the status bar. wg names the key that opens chat input
// there (` Enter: chat  ↑↓: scroll  Ctrl+T: focus PTY` under a late-April pane that does not take
// keys, ` c: chat` over the composer view, `Press 'c' or ':' to start typing.`). One rule for every
// generation: the key bound to "chat" first, then the one that starts typing, then a focus key.

export interface InputHint {
  key: string;
  /** The hint as wg wrote it, for the finding. */
  words: string;
}

const HINTS: ReadonlyArray<RegExp> = [
  /(?:^|[\s│])(Enter|[a-z]|Ctrl\+[A-Z]):\s*chat\b/,
  /Press '(.)'(?: or '.')? to start typing/,
  /(?:^|[\s│])(Ctrl\+[A-Z]):\s*focus PTY\b/,
];

/** The key a screen's hints name for opening chat input, or undefined where none does. */
export function chatInputHint(lines: readonly string[]): InputHint | undefined {
  for (const hint of HINTS) {
    for (const line of lines) {
      const m = hint.exec(line);
      if (m) return { key: m[1] as string, words: m[0].replace(/^[\s│]+/, '').trim() };
    }
  }
  return undefined;
}

/** The composer's input is open under the chat: its rule, then the `>` input row. */
export const composerInputOpen = (lines: readonly string[]): boolean => composerInput(composerChatPanel(lines) ?? []) !== undefined;

const CHANGE_MS = 3_000;

/**
 * Follows the screen's hint for opening chat input, after the chat did not take what was typed.
 * Returns the chat's surface from then on (the composer where the key opened it; the same chat
 * where it only moved the focus), or undefined where the screen names no such key.
 */
export async function followInputHint(session: TerminalSession, ctx: DriverContext, current: ChatHandle, typed: string): Promise<ChatHandle | undefined> {
  const hint = chatInputHint(session.screen().lines);
  if (!hint) return undefined;
  await session.press(hint.key);
  // The composer, where the key opens one, within CHANGE_MS: the first frame after the key can be
  // drawn before it (seen under load), and reading that one would type the message into the pane
  // that takes no keys again. A key that only moves the focus opens none, and costs the wait.
  const composer =
    (await session
      .waitFor((s) => composerInputOpen(s.lines) || undefined, { timeoutMs: CHANGE_MS, phase: `the composer after ${hint.key} (${hint.words})` })
      .catch(timeoutAsUndefined)) === true;
  ctx.finding(
    `the chat did not take what was typed ("${typed.slice(0, 40)}" never appeared); wg's hint reads "${hint.words}": pressed ${hint.key}, as a person would${composer ? ', which opened the composer: the messages go through it' : ''}, and typed the message again`,
  );
  if (!composer) return current;
  // The composer may feed a pane that draws the reply with no echo (nex `--chat`), or show its own view.
  const handle = await composerHandle(session, ctx, await tuiDump(ctx));
  // Its history: the pane's own output, where the chat had one (wg's pty dump), read by position.
  const history = current.history ? { read: current.history.read, detector: readComposerFedHistory } : handle.history;
  return { ...handle, detector: detectComposerFedPane, ...(history ? { history } : {}) };
}
