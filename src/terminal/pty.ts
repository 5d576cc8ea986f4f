// The pty backend: node-pty when it loads, else @lydell/node-pty; plus process-group signalling.
import { fdWriter } from './fd-writer.js';
import { constants as osConstants } from 'node:os';
import type { Disposable, ExitInfo } from './types.js';

/** The six things the engine needs from a pty, whichever package provides it. */
export interface PtyProcess {
  readonly pid: number;
  onData(listener: (data: Buffer) => void): Disposable;
  onExit(listener: (exit: ExitInfo) => void): Disposable;
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
}

export interface PtySpawnOptions {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

// Types come from the prebuilt fork: it is always installed, while node-pty (optional, built from
// source) is absent wherever its native build failed, and the build must still type-check there.
type NodePtyModule = typeof import('@lydell/node-pty');
type BackendName = 'node-pty' | '@lydell/node-pty';

let loaded: { name: BackendName; mod: NodePtyModule } | undefined;
let loading: Promise<{ name: BackendName; mod: NodePtyModule }> | undefined;

/** Loads the backend once. node-pty is built from source and may be missing; the fork is prebuilt. */
export function loadPtyBackend(): Promise<{ name: BackendName; mod: NodePtyModule }> {
  loading ??= (async () => {
    const errors: unknown[] = [];
    for (const name of ['node-pty', '@lydell/node-pty'] as const) {
      try {
        const imported = (await import(name)) as NodePtyModule & { default?: NodePtyModule };
        const mod = typeof imported.spawn === 'function' ? imported : imported.default!;
        loaded = { name, mod };
        return loaded;
      } catch (err) {
        errors.push(err);
      }
    }
    throw new AggregateError(errors, 'no pty backend could be loaded (node-pty, @lydell/node-pty)');
  })();
  return loading;
}

/** Which pty package is in use, or undefined before the first spawn. */
export function ptyBackendName(): BackendName | undefined {
  return loaded?.name;
}

/** Spawns in a new session (node-pty calls setsid), so pid = pgid = sid. */
export async function spawnPty(opts: PtySpawnOptions): Promise<PtyProcess> {
  const { mod } = await loadPtyBackend();
  const pty = mod.spawn(opts.file, opts.args, {
    name: opts.env.TERM ?? 'xterm-256color',
    cols: opts.cols,
    rows: opts.rows,
    cwd: opts.cwd,
    env: opts.env,
    // Bytes, not strings: the raw log stays exact and xterm decodes UTF-8 across chunk edges itself.
    encoding: null,
  });
  // Stop writing at exit; a write already queued when the pty closes is dropped (fd-writer.ts).
  let closed = false;
  pty.onExit(() => (closed = true));
  // node-pty's UnixTerminal exposes its descriptor; elsewhere (Windows' conpty) its own write is used.
  const fd = (pty as { fd?: unknown }).fd;
  const writeFd = typeof fd === 'number' && fd >= 0 ? fdWriter(fd, () => closed) : undefined;
  return {
    pid: pty.pid,
    onData: (listener) => pty.onData((d: string | Buffer) => listener(typeof d === 'string' ? Buffer.from(d) : d)),
    onExit: (listener) => pty.onExit(({ exitCode, signal }) => listener({ exitCode, signal: signal ? signalName(signal) : undefined })),
    write: (data) => {
      // The pty may close between the caller's exited check and this call.
      if (closed) return;
      try {
        if (writeFd) writeFd(data);
        else pty.write(data as string);
      } catch {
        /* closed: input to a dead program is dropped */
      }
    },
    resize: (cols, rows) => {
      try {
        pty.resize(cols, rows);
      } catch {
        /* closed */
      }
    },
    pause: () => pty.pause(),
    resume: () => pty.resume(),
  };
}

/** SIGTERM → "SIGTERM"; unknown numbers stay numeric. */
export function signalName(signal: number): string {
  for (const [name, num] of Object.entries(osConstants.signals)) if (num === signal) return name;
  return String(signal);
}

/** Sends a signal to a whole process group. False when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Sends a signal to one process. False when it is gone. */
export function signalPid(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while some process in the group still exists (signal 0 probes without killing). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
