import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectComposerFedPane } from '../../src/wg/surfaces/composer-fed-pane.js';

// Late April's pane fed from the composer (0a373f15): the reply has no echo above it, so the turn is
// what the pane gained since the screen before the message. Its error is nex's exit report, whose
// head may have scrolled off: the backtrace frames left on screen are wg's, never a reply.

const screen = (name: string): string[] =>
  readFileSync(new URL(`../../snapshots/real-wg/workgraph-0a373f15/nex-local-hint-row/${name}`, import.meta.url), 'utf8').split('\n');

describe("the composer-fed pane's turn", () => {
  it("reads nex's backtrace after a refused request (strict endpoint) as wg's error, not as a reply", () => {
    const obs = detectComposerFedPane(screen('screens/strict-msg-1-after.txt'), { text: 'hi', index: 1, before: screen('screens/strict-msg-1-before.txt') });
    expect(obs.reply).toBe('');
    expect(obs.error).toMatch(/^\d+: wg::main/);
    expect(obs.ended).toBe(true);
  });

  it('has nothing for the turn on the screen before it', () => {
    const before = screen('msg-1-before.txt');
    const obs = detectComposerFedPane(before, { text: 'hi', index: 1, before });
    expect(obs.reply).toBe('');
    expect(obs.ended).toBe(false);
  });
});
