import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { replayCast } from '../../src/terminal/index.js';
import { describe, expect, it } from 'vitest';
import { detectNexTmux } from '../../src/wg/surfaces/nex-tmux.js';
import { nexPaneReady } from '../../src/wg/surfaces/nex-pane.js';
import { chatPanelLines } from '../../src/wg/frame.js';
import { paneObserved } from '../../src/wg/frame.js';

// July's wg (graphwork/wg 1d1e4152) draws a key-hint row under the nex pane's prompt
// (` Chat input • Ctrl+O commands • tap New chat`). Read as the chat's last row, it hid the prompt:
// a tall reply's turn never looked over, its history was never read, and the message was a false
// no-reply (the cause line said `harness`). The screen is the real one of that run.

const screen = readFileSync(new URL('../../snapshots/real-wg/wg-1d1e4152/nex-local-corpus/msg-2-after.txt', import.meta.url), 'utf8').split('\n');

describe('nex-in-tmux detector on July’s pane', () => {
  it('sees the prompt back under a tall reply whose message scrolled away, the hint row aside', () => {
    const obs = detectNexTmux(screen, { text: 'what can you help me with?', index: 2 });
    expect(screen.some((l) => /Chat input • Ctrl\+O commands/.test(l))).toBe(true);
    expect(obs).toMatchObject({ chatVisible: true, echoed: false, busy: false, promptBack: true });
  });

  it("sees the prompt back on late June's pane too, whose hint row is ` [PTY]  Ctrl+O: command mode  PgUp/Dn: scroll`", () => {
    // graphwork/wg 1794768d (2026-06-24), found by the 40-build sweep: the same false no-reply, another hint row.
    const june = readFileSync(new URL('../../snapshots/real-wg/wg-1794768d/nex-local/msg-2-after.txt', import.meta.url), 'utf8').split('\n');
    expect(june.some((l) => /\[PTY\]\s+Ctrl\+O: command mode\s+PgUp\/Dn: scroll/.test(l))).toBe(true);
    expect(detectNexTmux(june, { text: 'what can you help me with?', index: 2 })).toMatchObject({ chatVisible: true, busy: false, promptBack: true });
  });

  it("finds the chat panel under late July's header, which has no tab row and no right border (` Chat ▾  .chat-0  ● connected …`)", () => {
    // graphwork/wg d6bbb4c7 (2026-07-22), found by the 40-build sweep: the pane was never seen ready (setup failed).
    const header = readFileSync(new URL('../../snapshots/real-wg/wg-d6bbb4c7/nex-local/open-failed.txt', import.meta.url), 'utf8').split('\n');
    expect(header.some((l) => /0:Chat/.test(l))).toBe(false);
    expect(chatPanelLines(header)?.slice(0, 3)).toEqual(['wg nex — interactive session with qwen3-coder', '', '> █']);
    expect(nexPaneReady(header, /^(next)?>\s*█?\s*$/)).toBe(true);
  });

  it("reads July's working prompt (`↯ prefilling…`, `↯ thinking… N tokens`) as busy, not as the reply's first glyph", async () => {
    const cast = gunzipSync(readFileSync(new URL('../../snapshots/real-wg/wg-1d1e4152/nex-local-corpus/session.cast.gz', import.meta.url))).toString('utf8');
    let typed = false;
    let sawWorking = false;
    let firstReply: string | undefined;
    for await (const frame of replayCast(cast)) {
      if (frame.markers.some((m) => m.startsWith('msg-1 '))) typed = true;
      if (!typed) continue;
      if (frame.screen.lines.some((l) => /↯ (prefilling…|thinking… \d+ tokens)/.test(l))) {
        sawWorking = true;
        expect(detectNexTmux(frame.screen.lines, { text: 'hi', index: 1 }).busy).toBe(true);
      }
      firstReply = detectNexTmux(frame.screen.lines, { text: 'hi', index: 1 }).reply || undefined;
      if (firstReply) break;
    }
    expect(sawWorking).toBe(true);
    expect(firstReply).toMatch(/^Hello! 👋/);
  });
});

// 1d1e4152 with two runs at once: the pane drawn ready, but the TUI only observes it (the daemon's
// handler kept the session lock), so typed keys drive the TUI. The status row tells the two apart.
describe("July's pane that does not take keys", () => {
  const screen = (name: string) => readFileSync(new URL(`../../snapshots/real-wg/wg-1d1e4152/nex-local/screens/${name}`, import.meta.url), 'utf8').split('\n');
  it('reads status NAV under a ready pane as observed, and status PTY as taking keys', () => {
    expect(chatPanelLines(screen('observed.txt'))?.some((l) => l.trim() === '> █')).toBe(true);
    expect(paneObserved(screen('observed.txt'))).toBe(true);
    expect(paneObserved(screen('takes-keys.txt'))).toBe(false);
  });
});

// June's REPL (583244ef, 06-24) holds a submitted line at the prompt until the next keys arrive;
// the next message then shows as a queued `↯ <text>` line (drawn inside the earlier reply) and is
// answered under `[assistant for: …]`, with the `> ` prompt back. The held message is wg's failure;
// the ones after it are replies.
describe("June's REPL after a held line", () => {
  const junes = (name: string) => readFileSync(new URL(`../../snapshots/real-wg/wg-583244ef/nex-local/screens/${name}`, import.meta.url), 'utf8').split('\n');

  it('the held message: its echo with the cursor still on it, no reply, not over', () => {
    const obs = detectNexTmux(junes('held-line-msg-3-after.txt'), { text: 'tell me a short joke', index: 3 });
    expect(obs.echoed).toBe(true);
    expect(obs.reply).toBe('');
    expect(obs.ended).toBe(false);
  });

  it('the queued message: echoed as `↯ …`, answered under its label, over once `> ` is back', () => {
    const obs = detectNexTmux(junes('queued-line-msg-4-after.txt'), { text: 'what was my first message?', index: 4 });
    expect(obs.echoed).toBe(true);
    expect(obs.reply).toBe('Your first message in this conversation was: "hi". You have sent 4 messages so far.');
    expect(obs.ended).toBe(true);
  });

  it('the next message, typed at `> ` again, read by its echo', () => {
    const obs = detectNexTmux(junes('after-queue-msg-5-after.txt'), { text: 'thanks, bye', index: 5 });
    expect(obs.reply).toBe("You're welcome! Good luck with the project — come back any time. 👋");
    expect(obs.ended).toBe(true);
  });
});
