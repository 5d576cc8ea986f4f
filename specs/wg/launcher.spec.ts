import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { piChatFailure } from '../../src/wg/surfaces/pi.js';
import { chatTabs, commandModeKey, launcherError, selectedRow } from '../../src/wg/frame.js';

// Two real screens where a Pi chat did not start: the New chat launcher's own refusal (after a
// plain `wg init`, July) and the death panel of a Pi chat made through `+ Add new...` (late June).
// Each must read as wg's verdict on the chat (chat-failed with wg's words), never as a timeout.

const screen = (path: string): string[] => readFileSync(new URL(`../../snapshots/real-wg/${path}`, import.meta.url), 'utf8').split('\n');

describe('the New chat launcher', () => {
  it("reads the launcher's refusal, with wg's error code, off 1d1e4152's screen", () => {
    const lines = screen('wg-1d1e4152/pi-local-plain/open-failed.txt');
    expect(launcherError(lines)).toBe('Error: error[WG-EXEC-UNSELECTED]: no LLM execution system has been selected.');
    expect(selectedRow(lines)).toMatch(/^pi\s+Pi \(pi\.dev\)$/);
  });

  it('finds no refusal on a launcher that has none, nor on a chat pane', () => {
    expect(launcherError(screen('wg-1794768d/pi-local/open-failed.txt'))).toBeUndefined();
    expect(launcherError(['│  ⚠ Error: something │'.replace('│  ', 'x')])).toBeUndefined();
  });

  it("reads late June's dead Pi chat as failed, with the command wg ran", () => {
    const failure = piChatFailure(screen('wg-1794768d/pi-local/open-failed.txt'));
    expect(failure).toMatch(/Chat agent died/);
    expect(failure).toMatch(/Executor: +pi/);
  });
});

// May 2026 after a plain init (39509fca): the chat made in the launcher opens behind the dead
// implicit one, and a person brings it forward with Ctrl+T, then its digit. The tab bar says
// which chat is in front; a wrong reading would type into the dead chat or never switch.
describe('the chat tab bar', () => {
  it('reads the launched chat as a background tab, and as the one in front once switched', () => {
    expect(chatTabs(screen('wg-39509fca/nex-local-plain/screens/launched-behind.txt'))).toEqual([
      { key: '1', shown: true, label: '.chat-0' },
      { key: '2', shown: false, label: '.chat-1' },
    ]);
    expect(chatTabs(screen('wg-39509fca/nex-local-plain/screens/brought-forward.txt'))).toEqual([
      { key: '1', shown: false, label: '.chat-0' },
      { key: '2', shown: true, label: '.chat-1' },
    ]);
  });

  it("finds no chat tabs where there are none (`[+]` only), nor the launcher's own ◉ rows", () => {
    expect(chatTabs(screen('wg-58380883/nex-local-plain/screens/inactive.txt'))).toEqual([]);
    expect(chatTabs(['│ [+]   │', '│   ◉ codex:gpt-5.5   OpenAI Codex CLI │'])).toEqual([]);
  });
});

describe("the pane's command-mode key", () => {
  it('reads it off the hint row: Ctrl+T in May, Ctrl+O in July (a wrong key types into the chat or does nothing)', () => {
    expect(commandModeKey(screen('wg-39509fca/nex-local-plain/screens/launched-behind.txt'))).toBe('Ctrl+T');
    expect(commandModeKey(screen('wg-58380883/pi-local/screens/ctrl-o-died.txt'))).toBe('Ctrl+O');
  });
});
