import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { findOnPath } from '../terminal/spawn-target.js';
import { cacheRoot, currentLink, launcherIn, versionDir, type Tool } from './cache.js';
import { pinnedPi } from './pinned-pi.js';

// Where a run finds Pi and claude, with no PATH edits: the flag (`--pi`, `--claude`), then the
// environment (PI_BIN, CLAUDE_BIN), then PATH, then what `wg-tui-e2e install` put in the cache
// (for Pi, the version the wg under test pins first, else the one installed last).

export interface FoundTool {
  path: string;
  source: string;
}

export interface FindOptions {
  /** `--pi` / `--claude` as given. */
  flag?: string;
  env?: NodeJS.ProcessEnv;
  /** The wg under test: its pinned Pi is looked for first in the cache. */
  wgPath?: string;
}

const FLAG = { pi: '--pi', claude: '--claude' } as const;
const ENV = { pi: 'PI_BIN', claude: 'CLAUDE_BIN' } as const;

async function runnable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The tool this run uses, or undefined when there is none anywhere. A flag or variable that names
 * a file that does not run is returned as it is (never a silent fall-through): the caller says so.
 */
export async function findTool(tool: Tool, options: FindOptions = {}): Promise<FoundTool | undefined> {
  const env = options.env ?? process.env;
  if (options.flag) return { path: resolve(options.flag), source: FLAG[tool] };
  const fromEnv = env[ENV[tool]];
  if (fromEnv) return { path: resolve(fromEnv), source: ENV[tool] };
  const onPath = findOnPath(tool, env.PATH);
  if (onPath) return { path: onPath, source: 'PATH' };
  const root = cacheRoot(env);
  if (tool === 'pi') {
    const pin = await pinnedPi(options.wgPath);
    const pinned = launcherIn(versionDir(root, 'pi', pin.version), 'pi');
    if (await runnable(pinned)) return { path: pinned, source: `the install cache (Pi ${pin.version}, ${pin.source})` };
  }
  const last = currentLink(root, tool);
  if (await runnable(last)) return { path: last, source: 'the install cache (the version installed last)' };
  return undefined;
}

/** Whether a found tool's file runs (a bad `--pi`/PI_BIN is a setup failure, not a skip). */
export const toolRuns = (found: FoundTool): Promise<boolean> => runnable(found.path);

const quoted = (s: string): string => (/^[\w./+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The exact command that installs what is missing (for Pi, the version this wg pins). */
export const installHint = (tool: Tool, wgPath?: string): string => `npx wg-tui-e2e install ${tool}${tool === 'pi' && wgPath ? ` --wg ${quoted(wgPath)}` : ''}`;
