import type { DriverContext } from '../types.js';
import { stopService } from '../service.js';
import { stopProjectTmux } from '../tmux.js';

// What every generation's teardown does, in the two shapes wg had: the service and its agents
// (April), and from May the chats' tmux sessions too, which outlive `wg tui` by design.

/** `wg service stop` (with --kill-agents where the build has it), then anything left in the project, said loudly. */
export async function stopServiceAndAgents(ctx: DriverContext): Promise<void> {
  const leftovers = await stopService(ctx, ctx.caps.serviceStopKillAgents ? ['--kill-agents'] : []);
  if (leftovers.length > 0) ctx.finding(`processes still running in the project after \`wg service stop\` were killed: ${leftovers.join('; ')}`);
}

/** The project's tmux sessions (the chats), then the service and its agents. */
export async function stopChatsAndService(ctx: DriverContext): Promise<void> {
  await stopProjectTmux(ctx);
  const leftovers = await stopService(ctx, ['--kill-agents']);
  if (leftovers.length > 0) ctx.finding(`processes still running in the project after teardown were killed: ${leftovers.join('; ')}`);
}
