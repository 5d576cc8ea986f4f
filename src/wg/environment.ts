import { mkdir, symlink } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

// The environment every wg process of a run gets. By default it is the user's own (HOME,
// settings), to reproduce what they did; `isolate` gives wg, Pi and tmux private homes.
// Either way the harness writes its own configuration only below `runDir`.

/** Variables that would make wg stub its LLM or point it elsewhere: never inherited. */
const ALWAYS_DROPPED = ['WG_FAKE_LLM', 'WG_DIR', 'TMUX', 'TMUX_PANE'];
/** Variables that change LLM routing or identity: dropped only in isolated runs. */
const ISOLATE_DROPPED_PREFIXES = ['WG_', 'OPENAI_', 'OPENROUTER_', 'ANTHROPIC_', 'PI_', 'CLAUDE_'];

export interface WgEnvironment {
  env: NodeJS.ProcessEnv;
  /** A folder on PATH whose `wg` is the build under test: old wg runs `wg` from PATH for background commands. */
  binDir: string;
  home: string;
  isolated: boolean;
  /** Private tmux socket folder (isolated runs only); teardown kills that server. */
  tmuxTmpdir?: string;
}

export interface EnvironmentOptions {
  wgPath: string;
  runDir: string;
  isolate: boolean;
  base?: NodeJS.ProcessEnv;
  /** Extra variables a scenario needs (Pi's config dir for the embedded endpoint, …). */
  extra?: Record<string, string>;
}

// Builds the environment and the private bin folder.
export async function makeWgEnvironment(options: EnvironmentOptions): Promise<WgEnvironment> {
  const base = options.base ?? process.env;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined || ALWAYS_DROPPED.includes(key)) continue;
    if (options.isolate && ISOLATE_DROPPED_PREFIXES.some((p) => key.startsWith(p))) continue;
    env[key] = value;
  }
  const binDir = join(options.runDir, 'bin');
  await mkdir(binDir, { recursive: true });
  await symlink(options.wgPath, join(binDir, 'wg')).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  env.PATH = [binDir, base.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(delimiter);
  env.TERM = 'xterm-256color';
  env.COLORTERM = 'truecolor';
  env.USER = env.USER || 'tester';
  let home = base.HOME ?? '/root';
  let tmuxTmpdir: string | undefined;
  if (options.isolate) {
    home = join(options.runDir, 'home');
    tmuxTmpdir = join(options.runDir, 'tmux');
    // Scratch files of wg's children go with the run too: Pi's plugin loader (jiti) caches compiled
    // modules under TMPDIR (`/tmp/jiti/pi-worksgood-*.mjs` before this), claude its sockets.
    const tmp = join(options.runDir, 'tmp');
    await mkdir(home, { recursive: true });
    await mkdir(tmuxTmpdir, { recursive: true, mode: 0o700 });
    await mkdir(tmp, { recursive: true });
    env.TMPDIR = tmp;
    Object.assign(env, {
      HOME: home,
      USER: 'tester',
      WG_USER: 'tester',
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_CACHE_HOME: join(home, '.cache'),
      XDG_DATA_HOME: join(home, '.local', 'share'),
      WG_GLOBAL_DIR: join(home, '.wg'),
      TMUX_TMPDIR: tmuxTmpdir,
    });
  }
  Object.assign(env, options.extra ?? {});
  return { env, binDir, home, isolated: options.isolate, tmuxTmpdir };
}
