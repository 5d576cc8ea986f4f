import { existsSync } from 'node:fs';
import { findOnPath } from '../terminal/spawn-target.js';
import { OptionError } from '../errors.js';
import { cacheRoot, TOOLS, type Tool } from './cache.js';
import { DEFAULT_CLAUDE_VERSION, install, NODE_VERSION } from './install.js';
import { InstallError } from './npm.js';
import { pinnedPi } from './pinned-pi.js';

// `wg-tui-e2e install [pi|claude|all] [--version V] [--wg PATH]`: what the scenarios need beyond
// wg and tmux, into the cache, in one line per tool. A failure is one loud line on stderr and exit 3.

export interface InstallCommand {
  what: Tool | 'all';
  version?: string;
  wg?: string;
  env?: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
}

const EXACT = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export function parseWhat(positionals: readonly string[]): Tool | 'all' {
  if (positionals.length > 1) throw new OptionError(`install takes one of pi, claude, all; got "${positionals.join(' ')}"`);
  const what = positionals[0] ?? 'all';
  if (what !== 'all' && !(TOOLS as readonly string[]).includes(what)) throw new OptionError(`install takes pi, claude or all; got "${what}"`);
  return what as Tool | 'all';
}

export async function runInstall(command: InstallCommand): Promise<number> {
  const env = command.env ?? process.env;
  if (command.version !== undefined) {
    if (command.what === 'all') throw new OptionError('--version is the version of one tool: name it (install pi --version V, install claude --version V)');
    if (!EXACT.test(command.version))
      throw new OptionError(`--version takes an exact version such as 0.80.6, got "${command.version}" (a range could pull mismatched packages)`);
  }
  const root = cacheRoot(env);
  for (const tool of command.what === 'all' ? TOOLS : [command.what]) {
    const { version, source } = await versionFor(tool, command, env);
    try {
      const done = await install(root, tool, version, {
        env: command.env,
        onInstalling: (dir) => command.out(`${tool} ${version} (${source})${tool === 'pi' ? ` on Node ${NODE_VERSION}` : ''}: installing into ${dir} …`),
      });
      command.out(
        done.reused
          ? `REUSED    ${tool} ${version}: already installed in ${done.dir}, nothing downloaded (${done.command} says ${done.says})`
          : `INSTALLED ${tool} ${version} in ${done.seconds.toFixed(1)}s: ${done.command} (says ${done.says})`,
      );
    } catch (error) {
      if (!(error instanceof InstallError)) throw error;
      command.err(`INSTALL FAILED — ${error.message}`);
      return 3;
    }
  }
  command.out(`the scenarios find them in ${root} (after --pi/--claude, PI_BIN/CLAUDE_BIN and PATH): no PATH change needed`);
  return 0;
}

async function versionFor(tool: Tool, command: InstallCommand, env: NodeJS.ProcessEnv): Promise<{ version: string; source: string }> {
  if (command.version !== undefined) return { version: command.version, source: 'asked for with --version' };
  if (tool === 'claude') return { version: DEFAULT_CLAUDE_VERSION, source: 'the version the harness is checked with' };
  // The wg under test as a run finds it (--wg, WG_BIN, PATH); its pin, else the default.
  if (command.wg !== undefined && !existsSync(command.wg)) throw new OptionError(`--wg ${command.wg}: no such file`);
  const wg = command.wg ?? (env.WG_BIN || findOnPath('wg', env.PATH));
  return pinnedPi(wg);
}
