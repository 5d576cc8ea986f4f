import { describe, expect, it } from 'vitest';
import { WaitError, formatWaitMessage, heldFor } from '../../src/terminal/index.js';
import { bash, fixture, T } from './helpers.js';

describe('waits', () => {
  it('checks once synchronously: a condition that already holds resolves with the check value', async () => {
    const s = await bash();
    const before = s.screen().seq;
    const value = await s.waitFor((sc) => sc.find('PROMPT')?.col, { timeoutMs: 0 });
    expect(value).toBe(0);
    expect(s.screen().seq).toBe(before);
  });

  it('rejects with reason timeout, elapsed, budget, phase and the screen', async () => {
    const s = await fixture('silent.mjs');
    const err = (await s.waitForText('never', { timeoutMs: 200, phase: 'phase-x' }).catch((e) => e)) as WaitError;
    expect(err).toBeInstanceOf(WaitError);
    expect(err).toMatchObject({ reason: 'timeout', timeoutMs: 200, phase: 'phase-x', screenText: '', exit: undefined });
    expect(err.elapsedMs).toBeGreaterThanOrEqual(199);
    expect(err.message).toContain('wait timed out: text "never" to appear');
    expect(err.message).toContain('phase: phase-x');
    expect(err.message).toMatch(/---SCREEN START---\n[\s\S]*---SCREEN END---/);
  });

  it('fails fast with reason exited when the program dies first, carrying the exit info', async () => {
    const s = await fixture('exit-now.mjs');
    const err = (await s.waitForText('never', { timeoutMs: 60_000 }).catch((e) => e)) as WaitError;
    expect(err.reason).toBe('exited');
    expect(err.exit).toEqual({ exitCode: 7, signal: undefined });
    expect(err.screenText).toContain('bye now');
    expect(err.message).toContain('program exited (exit code 7)');
  });

  it('with failOnExit false, checks the final screen after exit', async () => {
    const s = await fixture('exit-now.mjs');
    await s.waitForExit({ timeoutMs: T });
    const screen = await s.waitForText('bye now', { timeoutMs: T, failOnExit: false });
    expect(screen.text).toContain('bye now');
    // With failOnExit false a condition that never holds runs out the budget instead of failing fast.
    const err = (await s.waitForText('never', { timeoutMs: 100, failOnExit: false }).catch((e) => e)) as WaitError;
    expect(err.reason).toBe('timeout');
  });

  it('is re-checked on every parsed write, waiting for later output', async () => {
    const s = await fixture('stream.mjs', ['30', '10']);
    await s.waitForText('line-0030', { timeoutMs: T });
    await s.waitForText('STREAM-END', { timeoutMs: T });
    expect(s.screen().text).toMatch(/line-0001[\s\S]*line-0030\nSTREAM-END/);
  });

  it('supports AbortSignal and dispose as reasons', async () => {
    const s = await fixture('silent.mjs');
    const ac = new AbortController();
    const aborted = s.waitForText('never', { timeoutMs: T, signal: ac.signal }).catch((e) => e);
    ac.abort();
    expect(await aborted).toMatchObject({ reason: 'aborted' });
    const disposed = s.waitForText('never', { timeoutMs: T }).catch((e) => e);
    await s.dispose();
    expect(await disposed).toMatchObject({ reason: 'disposed' });
  });

  it('waits for text to go, for a region, and for a stable screen', async () => {
    const s = await bash();
    await s.type('echo AAA; sleep 0.3; clear; echo BBB\r');
    await s.waitForText(/^AAA$/m, { timeoutMs: T });
    await s.waitForGone(/^AAA$/m, { timeoutMs: T });
    const screen = await s.waitForText('BBB', { timeoutMs: T, rows: [0, 1] });
    expect(screen.rowsText(0, 1)).toContain('BBB');
    await expect(s.waitForText('BBB', { timeoutMs: 50, region: { top: 5, bottom: 10, left: 0, right: 119 } })).rejects.toMatchObject({ reason: 'timeout' });
    const stable = await s.waitForStable(150, { timeoutMs: T });
    expect(stable.text).toContain('BBB');
  });

  it('waits for the cursor', async () => {
    const s = await bash();
    await s.type('clear\r');
    const screen = await s.waitForCursor({ y: 0, x: 8 }, { timeoutMs: T });
    expect(screen.lines[0]).toBe('PROMPT$');
  });

  it('never shows half of a DEC 2026 synchronized update', async () => {
    const s = await fixture('sync.mjs');
    const seen: string[] = [];
    s.onUpdate((sc) => seen.push(sc.lines[0] ?? ''));
    await s.waitForText('FRAME 3 HALF DONE 3', { timeoutMs: T });
    expect(seen.length).toBeGreaterThan(0);
    for (const line of seen) expect(line === '' || /DONE/.test(line)).toBe(true);
  });

  it('shows an update the program never closes, after the safety cap', async () => {
    const s = await fixture('sync.mjs', ['--never-close']);
    const seen: string[] = [];
    s.onUpdate((sc) => seen.push(sc.text));
    // All three frames are drawn within ~600 ms of one never-closed update; the 1 s cap releases them.
    const screen = await s.waitForText('FRAME 3 HALF DONE 3', { timeoutMs: T });
    expect(screen.text).toBe('FRAME 3 HALF DONE 3');
    expect(seen.filter((t) => t.includes('FRAME 1'))).toEqual([]);
  });

  it('lays out the message in one function', () => {
    const msg = formatWaitMessage({
      condition: 'x',
      reason: 'exited',
      elapsedMs: 12.4,
      timeoutMs: 100,
      screenText: 'a\nb',
      exit: { exitCode: 0, signal: 'SIGKILL' },
    });
    expect(msg).toBe('wait program exited (signal SIGKILL): x\n  elapsed 12 ms of 100 ms budget\n---SCREEN START---\na\nb\n---SCREEN END---');
  });
});

describe('heldFor', () => {
  it('is true only once the same key has lasted, asks to be rechecked when it would have, and restarts on a change', async () => {
    const held = heldFor(100);
    const rechecks: number[] = [];
    const ctx = { startedAt: performance.now(), recheckIn: (ms: number) => void rechecks.push(ms) };
    expect(held('a', ctx)).toBe(false);
    expect(rechecks.at(-1)).toBeGreaterThan(90);
    await new Promise((r) => setTimeout(r, 110));
    expect(held('a', ctx)).toBe(true);
    expect(held('b', ctx)).toBe(false); // another key starts over
    expect(held(undefined, ctx)).toBe(false); // nothing held
    expect(held('b', ctx)).toBe(false);
  });
});
