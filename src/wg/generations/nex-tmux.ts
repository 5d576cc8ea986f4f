import { attachChat, composerCandidate } from '../flows/attach.js';
import { claudePaneHandle } from '../surfaces/claude-pane-open.js';
import { piHandle } from '../surfaces/pi-open.js';
import { ChatFailedError, SetupError } from '../../errors.js';
import { timeoutAsUndefined, WaitError, type TerminalSession } from '../../terminal/index.js';
import { nexPaneReady, PROMPT_TYPED } from '../surfaces/nex-pane.js';
import { chatPanelLines, chatPanelWidth } from '../frame.js';
import { COMPOSER_EMPTY } from '../surfaces/composer.js';
import { detectNexTmux, readNexTmuxTurn } from '../surfaces/nex-tmux.js';
import { chatPaneHistory } from '../tmux.js';
import { pollUntil } from '../poll.js';
import { plainInit, startService, wgCommand } from '../service.js';
import { checkNewestNexJournal } from '../transcripts/journals.js';
import { wgDirOf } from '../wg-dir.js';
import { commandError } from '../workspace.js';
import { stopChatsAndService } from '../flows/teardown.js';
import { usePiProvider } from '../flows/pi-provider.js';
import { openPiPane } from '../surfaces/pi-open.js';
import { piChatFailure, piReady } from '../surfaces/pi.js';
import { claudePaneReady } from '../surfaces/claude-pane.js';
import { openClaudePane } from '../surfaces/claude-pane-open.js';
import { dumpPrefix } from '../tui-command.js';
import { historyFromDump } from '../transcripts/pty-dump.js';
import { initWithRoute } from '../flows/setup-route.js';
import { NoPiError, type Generation, type ChatHandle, type DriverContext } from '../types.js';
import { tuiDump, type TuiDump } from '../tui-dump.js';
import { openComposer } from '../surfaces/composer-open.js';
import { COMPOSER_AFTER_MS } from '../surfaces/composer-view.js';
import { bringLaunchedChatForward, launchFromAddNew, openLauncher, walkLauncher } from '../flows/launcher.js';
import { chatTabs, launcherError, selectedRow, type ChatTab } from '../frame.js';
import { chatDiedBeforeTyping, chatTabShows, inactiveComposer, noChatFinding, warnIfObserved } from '../flows/chat-tab.js';
import { deathPanel, DIED } from '../frame.js';

// wg of about May to June 2026 (graphwork/wg): `wg init -m M -e URL -x nex` is still accepted (`-x`
// deprecated, the model stored as `nex:M`), chats are graph tasks `.chat-N` and the Chat tab shows
// a bare `wg nex -m M -e URL` REPL running in a tmux session behind the pane. The REPL draws as the
// April pane did (banner, `> ` prompt, plain reply), so the nex-pane detector reads it; what differs
// is the chat's id, where its journal is, and the tmux session that outlives `wg tui`.

const PROMPT_ONLY = /^(next)?>\s*█?\s*$/;

export const PI_BESIDE_NEX_SETUP_PATH =
  "the user's literal `wg init -m MODEL -e URL -x nex`, Pi's provider set to the endpoint (private PI_CODING_AGENT_DIR), `wg service start`; the Pi chat opened from the New chat launcher's Pi row";

/** A launcher row that starts Pi: `pi` (`Pi (pi.dev)`, July), `Pi (choose model in Pi)`, or a `pi:<provider>:<model>` route. */
export const PI_ROW = /^(pi\b|Pi\b)/;

/**
 * After a launch, with no service running: wg may show the new chat in the composer view
 * (`Chat agent not active.`, no pane; 58380883), where a person types. A ready pane, or anything
 * wg shows as failed, is the opener's to read.
 */
async function launchedIntoComposer(
  session: TerminalSession,
  ctx: DriverContext,
  kind: string,
  ready: (lines: readonly string[]) => boolean,
): Promise<ChatHandle | undefined> {
  const inactive = inactiveComposer();
  const shown = await session.waitFor<'pane' | 'composer'>(
    (s, c) => (ready(s.lines) || launcherError(s.lines) || s.lines.some((l) => DIED.test(l)) ? 'pane' : inactive(s.lines, c) ? 'composer' : undefined),
    { timeoutMs: 90_000, phase: `waiting for the launched ${kind} chat (its pane, or the composer view)` },
  );
  if (shown === 'pane') return undefined;
  return openInComposerView(session, ctx, launchedInComposer(kind));
}

/** The label of the chat tab shown (`◉`), or '' when the tab bar is not drawn. */
const shownTab = (lines: readonly string[]): string => chatTabs(lines).find((t) => t.shown)?.label ?? '';

/** After a launch: the new chat brought to the front where wg opened it behind the shown one. */
async function frontLaunchedChat(session: TerminalSession, ctx: DriverContext, before: readonly ChatTab[]): Promise<void> {
  const forward = await bringLaunchedChatForward(session, before);
  if (forward) {
    const { tab, command } = forward;
    ctx.finding(`wg opened the launched chat in a background tab ([${tab.key}] ${tab.label}): brought it forward with ${command}, then ${tab.key}`);
  }
}

// July's wg (about 07-07 to 07-24) offers Pi in the New chat launcher beside nex: a person opens the
// launcher (`n` in command mode), moves to the Pi row and presses Enter. Each step is confirmed
// on screen; a launcher whose rows hold no Pi is the build offering none (NoPiError).
async function openPiBesideNex(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle> {
  const nexReady = (lines: readonly string[]) => nexPaneReady(lines, PROMPT_ONLY);
  let first = await chatTabShows(
    session,
    { pi: piReady, nex: nexReady, claude: claudePaneReady },
    { timeoutMs: 60_000, phase: "waiting for `No chat selected.` (or an implicit chat's pane)" },
  );
  if (first === 'pi') {
    ctx.finding("this wg's implicit chat is Pi: typing into it");
    ctx.launched('its implicit Pi chat (the pane shows)');
    return openPiPane(session, ctx);
  }
  if (first === 'nex' || first === 'claude' || first === 'composer') {
    // June/July: the project's implicit chat (nex; claude after a plain init where claude is
    // installed) owns the keys. Ctrl+O is the TUI's one escape from a live pane into command mode
    // (wg's keymap policy), where `n` opens the launcher.
    ctx.finding(
      `this wg opened its implicit ${first === 'composer' ? `chat in the composer view (${composerWords(session.screen().lines)})` : `${first} chat`}: the Pi chat is made beside it (Ctrl+O, the TUI's escape into command mode, then \`n\`)`,
    );
    // The status bar says `[CMD]` once command mode is on; a Ctrl+O pressed as the pane first
    // draws can be missed (seen once on 5ed0e2c5): a person presses it again. From the composer
    // view (58380883) Ctrl+O instead starts the chat's pane, whose handler may die at once: its
    // panel offers the launcher (`E`).
    const commandOrDied = (lines: readonly string[]) => lines.some((l) => /\[CMD\]/.test(l) || DIED.test(l));
    for (let i = 0; i < 2 && !commandOrDied(session.screen().lines); i++) {
      await session.press('Ctrl+o');
      await session
        .waitFor((s) => commandOrDied(s.lines) || undefined, { timeoutMs: 3_000, phase: 'command mode (`[CMD]` in the status bar)' })
        .catch(timeoutAsUndefined);
    }
    // The pane's handler may take longer to die than the presses took (seen on 58380883 with two
    // runs at once): its panel, or command mode, is waited for before the launcher is asked for.
    await session
      .waitFor((s) => commandOrDied(s.lines) || undefined, { timeoutMs: 10_000, phase: 'command mode, or the pane dying' })
      .catch(timeoutAsUndefined);
    if (session.screen().lines.some((l) => DIED.test(l))) {
      chatDiedBeforeTyping(
        ctx,
        session.screen().lines,
        "Ctrl+O started the implicit chat's pane and it died",
        "the Pi chat is made from its panel's launcher (`E`)",
      );
      first = 'died';
    }
  } else if (first === 'died')
    chatDiedBeforeTyping(ctx, session.screen().lines, "wg's implicit chat died before anything was typed", 'making the Pi chat from the New chat launcher');
  else ctx.finding(noChatFinding(first, 'Pi'));
  const tabsBefore = chatTabs(session.screen().lines);
  const { row, seen } = await walkLauncher(session, first === 'died' ? 'E' : 'n', PI_ROW);
  if (!row) {
    // No Pi row, but `+ Add new...` may offer the pi executor (9f27c63f, 06-22, added it there
    // first): a person looks there before concluding this wg has no Pi chat.
    const rows = seen.map((r) => `"${r}"`).join(', ');
    if (!seen.some((r) => /^\+ Add new/.test(r))) throw new NoPiError(`the New chat launcher of this wg has no Pi row (rows: ${rows})`);
    await launchFromAddNew(session, ctx, 'pi', `nex:${ctx.target.model}`, `the New chat launcher has no Pi row (rows: ${rows})`).catch((error: unknown) => {
      if (error instanceof WaitError && error.reason === 'timeout' && /picking the pi executor/.test(error.phase ?? ''))
        throw new NoPiError(`the New chat launcher of this wg has no Pi row (rows: ${rows}), and its \`+ Add new...\` form no pi executor`);
      throw error;
    });
  } else if (/press m to set model/.test(row)) {
    // Late June: the Pi row has no model until one is set, and its inline editor (`m`) is not
    // drawn; `+ Add new...` with the pi executor has a visible Model field, given the project's
    // own `nex:` model. (Seen at 1794768d: wg runs `pi --provider oai-compat --model M`, a provider
    // Pi does not have, and the chat dies: wg's verdict, drawn on its death panel. Pi's own
    // `e2e:M` is refused by wg's pi-handler, "model resolution produced none", and never boots.)
    await launchFromAddNew(session, ctx, 'pi', `nex:${ctx.target.model}`, `the launcher's Pi row has no model ("${row}")`);
  } else {
    ctx.finding(`opened Pi from the New chat launcher (Enter on "${row}"), beside the project's nex`);
    await session.press('Enter');
    ctx.launched(`the Pi chat (Enter on the launcher row "${row}")`);
  }
  await frontLaunchedChat(session, ctx, tabsBefore);
  const composerChat = await launchedIntoComposer(session, ctx, 'Pi', (lines) => piReady(lines) || piChatFailure(lines) !== undefined);
  return composerChat ?? openPiPane(session, ctx);
}

// claude in the pane behind tmux: wg's implicit chat when the project's executor is claude, else
// the launcher's `claude:opus` preset (a person moves to its row and presses Enter).
async function openClaudeInTmux(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle> {
  const first = await chatTabShows(
    session,
    { pane: claudePaneReady },
    { timeoutMs: 60_000, phase: "waiting for claude's input box in the chat pane, or `No chat selected.`" },
  );
  if (first === 'composer') return openInComposerView(session, ctx, implicitInComposer('claude', session.screen().lines));
  if (first === 'pane') {
    ctx.finding('the TUI opened its implicit chat, and it runs claude: typing into it');
    ctx.launched('its implicit claude chat (the pane shows)');
  } else {
    if (first === 'died')
      chatDiedBeforeTyping(
        ctx,
        session.screen().lines,
        "wg's implicit chat died before anything was typed",
        'making the claude chat from the New chat launcher',
      );
    else ctx.finding(noChatFinding(first, 'claude'));
    const tabsBefore = chatTabs(session.screen().lines);
    const { row: preset, seen } = await walkLauncher(session, first === 'died' ? 'E' : 'n', /^claude:/);
    if (!preset) throw new SetupError(`the New chat launcher of this wg offers no claude preset (rows: ${seen.map((r) => `"${r}"`).join(', ')})`);
    ctx.finding(`opened claude from the New chat launcher (Enter on "${preset}")`);
    await session.press('Enter');
    ctx.launched(`the claude chat (Enter on the launcher row "${preset}")`);
    await frontLaunchedChat(session, ctx, tabsBefore);
    const composerChat = await launchedIntoComposer(session, ctx, 'claude', claudePaneReady);
    if (composerChat) return composerChat;
  }
  return openClaudePane(session, ctx, { history: (screen) => paneHistory(ctx, screen) });
}

// Mid July (58380883, 07-14; d6bbb4c7, 07-22): the implicit `.chat-0` is run by the daemon and the
// Chat tab shows it in the composer view (`Chat with Agent`, `Press 'c' or ':' to start typing.`),
// no pane. A person types there: the composer surface reads it.
async function openInComposerView(session: TerminalSession, ctx: DriverContext, finding: string): Promise<ChatHandle> {
  ctx.finding(finding);
  return openComposer(session, ctx);
}

const launchedInComposer = (kind: string) =>
  `the launched ${kind} chat shows in the composer view ("Chat agent not active.") and no pane after ${COMPOSER_AFTER_MS / 1000}s: typing there, as a person would`;

/** The finding for an implicit chat shown in the composer view, in the words on its screen. */
function implicitInComposer(kind: string, lines: readonly string[]): string {
  return `the Chat tab shows the implicit chat in the composer view (${composerWords(lines)}) and no ${kind} pane after ${COMPOSER_AFTER_MS / 1000}s: typing there, as a person would`;
}

/** The composer view's empty-state lines on this screen, quoted (`"Chat with Agent", …`). */
const composerWords = (lines: readonly string[]): string =>
  (chatPanelLines(lines) ?? [])
    .map((l) => l.trim())
    .filter((l) => COMPOSER_EMPTY.test(l))
    .map((l) => `"${l}"`)
    .join(', ');

/** The nex REPL behind tmux as the turn's surface: the newest nex journal, the tmux pane's scrollback. */
async function nexTmuxHandle(ctx: DriverContext, dump: TuiDump | undefined): Promise<ChatHandle> {
  const wgDir = await wgDirOf(ctx.projectDir);
  return {
    detector: detectNexTmux,
    readTranscript: (turn) => checkNewestNexJournal(wgDir, turn),
    history: { read: (screen) => paneHistory(ctx, screen), detector: readNexTmuxTurn },
    describe: dump ? `tui-dump: ${JSON.stringify(dump)}` : 'tui-dump did not confirm the chat',
  };
}

// The chat's whole history: its tmux pane's scrollback; before the chats moved into tmux (late
// April, e87d384f) the pane is wg's own PTY, whose dump has every byte the chat wrote.
async function paneHistory(ctx: DriverContext, screen: readonly string[]): Promise<string[] | undefined> {
  const tmux = await chatPaneHistory(ctx);
  if (tmux) return tmux;
  const cols = chatPanelWidth(screen);
  return cols ? historyFromDump(dumpPrefix(ctx), cols) : undefined;
}

// The user's literal command (`-x` deprecated but accepted, its warning said); pi-local: the same
// project, and Pi's provider set to the endpoint, for the Pi chat made beside nex.
async function setupNex(ctx: DriverContext): Promise<void> {
  const { target } = ctx;
  const init = await wgCommand(ctx, ['init', '-m', target.model, '-e', target.endpointUrl ?? '', '-x', 'nex'], 60_000);
  if (init.exitCode !== 0) throw new SetupError(commandError(init));
  const warning = deprecationWarning(init);
  if (warning) ctx.finding(`wg accepted the user's literal command with a warning: ${warning}`);
  if (target.kind === 'pi') await usePiProvider(ctx);
  await startService(ctx, { expectHandler: false });
}

// The user's flow with the claude executor: `wg init -x claude` (deprecated, still accepted).
async function setupClaude(ctx: DriverContext): Promise<void> {
  const init = await wgCommand(ctx, ['init', '-x', 'claude'], 60_000);
  if (init.exitCode !== 0) throw new SetupError(commandError(init));
  const warning = deprecationWarning(init);
  if (warning) ctx.finding(`wg accepted \`wg init -x claude\` with a warning: ${warning}`);
  await startService(ctx, { expectHandler: false });
}

const deprecationWarning = (record: { stdout: string; stderr: string }): string | undefined =>
  /warning: [^\n]*deprecated[^\n]*/i.exec(`${record.stderr}\n${record.stdout}`)?.[0]?.trim();

// A person who runs a plain `wg init` and makes the chat in the TUI's New chat launcher.
function setupPlain(ctx: DriverContext): Promise<void> {
  const kind = ctx.target.kind;
  return plainInit(
    ctx,
    `plain setup: \`wg init\` with no model flags; the ${kind === 'endpoint' ? 'nex' : kind} chat is the TUI's implicit one where it is that kind, else made in the New chat launcher`,
    kind === 'pi' ? () => usePiProvider(ctx) : undefined,
  );
}

// pi-local: Pi's provider for the endpoint too, for the Pi chat made beside nex.
const setupRoute = (ctx: DriverContext): Promise<void> =>
  initWithRoute(ctx, 'nex-tmux', ctx.target.kind === 'pi' ? async () => void (await usePiProvider(ctx)) : undefined);

const PLAIN_PATH =
  '`wg init` with no model flags, `wg service start`; the nex chat made in the New chat launcher (`+ Add new...`: executor nex, the model, the endpoint typed), as a person would';
const ROUTE_PATH =
  "`wg init --route nex-custom -m MODEL -e URL` (a nex chat; pi-local: the same, Pi's provider for the endpoint and the launcher's Pi row), `wg init --route claude-cli` (claude-local); then `wg service start`";

export const nexTmux: Generation = {
  name: 'nex-tmux',
  era: 'graphwork/wg of about May to July 2026: chats are `.chat-N` tasks whose pane runs `wg nex` (or claude, or Pi) in tmux; June on, a New chat launcher',

  recognise: (f) =>
    f.nexSubcommand && f.init.endpoint && f.chatCreate
      ? ['`wg --help` lists `nex`, `wg init --help` lists --endpoint and `wg chat` has create: chats are `.chat-N` tasks whose pane runs `wg nex` in tmux']
      : undefined,

  // The chats run in tmux; a Pi chat runs `pi`.
  needs: (kind) => (kind === 'pi' ? ['tmux', 'pi'] : ['tmux']),

  setups: () => ({
    literal: {
      endpoint: { path: "the user's literal `wg init -m MODEL -e URL -x nex` (`-x` deprecated but accepted), then `wg service start`", run: setupNex },
      // The launcher's Pi row beside nex (July 2026); a launcher without one is a loud skip.
      pi: { path: PI_BESIDE_NEX_SETUP_PATH, run: setupNex },
      claude: {
        path: "`wg init -x claude` (deprecated, accepted), `wg service start`; the implicit chat, or the launcher's `claude:opus` preset, runs interactive claude in tmux",
        run: setupClaude,
      },
    },
    plain: { endpoint: { path: PLAIN_PATH, run: setupPlain }, pi: { path: PLAIN_PATH, run: setupPlain }, claude: { path: PLAIN_PATH, run: setupPlain } },
    route: { endpoint: { path: ROUTE_PATH, run: setupRoute }, pi: { path: ROUTE_PATH, run: setupRoute }, claude: { path: ROUTE_PATH, run: setupRoute } },
  }),

  surface: { endpoint: 'nex-tmux', pi: 'pi-tmux', claude: 'claude-pane' },

  attach: (session, ctx) =>
    attachChat(session, ctx, [
      ctx.target.kind === 'claude'
        ? { surface: 'claude-pane', shows: claudePaneReady, handle: (dump) => claudePaneHandle({ history: (screen) => paneHistory(ctx, screen) }, dump) }
        : ctx.target.kind === 'pi'
          ? { surface: 'pi-tmux', shows: piReady, handle: (dump) => piHandle(ctx, dump) }
          : { surface: 'nex-tmux', shows: (l) => nexPaneReady(l, PROMPT_TYPED), handle: (dump) => nexTmuxHandle(ctx, dump) },
      composerCandidate(session, ctx),
    ]),

  async open(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle> {
    if (ctx.target.kind === 'claude') return openClaudeInTmux(session, ctx);
    if (ctx.target.kind === 'pi') return openPiBesideNex(session, ctx);
    const ready = (lines: readonly string[]) => nexPaneReady(lines, PROMPT_ONLY);
    // From about 2026-07-17 there is no implicit chat: `No chat selected.` until a person presses
    // `n` (command mode) and launches the preselected row of the New chat launcher with Enter.
    const first = await chatTabShows(session, { pane: ready }, { timeoutMs: 45_000, phase: 'waiting for the nex chat pane or `No chat selected.`' });
    if (first === 'composer') return openInComposerView(session, ctx, implicitInComposer('nex', session.screen().lines));
    const tabsBefore = chatTabs(session.screen().lines);
    const panelBefore = { words: deathPanel(session.screen().lines), tab: shownTab(session.screen().lines) };
    if (first === 'died') {
      // Seen at 18908cbb (2026-07-11): the implicit chat runs another executor than the project's
      // (`claude …` although `wg init` wrote executor=native) and dies; at 2a63fd97 (05-03) the
      // implicit nex chat, now and then, as the TUI starts. wg's failure; then do what the screen
      // offers a person: `E` (edit config in the launcher dialog), then a nex chat from it.
      chatDiedBeforeTyping(ctx, session.screen().lines, "wg's implicit chat died before anything was typed", 'making a nex chat from the New chat launcher');
    }
    if (first === 'launcher' || first === 'died' || first === 'inactive') {
      if (first !== 'died') ctx.finding(noChatFinding(first, 'nex'));
      // The death panel's own offer is `Press E to edit config in launcher dialog`.
      await openLauncher(session, first === 'died' ? 'E' : 'n');
      const preset = selectedRow(session.screen().lines) || '?';
      if (/^nex\b|\bnex:/.test(preset)) {
        ctx.finding(`opened the chat from the New chat launcher (Enter on "${preset}")`);
        await session.press('Enter');
        ctx.launched(`the nex chat (Enter on the launcher row "${preset}")`);
      } else {
        const model = ctx.target.model.includes(':') ? ctx.target.model : `nex:${ctx.target.model}`;
        await launchFromAddNew(session, ctx, 'nex', model, `the New chat launcher offers no nex preset (it preselects "${preset}")`);
      }
      await frontLaunchedChat(session, ctx, tabsBefore);
    }
    // The chat in front may die as it boots (May 2026: the launcher's nex chat ran the project's
    // claude): wg's verdict on its own chat. A death panel is the launched chat's unless it is the
    // one on screen before the launch, unchanged: the same words, on the same tab, never replaced.
    let booted = first === 'pane';
    if (booted) ctx.launched('its implicit nex chat (the pane shows)');
    const composer = inactiveComposer();
    const opened = await session.waitFor(
      (s, c) => {
        if (ready(s.lines)) return 'ready';
        if (composer(s.lines, c)) return 'composer';
        const dead = s.lines.some((l) => DIED.test(l));
        if (!dead || first !== 'died' || deathPanel(s.lines) !== panelBefore.words || shownTab(s.lines) !== panelBefore.tab) booted = true;
        return dead && booted
          ? { failure: `the nex chat made in the New chat launcher died as it started (Chat agent died): ${deathPanel(s.lines)}` }
          : undefined;
      },
      { timeoutMs: 45_000, phase: 'waiting for the nex chat pane (banner and `> ` prompt)' },
    );
    if (opened === 'composer') {
      return openInComposerView(session, ctx, launchedInComposer('nex'));
    }
    if (opened !== 'ready') throw new ChatFailedError(opened.failure);
    await warnIfObserved(session, ctx);
    const dump = await pollUntil(
      async () => {
        const d = await tuiDump(ctx);
        return d?.active_tab === 'Chat' && d.focused_panel === 'panel' ? d : undefined;
      },
      { timeoutMs: 10_000, what: 'wg tui-dump to report the chat tab focused' },
    ).catch((error: Error) => {
      ctx.finding(`chat not confirmed by tui-dump: ${error.message}`);
      return undefined;
    });
    return nexTmuxHandle(ctx, dump);
  },

  // The tmux session outlives `wg tui`.
  teardown: stopChatsAndService,
};
