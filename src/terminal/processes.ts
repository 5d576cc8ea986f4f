// Finds a program's descendants through /proc, so teardown can report what outlived it.
import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc/<pid>/stat describes it. `startTime` guards against pid reuse. */
export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  startTime: string;
  state: string;
  cmd: string;
}

/** Reads /proc/<pid>/stat; undefined when the process is gone or /proc is absent. */
export function readProc(pid: number, withCmd = true): ProcInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm may contain spaces and parentheses: the fields after it start at the LAST ')'.
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  const f = stat.slice(close + 2).split(' ');
  return {
    pid,
    state: f[0] ?? '?',
    ppid: Number(f[1]),
    pgid: Number(f[2]),
    sid: Number(f[3]),
    startTime: f[19] ?? '',
    cmd: (withCmd && readCmdline(pid)) || comm,
  };
}

export function readCmdline(pid: number): string | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const cmd = raw.split('\0').filter(Boolean).join(' ');
    return cmd || undefined;
  } catch {
    return undefined;
  }
}

/** Every live process, skipping ones that vanish while we look. */
export function listProcs(): ProcInfo[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcInfo[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name), false);
    if (p) out.push(p);
  }
  return out;
}

/** True when /proc/<pid>/environ holds `tag` (processes of other users are unreadable: false). */
export function environHas(pid: number, tag: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(tag);
  } catch {
    return false;
  }
}

/**
 * Remembers every process that ever belonged to one program: same session, same process group,
 * a ppid chain back to a known member, or the session's environment tag. A daemon that called
 * setsid() leaves the group and session but keeps its parent link (seen while the parent lived)
 * and its inherited environment, so it is still found.
 */
export class DescendantTracker {
  private readonly _known = new Map<number, ProcInfo>();

  constructor(
    private readonly _rootPid: number,
    private readonly _envTag: string | undefined,
  ) {}

  /** Scans /proc once and adds any new member. Cheap enough for a few times a second. */
  sample(withEnviron = false): void {
    const procs = listProcs();
    const byParent = new Map<number, ProcInfo[]>();
    for (const p of procs) {
      const list = byParent.get(p.ppid) ?? [];
      list.push(p);
      byParent.set(p.ppid, list);
    }
    const queue: ProcInfo[] = [];
    for (const p of procs) {
      if (p.pid === process.pid) continue;
      const member =
        p.pid === this._rootPid ||
        p.sid === this._rootPid ||
        p.pgid === this._rootPid ||
        this._isKnown(p) ||
        (withEnviron && this._envTag !== undefined && environHas(p.pid, this._envTag));
      if (member) queue.push(p);
    }
    // Walk down the ppid tree from every member found.
    while (queue.length) {
      const p = queue.pop()!;
      if (!this._isKnown(p)) this._known.set(p.pid, { ...p, cmd: readCmdline(p.pid) || p.cmd });
      for (const c of byParent.get(p.pid) ?? []) if (!this._isKnown(c)) queue.push(c);
    }
  }

  private _isKnown(p: ProcInfo): boolean {
    const k = this._known.get(p.pid);
    return k !== undefined && k.startTime === p.startTime;
  }

  /** Known descendants (not the root) that are still alive and not zombies. */
  alive(): ProcInfo[] {
    const out: ProcInfo[] = [];
    for (const k of this._known.values()) {
      if (k.pid === this._rootPid) continue;
      const now = readProc(k.pid);
      if (now && now.startTime === k.startTime && now.state !== 'Z') out.push(now);
    }
    return out;
  }
}
