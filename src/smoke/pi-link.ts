import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SetupError } from '../errors.js';
import { findTool, toolRuns, type FoundTool } from '../install/find-tool.js';

// wg runs `pi` by name (inside tmux on today's wg), so the Pi a run found (--pi, PI_BIN, PATH, the
// install cache) is linked into wg's private bin/, which is first on the PATH wg and its tmux
// server get. No PATH edit by the user, and src/wg/environment.ts stays as it is: the same way
// claude-local puts its claude there.

/** Links the run's Pi as `pi` into `binDir`; undefined when there is none. A `--pi`/PI_BIN that does not run is a SetupError. */
export async function linkPi(binDir: string, flag: string | undefined, wgPath: string): Promise<FoundTool | undefined> {
  const pi = await findTool('pi', { flag, wgPath });
  if (!pi) return undefined;
  if (!(await toolRuns(pi))) throw new SetupError(`${pi.source} ${pi.path}: not an executable file`);
  await symlink(pi.path, join(binDir, 'pi'));
  return pi;
}
