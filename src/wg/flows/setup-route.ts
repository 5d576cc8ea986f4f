import { SetupError } from '../../errors.js';
import type { WgCapabilities } from '../probe.js';
import { startService, wgCommand } from '../service.js';
import { commandError } from '../workspace.js';
import { SetupNotOfferedError, type ChatTarget, type DriverContext } from '../types.js';

// `--setup route`: the build's own named `wg init --route` for what the scenario chats with, as
// `wg init --help` lists them. June and July offer `openrouter, claude-cli, codex-cli, local,
// nex-custom`; today's wg offers only `pi`. `nex-custom` is the one for a user's own endpoint
// (`local` means a local Ollama with its own default model), and it takes the user's `-m`/`-e`.

/** Which route a person picks for each kind of chat, best first. */
const ROUTES_FOR: Record<ChatTarget['kind'], readonly string[]> = {
  endpoint: ['nex-custom', 'pi'],
  // A Pi chat: today's `pi` route; June/July's project on its nex-custom route, the Pi chat made beside it.
  pi: ['pi', 'nex-custom'],
  claude: ['claude-cli'],
};

export type SetupRoute = { route: string } | { missing: string };

/** The named route for the target on this build, or why there is none (a counted ROUTE SETUP SKIPPED). */
export function setupRoute(caps: Pick<WgCapabilities, 'init'>, kind: ChatTarget['kind']): SetupRoute {
  if (!caps.init.route) return { missing: 'its `wg init` has no --route' };
  const route = ROUTES_FOR[kind].find((r) => caps.init.routes.includes(r));
  if (route) return { route };
  const offered = caps.init.routes.length > 0 ? caps.init.routes.join(', ') : 'none listed';
  return {
    missing: `its \`wg init --route\` names (${offered}) have none for a ${kind === 'endpoint' ? 'nex' : kind} chat (wanted: ${ROUTES_FOR[kind].join(' or ')})`,
  };
}

/** `wg init` with the route; `piRoute` is the exact Pi route (`pi:e2e:MODEL`) once Pi's provider is written. */
export function routeInitArgs(route: string, target: ChatTarget, piRoute?: string): string[] {
  if (route === 'nex-custom') return ['init', '--route', route, '-m', target.model, '-e', target.endpointUrl ?? ''];
  if (route === 'pi' && piRoute) return ['init', '--route', route, '-m', piRoute];
  return ['init', '--route', route];
}

/**
 * The route setup as a person runs it: the build's route for the scenario (or a counted ROUTE SETUP
 * SKIPPED naming the generation), `prepare` (Pi's provider, which may give the exact Pi route the
 * `pi` route takes), `wg init --route …`, then the service.
 */
export async function initWithRoute(ctx: DriverContext, generation: string, prepare?: () => Promise<string | undefined>): Promise<void> {
  const route = setupRoute(ctx.caps, ctx.target.kind);
  if ('missing' in route) throw new SetupNotOfferedError(ctx.setup, `this wg (generation ${generation}): ${route.missing}`);
  const args = routeInitArgs(route.route, ctx.target, await prepare?.());
  const init = await wgCommand(ctx, args, 60_000);
  if (init.exitCode !== 0) throw new SetupError(`\`wg ${args.join(' ')}\` failed: ${commandError(init)}`);
  ctx.finding(`route setup: \`wg ${args.join(' ')}\` accepted`);
  await startService(ctx, { expectHandler: false });
}
