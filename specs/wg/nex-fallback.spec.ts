import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectNexTmux } from '../../src/wg/surfaces/nex-tmux.js';
import { decide } from '../../src/smoke/turn-tracker.js';
import { chatSurface } from '../../src/wg/generations/nex-pane.js';

// Which chat surface the Chat tab shows (the nex pane or the composer), and the nex-in-tmux
// chat's disconnect, read off real screens.

const screen = (path: string): string[] => readFileSync(new URL(`../../snapshots/real-wg/${path}`, import.meta.url), 'utf8').split('\n');

describe('chat surface of the nex-pane generation', () => {
  it('sees the nex pane ready on the April build', () => {
    expect(chatSurface(screen('workgraph-5422563c/nex-local/msg-1-after.txt'))).toBe('pane');
  });
  it('sees the composer on the composer build', () => {
    expect(chatSurface(screen('wg-bc1dbece/nex-local/msg-1-before.txt'))).toBe('composer');
  });
  it('sees neither on the Pi build', () => {
    expect(chatSurface(screen('wg-b0892ea7/nex-local/msg-1-before.txt'))).toBe('none');
  });
});

describe('nex in tmux', () => {
  const row = (text: string) => `${' '.repeat(53)}│${text.padEnd(100)}│`;
  const disconnected = [
    ' 1 tasks (0 done, 0 open, 1 active) | LIVE',
    `${' '.repeat(53)}┌${'─'.repeat(100)}┐`,
    row(' 0:Chat │ 1:Detail │ 2:Agency │ 3:Config │'),
    row(' [ New chat ]'),
    row('[‹] [›] [Chats] [Close…] Chat 0 (.chat-0) • disconnected • route nex / nex:qwen3-coder'),
    row('tester: what can you help me with?'),
    row('↯↯↯↯↯ 0s'),
    `${' '.repeat(53)}└${'─'.repeat(100)}┘`,
  ];
  it('reads a disconnected chat (tmux client lost its tty) as the pane gone', () => {
    const obs = detectNexTmux(disconnected, { text: 'hi', index: 1 });
    expect(obs.chatGone).toMatch(/^Chat 0 \(\.chat-0\) • disconnected •/);
    expect(decide(obs, 0)?.verdict).toBe('pane-died');
  });
  it('reads the connected REPL as the April pane does', () => {
    const obs = detectNexTmux(screen('wg-b66be5d3/nex-local/msg-5-after.txt'), { text: 'thanks, bye', index: 5 });
    expect(obs).toMatchObject({ chatGone: undefined, echoed: true, ended: true, reply: 'Reply 5 to: thanks, bye' });
  });
});

describe("late May's queueing nex REPL (4ad9da75)", () => {
  it('reads each labelled reply on a real screen, the last one ended by the empty `next> ` prompt', () => {
    const lines = screen('wg-4ad9da75/nex-local/msg-5-after.txt');
    const last = detectNexTmux(lines, { text: 'thanks, bye', index: 5 });
    expect(last).toMatchObject({ echoed: true, ended: true, reply: 'Reply 5 to: thanks, bye' });
    expect(decide(last, 0)?.verdict).toBe('replied');
    expect(detectNexTmux(lines, { text: 'hi', index: 1 }).reply).toBe('Reply 1 to: hi');
  });
  it('is not over while only the echo and the `next> ` prompt show (no label yet)', () => {
    const row = (text: string) => `${' '.repeat(53)}│${text.padEnd(100)}│`;
    const lines = [
      ' 1 tasks',
      `${' '.repeat(53)}┌${'─'.repeat(100)}┐`,
      row(' 0:Chat │ 1:Detail │'),
      row('  [1] ◉ .chat-0 ✕ [+]'),
      row('wg nex — interactive session with qwen3-coder'),
      row('> hi'),
      row('next> █'),
      `${' '.repeat(53)}└${'─'.repeat(100)}┘`,
    ];
    const obs = detectNexTmux(lines, { text: 'hi', index: 1 });
    expect(obs).toMatchObject({ echoed: true, ended: false });
    expect(decide(obs, 0)).toBeUndefined();
  });
});
