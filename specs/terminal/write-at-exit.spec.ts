import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixture, T } from './helpers.js';

// A terminal query answered just as the program exits: the answer is queued while the pty closes.
// It was for a dead program and is dropped; node-pty's own writer printed "Unhandled pty write
// error … EBADF" on stderr for it, noise no caller could catch.
describe('input written as the program exits', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is dropped in silence: no write error on stderr, no warning', async () => {
    const errors = vi.spyOn(console, 'error');
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 15; i++) {
        const s = await fixture('query-exit.mjs');
        await s.waitForExit({ timeoutMs: T });
        // The emulator answered the query (the answer went to the pty, or was dropped at its close).
        expect(s.queries.some((q) => q.answered)).toBe(true);
        // More input after the exit is dropped as well.
        s.write('late\r');
        await new Promise((done) => setTimeout(done, 20));
      }
    } finally {
      process.off('warning', onWarning);
    }
    expect(errors.mock.calls.map((c) => String(c[0]))).not.toContainEqual(expect.stringMatching(/pty write error/));
    expect(warnings).toEqual([]);
  });
});
