import { attachChat, composerCandidate } from '../flows/attach.js';
import { claudePaneHandle } from '../surfaces/claude-pane-open.js';
import { claudeInWgPane, nexPaneHandle } from '../surfaces/nex-pane-open.js';
import { SetupError } from '../../errors.js';
import { heldFor, type TerminalSession } from '../../terminal/index.js';
import { chatPanelLines } from '../frame.js';
import { initWithoutExecutor, NO_EXECUTOR_SETUP_PATH, serviceExecutor } from '../flows/init-no-executor.js';
import { stopServiceAndAgents } from '../flows/teardown.js';
import { projectProcesses } from '../processes.js';
import { startService, wgCommand } from '../service.js';
import { claudePaneReady } from '../surfaces/claude-pane.js';
import { COMPOSER_EMPTY } from '../surfaces/composer.js';
import { openComposer } from '../surfaces/composer-open.js';
import { COMPOSER_AFTER_MS, composerHeld } from '../surfaces/composer-view.js';
import { nexPaneBannerOnly, nexPaneReady, PROMPT_TYPED } from '../surfaces/nex-pane.js';
import { openNexPane } from '../surfaces/nex-pane-open.js';
import type { ChatHandle, DriverContext, Generation } from '../types.js';
import { commandError } from '../workspace.js';

// The April-2026 TUI (graphwork/workgraph and graphwork/wg of about 04-21 to 04-30): `wg init -m M
// -e URL -x nex`, `wg service start`, `wg tui`; the Chat tab embeds a `wg nex` REPL that takes keys
// directly: type, then Enter. Builds of 04-21..25 take -m/-e but not yet -x.

// The user's literal command, as they typed it.
async function setupNex(ctx: DriverContext): Promise<void> {
  const { target } = ctx;
  const init = await wgCommand(ctx, ['init', '-m', target.model, '-e', target.endpointUrl ?? '', '-x', 'nex'], 60_000);
  if (init.exitCode !== 0) throw new SetupError(commandError(init));
  await startService(ctx, { expectHandler: true });
}

// 2026-04-21..25: `wg init -m/-e` without -x; the executor follows the model (local: → native).
async function setupNexWithoutExecutor(ctx: DriverContext): Promise<void> {
  await initWithoutExecutor(ctx);
  const before = ctx.commands.length;
  await startService(ctx, { expectHandler: true });
  const said = serviceExecutor(
    ctx.commands
      .slice(before)
      .map((c) => c.stdout)
      .join('\n'),
  );
  if (said && said !== 'native') ctx.finding(`\`wg service start\` reports executor=${said}, not native`);
}

async function setupClaude(ctx: DriverContext): Promise<void> {
  const init = await wgCommand(ctx, ['init', '-x', 'claude'], 60_000);
  if (init.exitCode !== 0) throw new SetupError(commandError(init));
  await startService(ctx, { expectHandler: false });
}

// 04-21..25: no -x yet, and `default_executor()` is claude: a plain `wg init` is the claude setup
// this wg offers. The user's flag is tried first and its refusal said.
async function setupClaudeWithoutExecutor(ctx: DriverContext): Promise<void> {
  const literal = await wgCommand(ctx, ['init', '-x', 'claude'], 60_000);
  if (literal.exitCode === 0) {
    ctx.finding('this wg accepted `wg init -x claude` although its help does not list -x');
  } else {
    ctx.finding(`wg REJECTED \`wg init -x claude\`: ${commandError(literal)}. This wg has no -x yet and its default executor is claude: running \`wg init\`.`);
    const init = await wgCommand(ctx, ['init'], 60_000);
    if (init.exitCode !== 0) throw new SetupError(commandError(init));
  }
  await startService(ctx, { expectHandler: false });
}

// The nex-pane generation as a person meets it. wg of about 2026-04-21..25 already has
// `wg init -m/-e/-x` and the pane code, but its pane can lose the chat's session lock to the
// daemon's restarted handler and die before it is drawn: the Chat tab then shows the composer
// (`Chat with Coordinator` / `Press 'c' or ':' to start typing.`) and stays there. A person types
// into what is on screen, so this generation waits for the pane, and when only the composer shows for
// COMPOSER_AFTER_MS it says so loudly and drives the composer instead.

/** A pane with nex's banner and no prompt for this long is taken as it is (nex prints its prompt within a second of the banner). */
export const BANNER_ONLY_AFTER_MS = 10_000;
const PANE_BUDGET_MS = 30_000;

export type ChatSurface = 'pane' | 'composer' | 'banner' | 'none';

/** What the Chat tab shows on this screen: the nex pane ready, its banner without a prompt, the composer's empty state, or none of them. */
export function chatSurface(lines: readonly string[]): ChatSurface {
  if (nexPaneReady(lines)) return 'pane';
  if (nexPaneBannerOnly(lines)) return 'banner';
  return (chatPanelLines(lines) ?? []).some((l) => COMPOSER_EMPTY.test(l.trim())) ? 'composer' : 'none';
}

// Re-checked on every frame; the composer's time on screen is the one time-based condition.
async function waitSurface(session: TerminalSession): Promise<ChatSurface> {
  // The composer and a prompt-less pane are taken only once they have lasted (a ready pane
  // replaces either within a second or two).
  const composerLasted = heldFor(COMPOSER_AFTER_MS);
  const bannerLasted = heldFor(BANNER_ONLY_AFTER_MS);
  try {
    return await session.waitFor<ChatSurface>(
      (screen, ctx) => {
        const surface = chatSurface(screen.lines);
        if (surface === 'pane') return 'pane';
        if (composerLasted(surface === 'composer' ? surface : undefined, ctx)) return 'composer';
        return bannerLasted(surface === 'banner' ? surface : undefined, ctx) ? 'banner' : undefined;
      },
      { timeoutMs: PANE_BUDGET_MS, phase: 'waiting for the nex pane (or the composer it falls back to)' },
    );
  } catch {
    // Out of time, or wg tui exited: report what is on screen and let the caller's wait say why.
    return chatSurface(session.screen().lines);
  }
}

// claude's input box in the pane, or the composer's empty state held for COMPOSER_AFTER_MS.
async function waitClaudeSurface(session: TerminalSession): Promise<'pane' | 'composer' | 'none'> {
  const composer = composerHeld();
  return session
    .waitFor<'pane' | 'composer'>((screen, ctx) => (claudePaneReady(screen.lines) ? 'pane' : composer(screen.lines, ctx) ? 'composer' : undefined), {
      timeoutMs: 60_000,
      phase: "waiting for claude's input box in the chat pane (or the composer it falls back to)",
    })
    .catch(() => 'none' as const);
}

async function openPaneOrComposer(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle> {
  if (ctx.target.kind === 'claude') {
    // Builds of 04-21/22 have no pane yet: their claude chat is the composer over the daemon's handler.
    if ((await waitClaudeSurface(session)) !== 'composer') return openNexPane(session, ctx);
    ctx.finding(
      `the Chat tab shows no claude pane: after ${COMPOSER_AFTER_MS / 1000}s it still shows the composer, so the messages are typed there (the daemon's claude handler answers)`,
    );
    return openComposer(session, ctx);
  }
  const surface = await waitSurface(session);
  if (surface === 'banner') {
    // Seen at graphwork/wg 42692002 (2026-04-24): the pane runs `wg nex --chat coordinator-N`,
    // whose input is the chat's inbox, while the TUI forwards every key to the pane.
    const nex = (await projectProcesses(ctx.projectDir)).filter((p) => /\snex\s/.test(` ${p.cmd} `) && /--chat\b/.test(p.cmd));
    ctx.finding(
      `the chat pane shows nex's banner but no \`> \` prompt after ${BANNER_ONLY_AFTER_MS / 1000}s${nex.length ? `; the pane runs \`${nex.map((p) => p.cmd.replace(/^\S*\/(wg[\w-]*) /, 'wg ')).join('`, `')}\` (\`--chat\`: nex reads the chat's inbox, not the keys)` : ''}; typing into the focused pane as a person would`,
    );
    return openNexPane(session, ctx, { promptless: true });
  }
  if (surface !== 'composer') return openNexPane(session, ctx);
  ctx.finding(
    `the Chat tab never showed the \`wg nex\` pane: after ${COMPOSER_AFTER_MS / 1000}s it still shows the composer ("Press 'c' or ':' to start typing."), so the messages are typed there, as a person would (they go to the daemon's handler, not an embedded nex)`,
  );
  return openComposer(session, ctx);
}

export const nexPane: Generation = {
  name: 'nex-pane',
  era: 'April 2026 (graphwork/workgraph, graphwork/wg of about 04-21 to 04-30): the Chat tab embeds a `wg nex` pane',

  recognise: (f) => {
    if (!(f.nexSubcommand && f.init.endpoint) || f.chatCreate) return undefined;
    const reasons = ['`wg --help` lists `nex` and `wg init --help` lists --endpoint: the chat tab embeds a `wg nex` pane'];
    if (f.init.model && !f.init.executor)
      reasons.push(
        '`wg init --help` lists -m/-e but no -x (graphwork/wg of 2026-04-21..25): set up with `wg init -m MODEL -e URL`, whose `local:` model makes the chat executor native',
      );
    return reasons;
  },

  needs: () => [],

  setups: (caps) => ({
    literal: {
      ...(caps.init.executor
        ? { endpoint: { path: "the user's literal `wg init -m MODEL -e URL -x nex`, then `wg service start`", run: setupNex } }
        : caps.init.model
          ? { endpoint: { path: NO_EXECUTOR_SETUP_PATH, run: setupNexWithoutExecutor } }
          : {}),
      claude: caps.init.executor
        ? { path: '`wg init -x claude`, `wg service start`; interactive claude in the chat pane', run: setupClaude }
        : {
            path: "the user's `wg init -x claude` (rejected: no -x yet), then `wg init` (claude is the default executor), `wg service start`; the composer over the daemon's claude handler where no pane shows",
            run: setupClaudeWithoutExecutor,
          },
    },
  }),

  notOffered: {
    plain: 'has no New chat launcher: the plain setup (`wg init`, then the chat made in the TUI) is not offered',
    route: 'has no named setup routes (`wg init --route`)',
  },

  surface: { endpoint: 'nex-pane', pi: 'nex-pane', claude: 'claude-pane' },

  attach: (session, ctx) =>
    attachChat(session, ctx, [
      ctx.target.kind === 'claude'
        ? { surface: 'claude-pane', shows: claudePaneReady, handle: (dump) => claudePaneHandle(claudeInWgPane(ctx), dump) }
        : { surface: 'nex-pane', shows: (l) => nexPaneReady(l, PROMPT_TYPED) || nexPaneBannerOnly(l), handle: (dump) => nexPaneHandle(ctx, dump) },
      composerCandidate(session, ctx),
    ]),

  open: openPaneOrComposer,

  teardown: stopServiceAndAgents,
};
