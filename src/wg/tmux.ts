import { execa } from 'execa';
import type { DriverContext } from './types.js';

// The tmux sessions behind a chat pane (wg from about May 2026 runs each chat in tmux). They live
// on the tmux server of the run's environment (a private one under --isolate) and outlive `wg tui`.
// Every tmux command has a time limit: a wedged tmux server must not hang teardown.
const TMUX_MS = 10_000;

/** Names of the tmux sessions whose working folder is inside this run's project. */
export async function projectTmuxSessions(ctx: DriverContext): Promise<string[]> {
  const env = ctx.environment.env;
  const listed = await execa('tmux', ['list-sessions', '-F', '#{session_name}\t#{session_path}\t#{session_activity}'], {
    env,
    extendEnv: false,
    reject: false,
    timeout: TMUX_MS,
  });
  return String(listed.stdout ?? '')
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([name, path]) => name && path && (path === ctx.projectDir || path.startsWith(`${ctx.projectDir}/`)))
    .sort((a, b) => Number(b[2] ?? 0) - Number(a[2] ?? 0))
    .map(([name]) => name as string);
}

/**
 * The whole history of the chat's tmux pane, scrolled-off lines included, wrapped lines joined:
 * the text a reply taller than the pane pushed out of sight. The most recently active session
 * of the project is the chat being typed into.
 */
export async function chatPaneHistory(ctx: DriverContext): Promise<string[] | undefined> {
  const [session] = await projectTmuxSessions(ctx);
  if (!session) return undefined;
  const captured = await execa('tmux', ['capture-pane', '-p', '-J', '-S', '-', '-E', '-', '-t', `=${session}:`], {
    env: ctx.environment.env,
    extendEnv: false,
    reject: false,
    timeout: TMUX_MS,
  });
  if (captured.exitCode !== 0) return undefined;
  return String(captured.stdout).split('\n');
}

/** Kills the project's tmux sessions, and the private tmux server of an isolated run. */
export async function stopProjectTmux(ctx: DriverContext): Promise<void> {
  const env = ctx.environment.env;
  for (const name of await projectTmuxSessions(ctx))
    await execa('tmux', ['kill-session', '-t', `=${name}`], { env, extendEnv: false, reject: false, timeout: TMUX_MS });
  if (ctx.environment.isolated) await execa('tmux', ['kill-server'], { env, extendEnv: false, reject: false, timeout: TMUX_MS });
}
