import { attachChat, composerCandidate } from '../flows/attach.js';
import { piHandle } from '../surfaces/pi-open.js';
import { piReady } from '../surfaces/pi.js';
import type { TuiDump } from '../tui-dump.js';
import { usePiProvider } from '../flows/pi-provider.js';
import { openPiPane } from '../surfaces/pi-open.js';
import { SetupError } from '../../errors.js';
import type { TerminalSession } from '../../terminal/index.js';
import { piPaneLines } from '../surfaces/pi.js';
import { plainInit, startService, wgCommand } from '../service.js';
import { commandError } from '../workspace.js';
import { PI_PROVIDER } from '../flows/pi-provider.js';
import { stopChatsAndService } from '../flows/teardown.js';
import type { ChatHandle, DriverContext, Generation } from '../types.js';
import { openComposer } from '../surfaces/composer-open.js';
import { launchFromAddNew, openAddNewForm, pressAndSee, walkLauncher } from '../flows/launcher.js';
import { lineWith } from '../frame.js';
import { initWithRoute } from '../flows/setup-route.js';
import { NoClaudeError, SetupNotOfferedError } from '../types.js';

// Today's wg: `wg init -e/-x nex` is rejected by design and chat is Pi inside tmux. This generation
// tries the user's literal command first and reports the rejection loudly, then configures Pi's
// provider for the same endpoint, `wg init -m pi:e2e:MODEL`, `wg service start`, and opens the
// chat the way a person does: `n`, then Enter on the Pi row.

/** The chat's route on today's wg: `claude:<model>` makes a chat whose executor is claude. */
export const CLAUDE_ROUTE = 'claude:opus';
/** `wg init` takes only an exact Pi route now; the project's default route, which the claude chat does not use. */
const INIT_PI_ROUTE = 'pi:anthropic:claude-opus-4';

// A user who wants claude on today's wg: `wg init -x claude` is refused (Pi is the sole LLM
// handler, and `wg init -m claude:opus` wants a Pi route too), but `wg chat new -m claude:opus`
// still makes a claude chat, which the daemon's claude adapter runs (`claude --print
// --input-format stream-json`) and the TUI shows in its composer view (`Chat with Agent`).
async function setupClaudeRoute(ctx: DriverContext): Promise<void> {
  const literal = await wgCommand(ctx, ['init', '-x', 'claude'], 60_000);
  if (literal.exitCode === 0) {
    ctx.finding('this wg accepted `wg init -x claude`');
  } else {
    ctx.finding(
      `wg REJECTED \`wg init -x claude\`: ${commandError(literal)}. Running the claude path this wg offers: \`wg init -m ${INIT_PI_ROUTE}\`, then \`wg chat new -m ${CLAUDE_ROUTE}\`.`,
    );
    const init = await wgCommand(ctx, ['init', '-m', INIT_PI_ROUTE], 60_000);
    if (init.exitCode !== 0) throw new SetupError(commandError(init));
  }
  const chat = await wgCommand(ctx, ['chat', 'new', '-m', CLAUDE_ROUTE], 30_000);
  if (chat.exitCode !== 0) {
    const words = `\`wg chat new -m ${CLAUDE_ROUTE}\` failed: ${commandError(chat)}`;
    // Late July: chats take only exact Pi routes (WG-PI-ROUTE-REQUIRED): no claude chat in this build.
    if (/WG-PI-ROUTE-REQUIRED|not an exact `?pi:/.test(words)) throw new NoClaudeError(`this wg offers no claude chat: ${words}`);
    throw new SetupError(`this wg has no claude chat: ${words}`);
  }
  await startService(ctx, { expectHandler: true });
}

// The user's literal command first (today's wg rejects it, said loudly), then the same flow the way
// this wg offers: Pi's provider set to the endpoint and the exact Pi route.
async function setupNex(ctx: DriverContext): Promise<void> {
  const { target } = ctx;
  const literal = await wgCommand(ctx, ['init', '-m', target.model, '-e', target.endpointUrl ?? '', '-x', 'nex'], 60_000);
  if (literal.exitCode === 0) {
    ctx.finding(`this wg accepted the user's literal \`wg init -m ${target.model} -e URL -x nex\`; continuing with its Pi chat`);
  } else {
    ctx.finding(
      `wg REJECTED the user's literal command: ${commandError(literal)}. Running the same flow the way this wg offers (Pi's provider set to the endpoint).`,
    );
  }
  const pi = await usePiProvider(ctx);
  if (literal.exitCode !== 0) {
    const init = await wgCommand(ctx, ['init', '-m', pi.route], 60_000);
    if (init.exitCode !== 0) throw new SetupError(commandError(init));
  }
  await startService(ctx, { expectHandler: false });
}

// pi-local: a person who wants wg's Pi chat on their endpoint configures Pi's provider (as wg's own
// error says) and gives wg the exact Pi route.
async function setupPi(ctx: DriverContext): Promise<void> {
  const pi = await usePiProvider(ctx);
  const init = await wgCommand(ctx, ['init', '-m', pi.route], 60_000);
  if (init.exitCode !== 0) throw new SetupError(commandError(init));
  await startService(ctx, { expectHandler: false });
}

// Late July's wg wants a Pi route even for a plain init: then the plain path does not exist there.
// claude-local: the claude chat is looked for in the launcher, in open().
function setupPlain(ctx: DriverContext): Promise<void> {
  if (ctx.target.kind === 'claude') return plainInit(ctx, 'plain `wg init` accepted; the claude chat is looked for in the New chat launcher');
  return plainInit(ctx, 'plain `wg init` accepted; the chat is made in the New chat launcher', () => usePiProvider(ctx));
}

// `wg init --route pi` with the exact Pi route of the endpoint (its default route is OpenRouter's).
const setupRoute = (ctx: DriverContext): Promise<void> => initWithRoute(ctx, 'pi-tmux', async () => (await usePiProvider(ctx)).route);

const PI_PATH =
  "Pi's provider set to the endpoint (private PI_CODING_AGENT_DIR), `wg init -m pi:e2e:MODEL`, `wg service start`; the Pi chat opened from the New chat launcher";
const PLAIN_PATH =
  "plain `wg init` (refused by some builds without a Pi route: then PLAIN SETUP SKIPPED), Pi's provider for the endpoint, the launcher's Pi row; claude-local: the launcher's claude row, where it has one";
const ROUTE_PATH = "Pi's provider for the endpoint, `wg init --route pi -m pi:e2e:MODEL`, `wg service start`; the launcher's Pi row";

export const piTmux: Generation = {
  name: 'pi-tmux',
  era: "graphwork/wg from late July 2026 (today): `wg init -e/-x nex` rejected by design; every chat but claude's is Pi in tmux",

  recognise: (f) =>
    f.piRoutes && f.chatCreate && !f.init.endpoint
      ? ['`wg init --help` takes Pi routes and no --endpoint; `wg chat` has create: chat is Pi in tmux']
      : undefined,

  // Every chat of this wg but claude's is Pi (nex-local and nex-live too), in tmux.
  needs: (kind) => (kind === 'claude' ? ['claude'] : ['tmux', 'pi']),

  setups: () => ({
    literal: {
      endpoint: {
        path: "the user's literal `wg init … -e URL -x nex` (expected to be rejected), then Pi's provider for the endpoint and `wg init -m pi:e2e:MODEL`, `wg service start`",
        run: setupNex,
      },
      pi: { path: PI_PATH, run: setupPi },
      // Today's claude path: a chat created with the `claude:` route, run by the daemon's claude adapter.
      claude: {
        path: `the user's \`wg init -x claude\` (refused), \`wg init -m ${INIT_PI_ROUTE}\`, \`wg chat new -m ${CLAUDE_ROUTE}\`, \`wg service start\`; the composer view over the daemon's claude adapter`,
        run: setupClaudeRoute,
      },
    },
    plain: { endpoint: { path: PLAIN_PATH, run: setupPlain }, pi: { path: PLAIN_PATH, run: setupPlain }, claude: { path: PLAIN_PATH, run: setupPlain } },
    route: { endpoint: { path: ROUTE_PATH, run: setupRoute }, pi: { path: ROUTE_PATH, run: setupRoute }, claude: { path: ROUTE_PATH, run: setupRoute } },
  }),

  surface: { endpoint: 'pi-tmux', pi: 'pi-tmux', claude: 'composer' },

  attach: (session, ctx) =>
    attachChat(session, ctx, [
      ...(ctx.target.kind === 'claude' ? [] : [{ surface: 'pi-tmux', shows: piReady, handle: (dump: TuiDump | undefined) => piHandle(ctx, dump) }]),
      composerCandidate(session, ctx),
    ]),

  async open(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle> {
    if (ctx.target.kind === 'claude' && ctx.setup === 'plain') return openClaudeFromLauncher(session);
    if (ctx.target.kind === 'claude') return openComposer(session, ctx);
    await session.waitFor((s) => piPaneLines(s.lines).some((l) => /No chat selected\.|press n in command mode/.test(l)), {
      timeoutMs: 30_000,
      phase: 'waiting for the TUI (No chat selected.)',
    });
    await session.press('n');
    // August: `◉ Pi (choose model in Pi)`; late July: `◉ pi:<provider>:<model> Pi model plane …` above `[Launch] [Cancel]`.
    const row = await session.waitFor(
      (s) =>
        s.lines.some((l) => /New chat/.test(l)) &&
        (s.lines.some((l) => /◉ (Pi\b|pi:\S+ Pi model plane)/.test(l)) ? 'pi' : s.lines.some((l) => /◉ \+ Add new/.test(l)) ? 'add-new' : undefined),
      { timeoutMs: 15_000, phase: 'waiting for the New chat launcher with its Pi row' },
    );
    if (row === 'add-new') {
      // Late July after a plain init: no route configured, so no Pi row; a person takes `+ Add new...` (pi) and types the route.
      await launchFromAddNew(
        session,
        ctx,
        'pi',
        `pi:${PI_PROVIDER}:${ctx.target.model}`,
        'the launcher has no Pi row (only `+ Add new...`) after a plain init',
      );
    } else {
      await session.press('Enter');
      ctx.launched("the Pi chat (Enter on the launcher's Pi row)");
    }
    return openPiPane(session, ctx);
  },

  // The chat's tmux session outlives `wg tui`.
  teardown: stopChatsAndService,
};

// claude-local after a plain init: a person looks for claude in the New chat launcher (its rows,
// and the executors of `+ Add new...`). Today's launcher offers Pi only: the plain setup of a
// claude chat is not offered there (a counted PLAIN SETUP SKIPPED), never swapped for another.
async function openClaudeFromLauncher(session: TerminalSession): Promise<ChatHandle> {
  await session.waitFor((s) => piPaneLines(s.lines).some((l) => /No chat selected\.|press n in command mode/.test(l)), {
    timeoutMs: 30_000,
    phase: 'waiting for the TUI (No chat selected.)',
  });
  const { row, seen } = await walkLauncher(session, 'n', /claude/i);
  if (!row) {
    const executors = await addNewExecutors(session, seen);
    throw new SetupNotOfferedError(
      'plain',
      `this wg's New chat launcher offers no claude chat (rows: ${seen.map((r) => `"${r}"`).join(', ')}; \`+ Add new...\` executors: ${executors.join(', ') || 'none'}): the plain setup of claude-local is not offered`,
    );
  }
  throw new SetupError(`this wg's New chat launcher has a claude row ("${row}"); a claude chat launched from it is not driven yet`);
}

/** The executors `+ Add new...` cycles through with →, as drawn (`◉ pi (recommended · open source)` → `pi`). */
async function addNewExecutors(session: TerminalSession, rows: readonly string[]): Promise<string[]> {
  if (!rows.some((r) => /^\+ Add new/.test(r))) return [];
  const executor = (lines: readonly string[]) => /Executor: ◉ (\S+)/.exec(lineWith(lines, /Executor: /) ?? '')?.[1] ?? '';
  await openAddNewForm(session);
  const seen: string[] = [];
  for (let i = 0; i < 10; i++) {
    const name = executor(session.screen().lines);
    if (seen.includes(name)) break;
    seen.push(name);
    await pressAndSee(session, 'Right', executor, 'the executor radio moving');
  }
  return seen;
}
