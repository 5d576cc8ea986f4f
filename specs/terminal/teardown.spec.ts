import { describe, expect, it, onTestFinished } from 'vitest';
import { readProc } from '../../src/terminal/processes.js';
import { bash, fixture, T } from './helpers.js';

const alive = (pid: number): boolean => {
  const p = readProc(pid);
  return p !== undefined && p.state !== 'Z';
};

describe('dispose', () => {
  it('kills the whole process group, reaps it, and is idempotent', async () => {
    const s = await bash();
    await s.type('sleep 1000 & echo BG=$!\r');
    const bg = Number((await s.waitForText(/BG=\d+/, { timeoutMs: T })).find(/BG=(\d+)/)!.match[1]);
    expect(alive(bg)).toBe(true);
    const first = s.dispose();
    expect(s.dispose()).toBe(first);
    const result = await first;
    expect(result).toEqual({ leaked: [], killedGroup: true });
    expect(alive(bg)).toBe(false);
    expect(alive(s.pid)).toBe(false);
    expect(s.exitInfo).toBeDefined();
    expect(await s.dispose()).toBe(result);
  });

  it('escalates to SIGKILL for a program that ignores SIGTERM/SIGHUP, and reports a setsid daemon as leaked', async () => {
    const s = await fixture('leaky.mjs');
    const screen = await s.waitForText('LEAKY-READY', { timeoutMs: T });
    const stubborn = Number(screen.find(/STUBBORN (\d+)/)!.match[1]);
    const daemon = Number(screen.find(/DAEMON (\d+)/)!.match[1]);
    // The daemon is left alive on purpose (that is what is checked): it goes whatever the asserts say.
    onTestFinished(() => {
      if (alive(daemon)) process.kill(daemon, 'SIGKILL');
    });
    const result = await s.dispose({ graceMs: 300 });
    expect(result.killedGroup).toBe(true);
    expect(alive(s.pid)).toBe(false);
    expect(alive(stubborn)).toBe(false); // same group: SIGKILL got it
    expect(result.leaked.map((l) => l.pid)).toEqual([daemon]);
    expect(result.leaked[0]!.cmd).toContain('setInterval');
    expect(alive(daemon)).toBe(true);
  });

  it('kills leaked descendants when asked', async () => {
    const s = await fixture('leaky.mjs');
    const screen = await s.waitForText('LEAKY-READY', { timeoutMs: T });
    const daemon = Number(screen.find(/DAEMON (\d+)/)!.match[1]);
    const result = await s.dispose({ graceMs: 300, killLeaked: true });
    expect(result.leaked).toEqual([expect.objectContaining({ pid: daemon, killed: true })]);
    await expect.poll(() => alive(daemon), { timeout: T }).toBe(false);
  });

  it('is harmless after the program died on its own', async () => {
    const s = await fixture('exit-now.mjs');
    await s.exited;
    expect(await s.dispose()).toEqual({ leaked: [], killedGroup: false });
    expect(s.screen().text).toContain('bye now');
  });
});
