import type { TerminalSession } from '../../terminal/index.js';

// The New chat launcher of wg's TUI from June 2026 on (nex-tmux and pi-tmux builds): a dialog of
// preset rows, the highlighted one drawn `│   ◉ label`, `Enter launch` in its hint line. A person
// opens it (`n` in command mode, `E` on a dead chat's panel), moves with ↓ and presses Enter; each
// step here is confirmed on the screen.

/** The launcher's highlighted row (the chat tab bar has its own `◉`, without the box's indent). */
export const LAUNCHER_ROW = /│ {3}◉ ([^│]+?)\s*(│|$)/;

export const lineWith = (lines: readonly string[], re: RegExp): string | undefined => lines.find((l) => re.test(l));

/** The launcher's highlighted row (`│   ◉ label`; the chat tab bar has its own `◉` too), its label. */
export const selectedRow = (lines: readonly string[]): string => LAUNCHER_ROW.exec(lineWith(lines, LAUNCHER_ROW) ?? '')?.[1]?.trim() ?? '';

/** Presses `key` and waits until `read` of the screen changes (or 2 s pass: the end of a list). */
export async function pressAndSee(session: TerminalSession, key: string, read: (lines: readonly string[]) => string, what: string): Promise<void> {
  const before = read(session.screen().lines);
  await session.press(key);
  await session.waitFor((s) => read(s.lines) !== before || undefined, { timeoutMs: 2_000, phase: what }).catch(() => undefined);
}

/**
 * Opens the New chat launcher as the screen offers (`n` in command mode, or `E` on a dead chat's
 * panel), moves down to the first row whose label matches `want`, and returns that label; the
 * labels seen when no row matches (the list wrapped, or ended). Enter is the caller's.
 */
export async function walkLauncher(session: TerminalSession, key: 'n' | 'E', want: RegExp): Promise<{ row?: string; seen: string[] }> {
  await session.press(key);
  await session.waitFor((s) => s.lines.some((l) => /Enter launch/.test(l)) && s.lines.some((l) => LAUNCHER_ROW.test(l)), {
    timeoutMs: 15_000,
    phase: 'waiting for the New chat launcher (a ◉ row and `Enter launch`)',
  });
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

/** The error the launcher draws in its dialog when it will not start the chat (`⚠ Error: error[WG-EXEC-UNSELECTED]: …`), its words. */
export function launcherError(lines: readonly string[]): string | undefined {
  const line = lines.find((l) => /^\s*│\s+⚠ Error: /.test(l));
  return line && /⚠ (Error: .*?)\s*│/.exec(line)?.[1];
}
