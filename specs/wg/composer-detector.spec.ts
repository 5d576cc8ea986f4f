import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/smoke/turn-tracker.js';
import { composerPanel, detectComposer } from '../../src/wg/surfaces/composer.js';
import { pageShift } from '../../src/wg/surfaces/composer-history.js';

// The composer chat of wg before about 2026-04-23 (graphwork/wg bc1dbece): real screens from
// snapshots/real-wg/wg-bc1dbece, and the same layout with the rows seen in the strict run.

const screen = (file: string): string[] => readFileSync(new URL(`../../snapshots/real-wg/wg-bc1dbece/nex-local/${file}`, import.meta.url), 'utf8').split('\n');
const LEFT = '.coordinator-0  (in-progress) 0s [turn 0]'.padEnd(53);
const chat = (...rows: string[]): string[] => [
  ' 2 tasks (0 done, 1 open, 1 active) | LIVE',
  `${LEFT}┌${'─'.repeat(60)}┐`,
  `${' '.repeat(53)}│ 0:Chat │ 1:Detail │ 2:Log ▼ │ 3:Msg │${' '.repeat(24)}│`,
  `${' '.repeat(53)}│  ◉ coord:0 ⟳ ✕ [+]${' '.repeat(41)}│`,
  ...rows.map((r) => `${' '.repeat(53)}│${r.padEnd(60)}│`),
  `${' '.repeat(53)}│${'─'.repeat(60)}│`,
  `${' '.repeat(53)}│>${' '.repeat(59)}│`,
  `${' '.repeat(53)}└${'─'.repeat(60)}┘`,
];

describe('composer detector', () => {
  it('reads a real screen: the fifth reply, with its `0s ago` stamp stripped', () => {
    const obs = detectComposer(screen('msg-5-after.txt'), { text: 'thanks, bye', index: 5 });
    expect(obs).toMatchObject({ chatVisible: true, echoed: true, busy: false, ended: true, reply: 'Reply 5 to: thanks, bye' });
    expect(decide(obs, 0)?.verdict).toBe('replied');
  });

  it('reads the earlier turns on the same screen as their own replies', () => {
    const obs = detectComposer(screen('msg-5-after.txt'), { text: 'hi', index: 1 });
    expect(obs.reply).toBe('Reply 1 to: hi');
  });

  it('sees the empty chat before anything is typed, without an echo', () => {
    const obs = detectComposer(screen('msg-1-before.txt'), { text: 'hi', index: 1 });
    expect(obs).toMatchObject({ chatVisible: true, echoed: false, ended: false });
  });

  it('is busy, not ended, while the ↯↯↯↯↯ wave shows (the strict run: a 404 the chat never shows)', () => {
    const obs = detectComposer(chat('tester: hi  30s ago  ⋯', '', '↯↯↯↯↯ 30s', '  Ctrl+C to interrupt'), { text: 'hi', index: 1 });
    expect(obs).toMatchObject({ echoed: true, busy: true, ended: false, reply: '' });
    expect(decide(obs, 0)).toBeUndefined();
  });

  it('judges a `⚠ ERROR:` line as error-shown, not a reply', () => {
    const obs = detectComposer(chat('tester: hi  2s ago  #1/1  ✓✓', '', '⚠ ERROR: LLM request failed: API error 404: Not Found'), { text: 'hi', index: 1 });
    expect(decide(obs, 0)).toMatchObject({ verdict: 'error-shown' });
    expect(obs.error).toContain('API error 404');
  });

  it('judges an error delivered as a normal `↯` reply as error-shown', () => {
    const obs = detectComposer(chat('tester: hi  2s ago  ✓✓', '', '↯ Claude chat failed: Not logged in · Please run /login.'), { text: 'hi', index: 1 });
    expect(decide(obs, 0)?.verdict).toBe('error-shown');
  });
});

describe("today's chat view (graphwork/wg a85c6110: the claude: route's chat)", () => {
  const today = (...rows: string[]): string[] => [
    `${'.chat-0  (in-progress · ⌁50) 9s [turn 0]'.padEnd(52)}│root@vm:/tmp/p  ↯  ⌁  ⌂  ⌕  ⌘  ?  ⋮  ⊞  Chat 0`,
    ...rows.map((r) => `${' '.repeat(52)}│${r}`),
    `${' '.repeat(52)}│${'─'.repeat(60)}`,
    `${' '.repeat(52)}│>`,
    `${' '.repeat(52)}│ Chat • Enter send • Esc leave`,
    '',
  ];

  it('reads the right pane under its header and above the key hints (no Chat tab box)', () => {
    const lines = today('tester: hi  2s ago  #1/1', '', '↯ Hello! 👋 How can I help you today?', '  [usage: 3148 input · 9 output · $0.0128]');
    const obs = detectComposer(lines, { text: 'hi', index: 1 });
    expect(obs).toMatchObject({ chatVisible: true, echoed: true, busy: false, ended: true, promptBack: true });
    expect(obs.reply).toMatch(/^Hello! 👋 How can I help you today\?/);
    expect(decide(obs, 0)?.verdict).toBe('replied');
  });

  it('sees no chat on a screen without that header', () => {
    const lines = today('tester: hi  2s ago  #1/1', '↯ Hello!').map((l, i) => (i === 0 ? 'some other program' : l));
    expect(detectComposer(lines, { text: 'hi', index: 1 }).echoed).toBe(false);
  });
});

describe('the composer scrolled back (its history reader)', () => {
  it('finds by how many rows a page moved, and none for a redraw that is not a scroll', () => {
    const before = ['c', 'd', 'e', 'f'];
    expect(pageShift(before, ['a', 'b', 'c', 'd'], 3)).toBe(2);
    expect(pageShift(before, ['b', 'c', 'd', 'e'], 3)).toBe(1);
    expect(pageShift(before, ['x', 'y', 'z', 'w'], 3)).toBeUndefined();
    expect(pageShift(before, ['a', 'b', 'c'], 3)).toBeUndefined();
  });

  it("matches pages below the top row, which today's wg covers with its scroll badge (` ↓43 `)", () => {
    // The old page's top row had the badge over its end; the new page shows that row clean, lower down.
    expect(pageShift(['c (cut)', 'd', 'e', 'f'], ['a (cut)', 'b', 'c', 'd'], 3)).toBe(2);
    expect(pageShift(['c (cut)', 'd', 'e', 'f'], ['a (cut)', 'b', 'c', 'X'], 3)).toBeUndefined();
  });

  it('matches rows whose message age ticked between two pages (`7s ago` → `8s ago`), and nothing else that changed', () => {
    const before = ['x', 'tester: hi     7s ago  #1/3  ✓✓', '↯ Hello!', '           8s ago'];
    expect(pageShift(before, ['w', 'v', 'x', 'tester: hi     8s ago  #1/3  ✓✓'], 3)).toBe(2);
    expect(pageShift(before, ['w', 'v', 'x', 'tester: ho     8s ago  #1/3  ✓✓'], 3)).toBeUndefined();
  });

  it("drops ratatui's scrollbar column from the messages, not from the composer", () => {
    const rows = ['text one', 'text two', 'text three', 'text four'];
    const bars = ['▲', '█', '║', '▼'];
    const screen = chat(...rows.map((r, i) => `${r.padEnd(59)}${bars[i]}`));
    const panel = composerPanel(screen) ?? [];
    expect(panel.slice(0, 4)).toEqual(rows);
    expect(panel.at(-1)).toBe('>');
    // One ▼ at a row's end is a glyph of the text, not a scrollbar.
    expect(composerPanel(chat('look down ▼'))?.[0]).toBe('look down ▼');
  });

  it('does not call a turn over while the coordinator bar shows ⟳, even with no wave drawn', () => {
    const working = chat('tester: hi  1s ago  ✓', '', '↯ Hello, the first rows of a longer reply');
    const lines = working.map((l) => l.replace('◉ coord:0 ⟳', '◉ coord:0 ●'));
    expect(lines.join('\n')).toContain('● ✕');
    expect(detectComposer(lines, { text: 'hi', index: 1 })).toMatchObject({ ended: true, promptBack: true });
    expect(detectComposer(working, { text: 'hi', index: 1 })).toMatchObject({ ended: false, busy: true, promptBack: false });
  });
});
