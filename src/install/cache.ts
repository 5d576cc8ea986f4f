import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

// Where `wg-tui-e2e install` puts Pi and claude, and how an installed version is laid out. One folder
// per tool and exact version, so builds that pin different Pis can each have theirs:
//
//   <cache>/pi/<version>/       an npm prefix: package.json (exact versions), node_modules/, bin/pi
//   <cache>/claude/<version>/   the same for the claude CLI: bin/claude
//   <cache>/bin/pi, bin/claude  links to the version installed last
//
// <cache> is WG_E2E_CACHE, else $XDG_CACHE_HOME/wg-tui-e2e, else ~/.cache/wg-tui-e2e (the folder
// scripts/install-llama-server.sh uses too).

export type Tool = 'pi' | 'claude';
export const TOOLS: readonly Tool[] = ['pi', 'claude'];

/** What a finished install wrote last: without it a version folder is not trusted. */
export const STAMP = 'installed.json';

export interface InstallStamp {
  tool: Tool;
  version: string;
  /** Every npm package of the install at its exact version. */
  packages: Record<string, string>;
  installedAt: string;
}

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WG_E2E_CACHE) return env.WG_E2E_CACHE;
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'wg-tui-e2e');
}

export const versionDir = (root: string, tool: Tool, version: string): string => join(root, tool, version);
/** The command a version folder provides: Pi's launcher, or the claude CLI. */
export const launcherIn = (dir: string, tool: Tool): string => join(dir, 'bin', tool);
/** The link to the version installed last. */
export const currentLink = (root: string, tool: Tool): string => join(root, 'bin', tool);

/** The stamp of a finished install of `version`, or undefined when there is none (never installed, or cut short). */
export async function readStamp(root: string, tool: Tool, version: string): Promise<InstallStamp | undefined> {
  try {
    const stamp = JSON.parse(await readFile(join(versionDir(root, tool, version), STAMP), 'utf8')) as InstallStamp;
    return stamp.tool === tool && stamp.version === version ? stamp : undefined;
  } catch {
    return undefined;
  }
}
