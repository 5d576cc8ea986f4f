import { describe, expect, it } from 'vitest';
import { ptyBackendName } from '../../src/terminal/index.js';
import { bash, fixture, T } from './helpers.js';

describe('TerminalSession with bash', () => {
  it('types a command and sees its output after it is parsed', async () => {
    const s = await bash();
    await s.type('echo $((6*7))X\r');
    const screen = await s.waitForText(/^42X$/m, { timeoutMs: T });
    expect(screen.lines).toContain('42X');
    expect(['node-pty', '@lydell/node-pty']).toContain(ptyBackendName());
  });

  it('runs the program with TERM=xterm-256color, COLORTERM=truecolor and the requested size', async () => {
    const s = await bash({ cols: 90, rows: 30 });
    await s.type('echo "T=$TERM C=$COLORTERM S=$(stty size)"\r');
    await s.waitForText('T=xterm-256color C=truecolor S=30 90', { timeoutMs: T });
    expect(s.screen().cols).toBe(90);
    expect(s.screen().rows).toBe(30);
  });

  it('resizes pty and emulator together', async () => {
    const s = await bash();
    s.resize(100, 20);
    await s.type('echo "S=$(stty size)"\r');
    await s.waitForText('S=20 100', { timeoutMs: T });
    expect(s.screen().cols).toBe(100);
    expect(s.cast.toString()).toContain('"r","100x20"');
  });

  it('reports the exit code once the last output is on screen', async () => {
    const s = await bash();
    await s.type('echo last-words; exit 5\r');
    const exit = await s.waitForExit({ timeoutMs: T });
    expect(exit.exitCode).toBe(5);
    expect(s.exitInfo).toEqual(exit);
    expect(await s.exited).toEqual(exit);
    expect(s.screen().text).toMatch(/^last-words$/m);
  });

  it('writing to an exited program is a no-op for write() and a clear error for type/press', async () => {
    const s = await fixture('exit-now.mjs');
    await s.waitForExit({ timeoutMs: T });
    expect(s.write('hello')).toBe(false);
    await expect(s.type('x')).rejects.toMatchObject({ name: 'SessionClosedError' });
    await expect(s.press('Enter')).rejects.toThrow(/already exited/);
  });
});

describe('terminal queries', () => {
  it('answers CSI 6n so a TUI that waits for it draws, and logs query and answer', async () => {
    const s = await fixture('tui.mjs', ['--kitty']);
    await s.waitForText('READY', { timeoutMs: T });
    const cpr = s.queries.find((q) => q.kind === 'DSR cursor position');
    expect(cpr).toMatchObject({ query: '\\x1b[6n', answered: true, answer: '\\x1b[1;1R' });
    expect(cpr!.at).toBeGreaterThanOrEqual(0);
  });

  it('logs a query xterm does not answer (kitty CSI ? u) as unanswered', async () => {
    const s = await fixture('tui.mjs', ['--kitty']);
    await s.waitForText('READY', { timeoutMs: T });
    const kitty = s.queries.find((q) => q.kind === 'kitty keyboard flags');
    expect(kitty).toMatchObject({ query: '\\x1b[?u', answered: false, answer: undefined });
  });

  it('logs DA1 and DECRQM answers from bash printf', async () => {
    const s = await bash();
    await s.type("printf '\\e[c\\e[?2004$p'; sleep 0.2; echo; echo QDONE\r");
    await s.waitForText(/^QDONE$/m, { timeoutMs: T });
    const kinds = s.queries.map((q) => [q.kind, q.answered]);
    expect(kinds).toContainEqual(['DA1 primary attributes', true]);
    expect(kinds).toContainEqual(['DECRQM ?2004', true]);
  });
});

describe('Unicode 11 widths', () => {
  it('puts the character after an emoji or CJK pair in the column ratatui expects', async () => {
    const s = await fixture('tui.mjs');
    const screen = await s.waitForText('READY', { timeoutMs: T });
    expect(screen.find('|A')).toMatchObject({ row: 4, col: 2 });
    expect(screen.find('|B')).toMatchObject({ row: 5, col: 4 });
    // Cells 2–5: on row 4 the emoji ended at col 1; on row 5 '本' fills cols 2–3.
    expect(screen.region({ top: 4, bottom: 5, left: 2, right: 5 })).toBe('|A\n本|B');
    expect(screen.altScreen).toBe(true);
  });
});
