import { describe, expect, it } from 'vitest';
import { decide } from '../../src/smoke/turn-tracker.js';
import { detectPiTmux, piReady } from '../../src/wg/surfaces/pi.js';

// Screens of today's wg chat (Pi in tmux in the TUI's right pane), built from the real strings seen
// on graphwork/wg b0892ea7 with Pi 0.80.6: see snapshots/real-wg/wg-b0892ea7 for a whole session.

const LEFT = '(no tasks to display)'.padEnd(52);
const pane = (...rows: string[]): string[] => [
  `${LEFT}│root@vm:/tmp/proj  ↯  ⌁  ⌂  ⌕  ⌘  ?  ⋮  ⊞  Chat input · Ctrl+O commands · Chat 0   ○0/8`,
  ...rows.map((r) => `${' '.repeat(52)}│${r}`),
  `${' '.repeat(52)}│${'─'.repeat(60)}`,
  `${' '.repeat(52)}│`,
  `${' '.repeat(52)}│${'─'.repeat(60)}`,
  `${' '.repeat(52)}│/tmp/proj`,
  `${' '.repeat(52)}│↑10 ↓4 0.0%/128k (auto)                                   qwen3-coder`,
];
const turn = { text: 'hi', index: 1 };

describe('Pi-in-tmux detector', () => {
  it('sees Pi ready only with its editor rules and footer', () => {
    expect(piReady(pane(' pi v0.80.6'))).toBe(true);
    expect(piReady([`${LEFT}│x`, `${' '.repeat(52)}│ Loading Chat 0 (.chat-0)…`])).toBe(false);
  });

  it('is busy while the spinner shows, even with reply text', () => {
    const obs = detectPiTmux(pane(' hi', '', ' Reply', '', ' ⠹ Working...'), turn);
    expect(obs).toMatchObject({ echoed: true, busy: true, ended: false, reply: 'Reply' });
    expect(decide(obs, 0)).toBeUndefined();
  });

  it('decides replied when the spinner is gone after a reply', () => {
    const d = decide(detectPiTmux(pane(' hi', '', ' Reply 1 to: hi'), turn), 0);
    expect(d).toMatchObject({ verdict: 'replied', detail: 'Reply 1 to: hi' });
  });

  it('does not take the text still in the editor for the sent message', () => {
    const lines = pane(' pi v0.80.6');
    lines.splice(-4, 1, `${' '.repeat(52)}│hi`);
    expect(detectPiTmux(lines, turn).echoed).toBe(false);
  });

  it('waits through a retry and reports it, then decides error-shown', () => {
    const retrying = detectPiTmux(pane(' hi', ' Error: Connection error.', ' ⠙ Retrying (1/3) in 2s... (escape to cancel)'), turn);
    expect(retrying).toMatchObject({ busy: true, ended: false, retries: ['1/3'] });
    const done = detectPiTmux(pane(' hi', ' Error: Connection error.', ' Error: Retry failed after 3 attempts: Connection error.'), turn);
    expect(decide(done, 0)).toMatchObject({ verdict: 'error-shown', detail: 'Error: Retry failed after 3 attempts: Connection error. (2 error lines)' });
  });

  it('judges only the latest turn of that text', () => {
    const obs = detectPiTmux(pane(' hi', ' Reply 1 to: hi', ' ok', ' Reply 2 to: ok', ' hi', ' ⠋ Working...'), turn);
    expect(obs).toMatchObject({ busy: true, reply: '' });
  });

  it('reports the death panel as the chat gone', () => {
    const lines = [`${LEFT}│header`, `${' '.repeat(52)}│ Chat agent died `, `${' '.repeat(52)}│  Exit status: 1`];
    expect(decide(detectPiTmux(lines, turn), 0)?.verdict).toBe('pane-died');
  });
});
