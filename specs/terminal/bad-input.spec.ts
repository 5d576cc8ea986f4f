import { chmodSync, writeFileSync } from 'node:fs';
import { tempDir } from '../setup/temp.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpawnError, TerminalSession, WaitError } from '../../src/terminal/index.js';
import { fixture, spawn, T } from './helpers.js';

describe('bad spawn targets give SpawnError up front', () => {
  const dir = tempDir('term-bad-');
  const notExec = join(dir, 'not-exec.sh');
  writeFileSync(notExec, '#!/bin/sh\necho hi\n');
  chmodSync(notExec, 0o644);

  it.each([
    ['a program not on PATH', { file: 'definitely-not-a-program-xyz' }, /not found on PATH/],
    ['a missing path', { file: join(dir, 'missing') }, /no such file/],
    ['a directory', { file: dir }, /is a directory/],
    ['a non-executable file', { file: notExec }, /is not executable \(mode 644\)/],
    ['a missing cwd', { file: 'sh', cwd: join(dir, 'nope') }, /cwd .* is not a directory/],
  ])('%s', async (_name, opts, message) => {
    const err = await TerminalSession.spawn(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpawnError);
    expect((err as Error).message).toMatch(message);
  });

  it('rejects a silly size', async () => {
    await expect(TerminalSession.spawn({ file: 'sh', cols: 0 })).rejects.toThrow(/cols must be an integer/);
  });
});

describe('misbehaving programs', () => {
  it('a program that exits at once: waits fail fast with its exit code', async () => {
    const s = await spawn({ file: 'false' });
    const err = (await s.waitForText('anything', { timeoutMs: 60_000 }).catch((e) => e)) as WaitError;
    expect(err.reason).toBe('exited');
    expect(err.exit?.exitCode).toBe(1);
    expect(await s.dispose()).toEqual({ leaked: [], killedGroup: false });
  });

  it('a program that never draws: a clean timeout with an empty screen', async () => {
    const s = await fixture('silent.mjs');
    const err = (await s.waitForText('x', { timeoutMs: 300 }).catch((e) => e)) as WaitError;
    expect(err.reason).toBe('timeout');
    expect(err.screenText).toBe('');
  });

  it('invalid UTF-8 and stray escape sequences: the screen survives and later text is seen', async () => {
    const s = await fixture('garbage.mjs');
    const screen = await s.waitForText('AFTER-GARBAGE ok', { timeoutMs: T });
    expect(screen.lines[0]).toBe('AFTER-GARBAGE ok');
    expect(s.cast.toString()).toContain('\ufffd');
  });

  it('100 MB of output: backpressure keeps parsing bounded, scrollback is capped, nothing hangs', async () => {
    const s = await fixture('flood.mjs', ['100'], { scrollback: 500, highWaterBytes: 1 << 20 });
    let maxPending = 0;
    const emu = (s as unknown as { _emulator: { pendingBytes: number } })._emulator;
    const sub = s.onUpdate(() => (maxPending = Math.max(maxPending, emu.pendingBytes)));
    const screen = await s.waitForText(/FLOOD-DONE \d+/, { timeoutMs: 120_000 });
    sub.dispose();
    expect(screen.text).toMatch(/FLOOD-DONE \d{9}/);
    expect(s.snapshot().scrollback.split('\n').length).toBeLessThanOrEqual(500);
    // The pty is paused above 1 MiB unparsed; one more read (≤ a few 64 KiB chunks) may land on top.
    expect(maxPending).toBeLessThan(4 << 20);
    expect(s.cast.truncated).toBe(true);
  }, 150_000);
});
