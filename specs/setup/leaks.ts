import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

// What a spec file could leave behind: processes below this one, and sockets it listens on.

/** Live (non-zombie) processes below this one. */
export function descendants(): Array<{ pid: number; cmd: string }> {
  const byParent = new Map<number, number[]>();
  const info = new Map<number, { state: string; cmd: string }>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byParent.set(Number(ppid), [...(byParent.get(Number(ppid)) ?? []), pid]);
      info.set(pid, { state: state ?? '', cmd: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
    } catch {
      // Gone meanwhile.
    }
  }
  const out: Array<{ pid: number; cmd: string }> = [];
  const queue = [...(byParent.get(process.pid) ?? [])];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    const p = info.get(pid);
    if (p && p.state !== 'Z') out.push({ pid, cmd: p.cmd });
    queue.push(...(byParent.get(pid) ?? []));
  }
  return out;
}

/** Sockets this process listens on (TCP over v4 and v6), by inode. */
export function listening(): Set<string> {
  const mine = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    const link = (() => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })();
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (m) mine.add(m[1] as string);
  }
  const out = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && mine.has(cols[9] ?? '')) out.add(`${cols[1]} (inode ${cols[9]})`);
    }
  }
  return out;
}
