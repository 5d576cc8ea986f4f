import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { piChatFailure } from '../../src/wg/detectors/pi-tmux.js';
import { launcherError, selectedRow } from '../../src/wg/drivers/launcher.js';

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
