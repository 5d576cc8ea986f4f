// Ends a program: SIGTERM to its process group, SIGKILL after a grace, then audit descendants.
import { setTimeout as delay } from 'node:timers/promises';
import { groupAlive, signalGroup, signalPid } from './pty.js';
import { listProcs, type DescendantTracker } from './processes.js';

/** What dispose() found. `leaked` lists descendants still alive after the group was killed. */
export interface DisposeResult {
  leaked: Array<{ pid: number; cmd: string; killed: boolean }>;
  /** True when a signal was sent to a live process group. */
  killedGroup: boolean;
}

export interface TeardownOptions {
  pgid: number;
  tracker: DescendantTracker;
  rootExited: () => boolean;
  /** ms between SIGTERM and SIGKILL. */
  graceMs: number;
  killLeaked: boolean;
}

const POLL_MS = 20;

/** Live (non-zombie) members of a process group, read from /proc. */
function groupMembers(pgid: number): number {
  if (!groupAlive(pgid)) return 0;
  return listProcs().filter((p) => p.pgid === pgid && p.state !== 'Z').length;
}

/** Polls (teardown only; nothing here is on the hot path) until `done` or `ms` pass. */
async function until(done: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (!done()) {
    if (performance.now() >= end) return false;
    await delay(POLL_MS);
  }
  return true;
}

export async function teardown(o: TeardownOptions): Promise<DisposeResult> {
  // Look once more, environment included, before anything dies and parent links are lost.
  o.tracker.sample(true);
  let killedGroup = false;
  const gone = (): boolean => o.rootExited() && groupMembers(o.pgid) === 0;
  if (!gone()) {
    killedGroup = signalGroup(o.pgid, 'SIGTERM');
    // SIGHUP too: what a closing terminal sends; some programs only listen for it.
    signalGroup(o.pgid, 'SIGHUP');
    if (!(await until(gone, o.graceMs))) {
      signalGroup(o.pgid, 'SIGKILL');
      // The root is reaped by the pty backend; give it a moment to report.
      await until(gone, 2000);
    }
  }
  o.tracker.sample(true);
  const leaked = o.tracker.alive().map((p) => ({ pid: p.pid, cmd: p.cmd, killed: false }));
  if (o.killLeaked) {
    for (const l of leaked) l.killed = signalPid(l.pid, 'SIGKILL');
  }
  return { leaked, killedGroup };
}
