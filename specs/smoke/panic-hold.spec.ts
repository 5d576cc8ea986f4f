import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PANIC_HOLD_MS, TurnTracker } from '../../src/smoke/turn-tracker.js';
import { detectNexTmux } from '../../src/wg/surfaces/nex-tmux.js';

// A panic is text that stays: wg's panic hook prints it and it remains. Two real screens of wg
// eb231066 around a resize in a streamed reply (snapshots/real-wg/wg-eb231066/resize/): the first
// frame after the resize shows the reply's own words about a panic outside any chat frame, and wg's
// full redraw replaces it 33 ms later. That frame is no verdict; the same text held is.

const screen = (name: string): string[] =>
  readFileSync(fileURLToPath(new URL(`../../snapshots/real-wg/wg-eb231066/resize/${name}.txt`, import.meta.url)), 'utf8').split('\n');
const transient = screen('transient');
const redrawn = screen('redrawn');
const turn = { text: 'what can you help me with?', index: 2 };

describe('panic text on screen', () => {
  it('the frame drawn across the resize reads as panic text outside the chat (the hazard itself)', () => {
    expect(detectNexTmux(transient, turn).panic).toMatch(/panicked at/);
    expect(detectNexTmux(redrawn, turn).panic).toBeUndefined();
  });

  it('is no verdict when wg redraws over it within the hold, and the turn goes on', () => {
    const tracker = new TurnTracker(detectNexTmux, turn);
    expect(tracker.feed(transient, 39_095)).toBeUndefined();
    expect(tracker.panicPending).toBe(true);
    expect(tracker.feed(redrawn, 39_128)).toBeUndefined();
    expect(tracker.panicPending).toBe(false);
    // Seen again later, the hold starts over.
    expect(tracker.feed(transient, 40_000)).toBeUndefined();
  });

  it('is tui-panicked once it has stayed PANIC_HOLD_MS', () => {
    const tracker = new TurnTracker(detectNexTmux, turn);
    expect(tracker.feed(transient, 1_000)).toBeUndefined();
    expect(tracker.feed(transient, 1_000 + PANIC_HOLD_MS - 1)).toBeUndefined();
    expect(tracker.feed(transient, 1_000 + PANIC_HOLD_MS)).toMatchObject({ verdict: 'tui-panicked', at: 1_000 + PANIC_HOLD_MS });
  });
});
