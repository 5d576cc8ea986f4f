import { heldFor, timeoutAsUndefined, type TerminalSession } from '../../terminal/index.js';
import type { DriverContext } from '../types.js';
import { ChatTab, LAUNCHER_ROW, chatTabs, commandModeKey, lineWith, selectedRow } from '../frame.js';

// The New chat launcher of wg's TUI from June 2026 on (nex-tmux and pi-tmux builds): a dialog of
// preset rows, the highlighted one drawn `│   ◉ label`, `Enter launch` in its hint line. A person
// opens it (`n` in command mode, `E` on a dead chat's panel), moves with ↓ and presses Enter; each
// step here is confirmed on the screen.

/** Presses `key` and waits until `read` of the screen changes (or 2 s pass: the end of a list). */
export async function pressAndSee(session: TerminalSession, key: string, read: (lines: readonly string[]) => string, what: string): Promise<void> {
  const before = read(session.screen().lines);
  await session.press(key);
  // A half-drawn frame reads as an empty row (seen under load in CI: a launcher row `""`): the
  // change is the next thing drawn there, not the gap.
  await session
    .waitFor(
      (s) => {
        const now = read(s.lines);
        return (now !== before && now !== '') || undefined;
      },
      { timeoutMs: 2_000, phase: what },
    )
    .catch(timeoutAsUndefined);
}

/** Presses `n` (command mode) or `E` (a dead chat's panel) and waits for the launcher: a ◉ row and `Enter launch`. */
export async function openLauncher(session: TerminalSession, key: 'n' | 'E'): Promise<void> {
  await session.press(key);
  await session.waitFor((s) => s.lines.some((l) => /Enter launch/.test(l)) && s.lines.some((l) => LAUNCHER_ROW.test(l)), {
    timeoutMs: 15_000,
    phase: 'waiting for the New chat launcher (a ◉ row and `Enter launch`)',
  });
}

/**
 * Opens the New chat launcher as the screen offers (`n` in command mode, or `E` on a dead chat's
 * panel), moves down to the first row whose label matches `want`, and returns that label; the
 * labels seen when no row matches (the list wrapped, or ended). Enter is the caller's.
 */
export async function walkLauncher(session: TerminalSession, key: 'n' | 'E', want: RegExp): Promise<{ row?: string; seen: string[] }> {
  await openLauncher(session, key);
  const seen: string[] = [];
  for (let i = 0; i < 12; i++) {
    const row = selectedRow(session.screen().lines);
    if (want.test(row)) return { row, seen };
    if (seen.includes(row)) break; // back at a row already seen: the list wrapped
    seen.push(row);
    await pressAndSee(session, 'Down', selectedRow, 'the launcher moving to the next row');
  }
  return { seen };
}

/** Moves down to `+ Add new...`, presses Enter and waits for its form (the `Executor:` row). */
export async function openAddNewForm(session: TerminalSession): Promise<void> {
  for (let i = 0; i < 12 && !/^\+ Add new/.test(selectedRow(session.screen().lines)); i++) {
    await pressAndSee(session, 'Down', selectedRow, 'the launcher moving to the next row');
  }
  await session.waitFor((s) => /^\+ Add new/.test(selectedRow(s.lines)) || undefined, { timeoutMs: 5_000, phase: 'selecting `+ Add new...` in the launcher' });
  await session.press('Enter');
  await session.waitFor((s) => lineWith(s.lines, /Executor: /), { timeoutMs: 5_000, phase: 'waiting for the Add new form (Executor: …)' });
}

// July's launcher offers presets (codex, claude, pi) but not the project's nex model: a person
// takes `+ Add new...`, picks the executor with ←→ (`nex`; or `pi` where the Pi row has no model),
// types the model, checks the endpoint (nex only; prefilled from the project's default endpoint)
// and presses Enter. Each step is confirmed on screen.
export async function launchFromAddNew(session: TerminalSession, ctx: DriverContext, wanted: 'nex' | 'pi', model: string, why: string): Promise<void> {
  const target = ctx.target;
  await openAddNewForm(session);
  const executor = (lines: readonly string[]) => lineWith(lines, /Executor: /) ?? '';
  const picked = new RegExp(`◉ ${wanted}\\b`);
  for (let i = 0; i < 10 && !picked.test(executor(session.screen().lines)); i++) {
    await pressAndSee(session, 'Right', executor, 'the executor radio moving');
  }
  await session.waitFor((s) => picked.test(lineWith(s.lines, /Executor: /) ?? '') || undefined, {
    timeoutMs: 5_000,
    phase: `picking the ${wanted} executor in the Add new form`,
  });
  await session.press('Tab');
  await session.waitFor((s) => /▸ Model:/.test(lineWith(s.lines, /Model: /) ?? '') || undefined, { timeoutMs: 5_000, phase: 'moving to the Model field' });
  // The Model field autocompletes and Tab/Enter accept the highlighted suggestion: a bare
  // `qwen3-coder` becomes `qwen/qwen3-coder` (seen at 1d1e4152). The explicit `nex:MODEL` spec
  // (the form `wg init` stored) has no suggestion, so it launches as typed.
  await session.type(model, { delayMs: 0 });
  await session.waitFor((s) => lineWith(s.lines, new RegExp(`Model: +${model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)), {
    timeoutMs: 5_000,
    phase: 'the typed model in the Model field',
  });
  if (wanted === 'nex') {
    await session.press('Tab');
    await session.waitFor((s) => /▸ Endpoint:/.test(lineWith(s.lines, /Endpoint: /) ?? '') || undefined, {
      timeoutMs: 5_000,
      phase: 'moving to the Endpoint field',
    });
    const url = target.endpointUrl ?? '';
    if (!(lineWith(session.screen().lines, /Endpoint: /) ?? '').includes(url)) await session.type(url, { delayMs: 0 });
    await session.waitFor((s) => (lineWith(s.lines, /Endpoint: /) ?? '').includes(url) || undefined, {
      timeoutMs: 5_000,
      phase: 'the endpoint URL in the Endpoint field',
    });
  }
  const form = session
    .screen()
    .lines.filter((l) => /Executor: |Model: |Endpoint: /.test(l))
    .map((l) => l.replace(/[│┌┐└┘]/g, '').trim());
  ctx.finding(`${why}: created the chat through \`+ Add new...\` — ${form.join(' · ')}`);
  await session.press('Enter');
  ctx.launched(`a ${wanted} chat (Enter on the launcher's \`+ Add new...\` form)`);
}

/**
 * The chat a launch made, when wg opened it behind the chat that was shown (May 2026: the
 * launcher's chat appears as `[2] ● .chat-1` while the dead implicit `.chat-0` stays in front).
 * The newest tab not in `before` is the launch's (a tab bar drawn empty before the launch may
 * gain the implicit chat's tab too); it is read once the bar has held still. A person leaves the
 * pane for command mode (the key its hint row names) and presses the tab's digit; each step is
 * confirmed on the tab bar. Returns the tab brought forward and the key that left the pane, or undefined when the new chat was
 * already shown or no new tab appeared within `waitMs`.
 */
export async function bringLaunchedChatForward(
  session: TerminalSession,
  before: readonly ChatTab[],
  waitMs = 5_000,
): Promise<{ tab: ChatTab; command: string } | undefined> {
  const isNew = (t: ChatTab) => !before.some((b) => b.label === t.label);
  const newest = (lines: readonly string[]) => chatTabs(lines).filter(isNew).at(-1);
  const first = await session.waitFor((s) => newest(s.lines), { timeoutMs: waitMs, phase: 'the launched chat in the tab bar' }).catch(timeoutAsUndefined);
  if (!first) return undefined;
  // The tab bar held still for a second (the launch may draw its tabs one frame at a time).
  const still = heldFor(1_000);
  await session
    .waitFor((s, ctx) => still(JSON.stringify(chatTabs(s.lines)), ctx) || undefined, { timeoutMs: 3_000, phase: 'the tab bar holding still' })
    .catch(timeoutAsUndefined);
  const fresh = newest(session.screen().lines) ?? first;
  if (fresh.shown) return undefined;
  const shown = (lines: readonly string[]) => chatTabs(lines).some((t) => t.label === fresh.label && t.shown);
  const command = commandModeKey(session.screen().lines);
  // The command-mode key toggles, and the top bar's `[PTY]` stays while a dead chat is in front, so
  // focus cannot be read off the screen: the key and the digit, then the digit alone (already in
  // command mode), then both again. A digit that picked a panel tab instead (`2:Agency`, wg did
  // not count the new chat yet) is undone with `0`, the Chat tab.
  for (const keys of [[command, fresh.key], [fresh.key], [command, fresh.key]]) {
    if (shown(session.screen().lines)) break;
    for (const key of keys) await session.press(key);
    await session
      .waitFor((s) => shown(s.lines) || undefined, { timeoutMs: 3_000, phase: `tab [${fresh.key}] ${fresh.label} in front` })
      .catch(timeoutAsUndefined);
    if (chatTabs(session.screen().lines).length === 0) await session.press('0');
  }
  await session.waitFor((s) => shown(s.lines) || undefined, {
    timeoutMs: 1_000,
    phase: `tab [${fresh.key}] ${fresh.label} in front (${command}, then ${fresh.key})`,
  });
  return { tab: fresh, command };
}
