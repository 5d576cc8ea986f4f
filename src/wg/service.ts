import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SetupError } from '../errors.js';
import { SetupNotOfferedError, type DriverContext } from './types.js';
import { pollUntil } from './poll.js';
import { isAlive, projectProcesses, stopProcesses } from './processes.js';
import { wgDirOf } from './wg-dir.js';
import { commandError, exists, readJson, runCommand, type CommandRecord } from './workspace.js';

// `wg service start` and `stop`, run outside the pty, with readiness read from the files the
// daemon writes (state.json, the socket, the chat handler's pid file), never a fixed sleep.

interface ServiceState {
  pid?: number;
  socket_path?: string;
  supervisor_pid?: number;
}

/** Runs a wg command with the run's environment in the project folder. */
export function wgCommand(ctx: DriverContext, args: string[], timeoutMs = 60_000): Promise<CommandRecord> {
  return runCommand(ctx.wg, args, { cwd: ctx.projectDir, env: ctx.environment.env, timeoutMs, log: ctx.commands, display: 'wg', cancel: ctx.cancel });
}

async function handlerPidFiles(wgDir: string): Promise<string[]> {
  const chatDir = join(wgDir, 'chat');
  const entries = await readdir(chatDir).catch(() => [] as string[]);
  const found: string[] = [];
  for (const entry of entries) if (await exists(join(chatDir, entry, '.handler.pid'))) found.push(join(chatDir, entry, '.handler.pid'));
  return found;
}

// Starts the service. With `--startup settled` it then waits until the daemon's socket answers to
// the file system and, when the build runs a chat handler in the daemon, until that handler holds
// its lock; with `person` it returns as the command does, and `wg tui` follows at once.
export async function startService(ctx: DriverContext, options: { expectHandler: boolean }): Promise<void> {
  const record = await wgCommand(ctx, ['service', 'start'], 30_000);
  if (record.exitCode !== 0) throw new SetupError(commandError(record));
  if (ctx.startup === 'settled') await serviceSettled(ctx, options);
}

async function serviceSettled(ctx: DriverContext, options: { expectHandler: boolean }): Promise<void> {
  const wgDir = await wgDirOf(ctx.projectDir);
  const state = await pollUntil(
    async () => {
      const s = await readJson<ServiceState>(join(wgDir, 'service', 'state.json'));
      return s?.pid && isAlive(s.pid) && (await exists(s.socket_path ?? join(wgDir, 'service', 'daemon.sock'))) ? s : undefined;
    },
    { timeoutMs: 15_000, what: 'the wg daemon (service/state.json with a live pid and its socket)' },
  );
  if (!options.expectHandler) return;
  // Old wg races the TUI's chat pane against the daemon's handler for the session lock:
  // start the TUI only once the handler holds it.
  try {
    await pollUntil(async () => ((await handlerPidFiles(wgDir)).length > 0 ? true : undefined), {
      timeoutMs: 15_000,
      what: 'the daemon chat handler (.wg/chat/*/.handler.pid)',
    });
  } catch (error) {
    ctx.finding(`the daemon (pid ${state.pid}) started but no chat handler took its lock within 15s: ${(error as Error).message}`);
  }
}

// Stops the service, then anything still working inside the project (agents, handlers, tmux
// clients the harness started). Returns the leftovers it had to kill, to report them.
export async function stopService(ctx: DriverContext, stopArgs: string[]): Promise<string[]> {
  const wgDir = await wgDirOf(ctx.projectDir);
  if (await exists(join(wgDir, 'service', 'state.json'))) await wgCommand(ctx, ['service', 'stop', ...stopArgs], 20_000);
  const leftovers = await projectProcesses(ctx.projectDir);
  if (leftovers.length === 0) return [];
  await stopProcesses(leftovers.map((p) => p.pid));
  return leftovers.map((p) => `${p.pid} ${p.cmd.slice(0, 100)}`);
}

/**
 * `--setup plain`: a bare `wg init` (refused: the plain path does not exist on this build, a
 * counted skip, never the literal setup under plain's name), `prepare` (Pi's provider, which is
 * Pi's config), then the service where wg starts it.
 */
export async function plainInit(ctx: DriverContext, accepted: string, prepare?: () => Promise<unknown>): Promise<void> {
  const plain = await wgCommand(ctx, ['init'], 60_000);
  if (plain.exitCode !== 0) throw new SetupNotOfferedError(ctx.setup, `this wg refuses a bare \`wg init\`: ${commandError(plain)}`);
  ctx.finding(accepted);
  await prepare?.();
  await startServiceAfterPlainInit(ctx);
}

// After a plain `wg init` July's and today's wg refuse to start the service (`WG-EXEC-UNSELECTED:
// no LLM execution system has been selected`). Their TUI starts chats itself (in tmux), so a person
// who reads that can still open the TUI and make the chat there: said loudly, then done.
export async function startServiceAfterPlainInit(ctx: DriverContext): Promise<void> {
  try {
    await startService(ctx, { expectHandler: false });
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    ctx.finding(`\`wg service start\` REFUSED after the plain init: ${error.message}; opening the TUI without the service (it starts chats itself)`);
  }
}
