import { describe, expect, it } from 'vitest';
import { decide } from '../../src/smoke/turn-tracker.js';
import { claudePaneReady, detectClaudePane } from '../../src/wg/surfaces/claude-pane.js';

// Interactive claude 2.1.332 in wg's chat pane (workgraph 5422563c, `wg init -x claude`), rows as
// seen on the real screen (runs of 2026-12-01).

const pane = (...rows: string[]): string[] => [
  ' 2 tasks (0 done, 1 open, 1 active) | LIVE',
  `${' '.repeat(14)}┌${'─'.repeat(60)}┐`,
  `${' '.repeat(14)}│ 0:Chat │ 1:Detail │ 2:Agency │${' '.repeat(30)}│`,
  `${' '.repeat(14)}│  ◉ coord:1 ● ✕ [+]${' '.repeat(41)}│`,
  ...[' ▐▛███▛█   Claude Code v2.1.332', '▝▜██████▀  Opus 5.5 · API Usage Billing', ' ▝▝   ▝▝   /tmp/wg-tui-e2e-r5PSXj', '', ...rows].map(
    (r) => `${' '.repeat(14)}│${r.padEnd(60)}│`,
  ),
  `${' '.repeat(14)}│${'─'.repeat(20)} wg-tui-e2e-r5PSXj-coordinator-1 ${'─'.repeat(7)}│`,
  `${' '.repeat(14)}│❯${' '.repeat(59)}│`,
  `${' '.repeat(14)}│${'─'.repeat(60)}│`,
  `${' '.repeat(14)}│  ⏵⏵ bypass permissions on (shift+tab to cycle)${' '.repeat(13)}│`,
  `${' '.repeat(14)}│ Ctrl+T: leave PTY  PgUp/Dn: scroll${' '.repeat(25)}│`,
  `${' '.repeat(14)}└${'─'.repeat(60)}┘`,
];

describe('claude in the chat pane', () => {
  it('is ready when its input box is drawn under the banner (the box names the session)', () => {
    expect(claudePaneReady(pane())).toBe(true);
    expect(claudePaneReady(pane('✶ Thinking… (esc to interrupt)'))).toBe(false);
  });

  it('reads a finished turn: echo, reply, the done line, the empty box', () => {
    const obs = detectClaudePane(pane('❯ hi', '', '● Hello! 👋 How can I help you today?', '', '✻ Brewed for 0s · done 11:57 PM'), { text: 'hi', index: 1 });
    expect(obs).toMatchObject({ echoed: true, busy: false, ended: true, reply: 'Hello! 👋 How can I help you today?', promptBack: true });
    expect(decide(obs, 0)?.verdict).toBe('replied');
  });

  it('is not over while claude works, even with a reply begun', () => {
    const obs = detectClaudePane(pane('❯ hi', '', '● Hello! 👋 How', '', '✶ Brewing… (esc to interrupt)'), { text: 'hi', index: 1 });
    expect(obs).toMatchObject({ busy: true, ended: false });
  });

  it("reads claude's API error line as an error, and the assistant quoting one as its reply", () => {
    const failed = detectClaudePane(pane('❯ hi', '', '  ⎿  API Error: 500 {"type":"error","error":{"type":"api_error"}}', '✻ Brewed for 3s'), {
      text: 'hi',
      index: 1,
    });
    expect(decide(failed, 0)?.verdict).toBe('error-shown');
    const quoting = detectClaudePane(pane('❯ what is API Error: 500?', '', '● API Error: 500 means the server failed.', '', '✻ Brewed for 1s · done'), {
      text: 'what is API Error: 500?',
      index: 1,
      assistantText: 'API Error: 500 means the server failed.',
    });
    expect(decide(quoting, 0)?.verdict).toBe('replied');
  });
});
