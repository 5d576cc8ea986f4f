import { describe, expect, it } from 'vitest';
import { composerDriver } from '../../src/wg/generations/composer.js';
import { nexTmuxDriver } from '../../src/wg/generations/nex-tmux.js';
import { piTmuxDriver } from '../../src/wg/generations/pi-tmux.js';

// What a chat needs on wg's PATH, per chat UI: where the chat is Pi, a machine without `pi` is a
// loud PI SMOKE SKIPPED (this machine's lack), never a FAIL blamed on wg (seen on 2b52e303: wg's own
// "interactive Pi executable `pi` was not found on PATH" read as chat-failed).
describe('which chats run Pi', () => {
  it("today's wg: every chat but claude's", () => {
    expect(piTmuxDriver.runsPi?.('endpoint')).toBe(true);
    expect(piTmuxDriver.runsPi?.('pi')).toBe(true);
    expect(piTmuxDriver.runsPi?.('claude')).toBe(false);
  });

  it('nex in tmux and the composer: their nex and claude chats do not (pi-local checks Pi itself)', () => {
    expect(nexTmuxDriver.runsPi?.('endpoint') ?? false).toBe(false);
    expect(composerDriver.runsPi?.('endpoint') ?? false).toBe(false);
  });
});
