import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectNexTmux } from '../../src/wg/detectors/nex-tmux.js';

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
});
