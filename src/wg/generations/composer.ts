import { attachChat, composerCandidate } from '../flows/attach.js';
import { SetupError } from '../../errors.js';
import { stopServiceAndAgents } from '../flows/teardown.js';
import { startService, wgCommand } from '../service.js';
import { openComposer } from '../surfaces/composer-open.js';
import type { DriverContext, Generation } from '../types.js';
import { commandError } from '../workspace.js';

// The first chat of wg's history (graphwork/wg up to about 2026-04-22): `wg init` takes no model
// or endpoint (model and endpoint are set with `wg config` and `wg endpoints`), the daemon runs the
// chat handler (`wg nex --chat` for the native executor) and the TUI's Chat tab is a composer over
// a file-tailing view: `c` opens the composer, Enter sends through `wg chat` IPC, replies are `↯ …`.

/** The model the way `wg init -m M -e URL` of the next weeks stored it: `local:M` (a provider:model spec). */
export const localModel = (model: string): string => (model.includes(':') ? model : `local:${model}`);

/** The `wg config` and `wg endpoints add` commands that stand in for `wg init -m M -e URL -x nex`. */
export function composerSetupCommands(model: string, url: string): string[][] {
  return [
    ['config', '--coordinator-executor', 'native', '--coordinator-model', localModel(model)],
    ['endpoints', 'add', 'default', '--provider', 'local', '--url', url, '--model', model, '--default'],
  ];
}

// The user's literal command first (this wg has no -m/-e/-x: refused, said loudly), then the nearest setup.
async function setupNex(ctx: DriverContext): Promise<void> {
  const { target } = ctx;
  const url = target.endpointUrl ?? '';
  const literal = await wgCommand(ctx, ['init', '-m', target.model, '-e', url, '-x', 'nex'], 60_000);
  if (literal.exitCode === 0) {
    ctx.finding(`this wg accepted the user's literal \`wg init -m ${target.model} -e URL -x nex\` although its help does not list the flags`);
  } else {
    ctx.finding(
      `wg REJECTED the user's literal \`wg init -m ${target.model} -e URL -x nex\`: ${commandError(literal)}. Running the nearest equivalent this wg offers: \`wg init\`, \`wg config --coordinator-executor native --coordinator-model ${localModel(target.model)}\`, \`wg endpoints add default --provider local --url URL --model ${target.model} --default\`.`,
    );
    const init = await wgCommand(ctx, ['init'], 60_000);
    if (init.exitCode !== 0) throw new SetupError(commandError(init));
  }
  for (const args of composerSetupCommands(target.model, url)) {
    const record = await wgCommand(ctx, args, 30_000);
    if (record.exitCode !== 0) throw new SetupError(commandError(record));
  }
  await startService(ctx, { expectHandler: false });
}

// claude is this wg's default executor: a bare `wg init`, and the daemon's claude handler answers.
async function setupClaude(ctx: DriverContext): Promise<void> {
  const init = await wgCommand(ctx, ['init'], 60_000);
  if (init.exitCode !== 0) throw new SetupError(commandError(init));
  await startService(ctx, { expectHandler: false });
}

export const composer: Generation = {
  name: 'composer',
  era: 'graphwork/wg to about 2026-04-22: `wg init` without model flags; the Chat tab is a composer over the daemon handler’s chat files',

  recognise: (f) =>
    !f.init.endpoint && !f.piRoutes && f.subcommands.includes('endpoints') && f.chatCoordinator && f.coordinatorExecutor
      ? [
          "`wg init --help` has no --endpoint, `wg endpoints` and `wg config --coordinator-executor` exist and `wg chat` takes --coordinator: the chat tab is a composer over the daemon handler's chat files",
        ]
      : undefined,

  needs: () => [],

  setups: () => ({
    literal: {
      endpoint: {
        path: "the user's literal `wg init -m MODEL -e URL -x nex` (rejected by this wg), then `wg init`, `wg config --coordinator-executor native --coordinator-model local:MODEL`, `wg endpoints add default --provider local --url URL --model MODEL --default`, `wg service start`",
        run: setupNex,
      },
      claude: {
        path: "`wg init` (claude is this wg's default executor), `wg service start`; the daemon's claude handler (`claude --print --input-format stream-json`) answers in the composer",
        run: setupClaude,
      },
    },
  }),

  notOffered: {
    plain: 'has no New chat launcher: the plain setup (`wg init`, then the chat made in the TUI) is not offered',
    route: 'has no named setup routes (`wg init --route`)',
  },

  surface: { endpoint: 'composer', pi: 'composer', claude: 'composer' },

  attach: (session, ctx) => attachChat(session, ctx, [composerCandidate(session, ctx)]),
  open: (session, ctx) => openComposer(session, ctx),

  teardown: stopServiceAndAgents,
};
