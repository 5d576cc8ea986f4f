import { setTimeout as delay } from 'node:timers/promises';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { environHas, listProcs, readCmdline, readProc } from '../terminal/processes.js';

// Finds and stops processes that belong to one wg project, and only those: a process counts as
// ours when its working directory or its WG_DIR lies inside the project we created.

export interface ProjectProcess {
  pid: number;
  cmd: string;
}

async function belongsTo(pid: number, root: string): Promise<string | undefined> {
  try {
    const cwd = await readlink(`/proc/${pid}/cwd`);
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    const wgDir =
      environ
        .split('\0')
        .find((v) => v.startsWith('WG_DIR='))
        ?.slice(7) ?? '';
    if (cwd === root || cwd.startsWith(`${root}/`) || wgDir.startsWith(root)) {
      return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ').trim();
    }
  } catch {
    // Gone, or not ours to read.
  }
  return undefined;
}

// Lists live processes (other than this one) that work inside `root`.
export async function projectProcesses(root: string): Promise<ProjectProcess[]> {
  const found: ProjectProcess[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmd = await belongsTo(pid, root);
    if (cmd !== undefined && !isZombie(pid)) found.push({ pid, cmd });
  }
  return found;
}

/** The variable every process of one scenario inherits (wg, its daemon, tmux, Pi, nex): `WG_E2E_RUN=<id>`. */
export const RUN_TAG_NAME = 'WG_E2E_RUN';

// Lists live processes (other than this one) whose environment carries `tag` (`WG_E2E_RUN=<id>`):
// what a scenario started, directly or through wg, even after a daemon's setsid or a reparent.
export function taggedProcesses(tag: string): Promise<ProjectProcess[]> {
  const found = listProcs()
    .filter((p) => p.pid !== process.pid && p.state !== 'Z' && environHas(p.pid, tag))
    .map((p) => ({ pid: p.pid, cmd: readCmdline(p.pid) ?? '' }));
  return Promise.resolve(found);
}

const isZombie = (pid: number): boolean => readProc(pid, false)?.state === 'Z';

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

// SIGTERM, a bounded grace, then SIGKILL; returns what survived the SIGTERM (to be reported).
export async function stopProcesses(pids: number[], graceMs = 2000): Promise<number[]> {
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  };
  pids.forEach((pid) => signal(pid, 'SIGTERM'));
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(isAlive)) await delay(50);
  const stubborn = pids.filter(isAlive);
  stubborn.forEach((pid) => signal(pid, 'SIGKILL'));
  return stubborn;
}
