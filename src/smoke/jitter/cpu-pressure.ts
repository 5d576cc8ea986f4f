import { Worker } from 'node:worker_threads';

// CPU pressure for `--jitter-cpu`: one worker thread spinning until its own deadline, so a wg
// starved of a core shows its races. Bounded twice: the loop ends itself at the deadline, and
// stop() terminates the thread earlier (the turn was decided). The schedule caps the duration.

/** The longest busy loop accepted, whatever the schedule says. */
export const BUSY_MAX_MS = 10_000;

export interface BusyLoop {
  stop(): Promise<void>;
}

const SPIN = `const { workerData } = require('node:worker_threads'); const end = Date.now() + workerData; while (Date.now() < end) {}`;

/** Keeps one CPU busy for `ms` (at most BUSY_MAX_MS). */
export function busyLoop(ms: number): BusyLoop {
  const worker = new Worker(SPIN, { eval: true, workerData: Math.min(Math.max(ms, 0), BUSY_MAX_MS) });
  worker.unref();
  return {
    stop: async () => {
      await worker.terminate();
    },
  };
}
