import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { descendants, listening } from '../setup/leaks.js';

// The shared leak check (specs/setup/no-leaks.ts) sees what a spec would leave behind.

describe('the leak check', () => {
  it('sees a child process below this one until it is gone', async () => {
    const child = spawn('sleep', ['30']);
    await new Promise((r) => child.once('spawn', r));
    expect(descendants().map((p) => p.pid)).toContain(child.pid);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(descendants().map((p) => p.pid)).not.toContain(child.pid);
  });

  it('sees a listening socket until it is closed', async () => {
    const before = listening();
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    expect([...listening()].filter((s) => !before.has(s))).toHaveLength(1);
    await new Promise((r) => server.close(r));
    expect([...listening()].filter((s) => !before.has(s))).toHaveLength(0);
  });
});
