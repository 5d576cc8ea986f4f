/** Column range of the right panel's inside on the chat tab row; undefined when no chat tab is drawn. */
export function chatPanelWidth(lines: readonly string[]): number | undefined {
  const tabRow = lines.find((l) => /0:Chat\s*│/.test(l));
  if (!tabRow) return undefined;
  const left = tabRow.lastIndexOf('│', tabRow.indexOf('0:Chat'));
  const border = lines.find((l) => /└─+┘/.test(l) && l.lastIndexOf('└') <= left + 4);
  const right = border ? border.lastIndexOf('┘') : tabRow.length;
  return Math.max(20, right - left - 1);
}

/** The inside of the right panel's box, one string per row; undefined when no chat tab is drawn. */
export function chatPanelLines(lines: readonly string[]): string[] | undefined {
  // The panel's top row: the tab row (`│ 0:Chat │ 1:Detail …`), or from about 2026-07-22 a chat
  // header with no tab row and no right border (`│ Chat ▾  .chat-0  ● connected  ⋯ …`).
  const tabbed = lines.findIndex((l) => /0:Chat\s*│/.test(l));
  const tabRow = tabbed >= 0 ? tabbed : lines.findIndex((l) => /│ Chat ▾ /.test(l));
  if (tabRow < 0) return undefined;
  const tabLine = lines[tabRow] as string;
  const left = tabLine.lastIndexOf('│', tabLine.indexOf(tabbed >= 0 ? '0:Chat' : 'Chat ▾'));
  const inner: string[] = [];
  for (let row = tabRow + 1; row < lines.length; row++) {
    const line = lines[row] ?? '';
    if (/└─/.test(line)) break;
    // Wide glyphs in the graph on the left can shift string indices a little: find the border near `left`.
    let start = line.indexOf('│', Math.max(0, left - 4));
    if (start < 0) start = left;
    const end = line.lastIndexOf('│');
    inner.push((end > start ? line.slice(start + 1, end) : line.slice(start + 1)).trimEnd());
  }
  // Drop the coordinator bar (`◉ coord:1 ○ ✕ [+]`) and the hint row under the pane.
  // (graphwork/wg of 2026-04-24 puts ` c: chat  ↑↓: scroll` under its pane, July's ` Chat input • Ctrl+O commands • …`.)
  return inner.filter((l) => !PANE_HINT.test(l));
}

/** The coordinator bar and the key-hint rows wg draws around the pane: not the chat's own rows. */
export const PANE_HINT =
  /^\s*[◉○] coord:|Ctrl\+T: leave PTY|Ctrl\+T:leave PTY|^\s*\[PTY\]\s+Ctrl\+[A-Z]: command mode|^\s*c: chat\s+↑↓: scroll\s*$|^\s*Chat input • Ctrl\+O commands\b/;

export const lineWith = (lines: readonly string[], re: RegExp): string | undefined => lines.find((l) => re.test(l));

/** The launcher's highlighted row (the chat tab bar has its own `◉`, without the box's indent). */
export const LAUNCHER_ROW = /│ {3}◉ ([^│]+?)\s*(│|$)/;

/** The launcher's highlighted row (`│   ◉ label`; the chat tab bar has its own `◉` too), its label. */
export const selectedRow = (lines: readonly string[]): string => LAUNCHER_ROW.exec(lineWith(lines, LAUNCHER_ROW) ?? '')?.[1]?.trim() ?? '';

/** The error the launcher draws in its dialog when it will not start the chat (`⚠ Error: error[WG-EXEC-UNSELECTED]: …`), its words. */
export function launcherError(lines: readonly string[]): string | undefined {
  const line = lines.find((l) => /^\s*│\s+⚠ Error: /.test(l));
  return line && /⚠ (Error: .*?)\s*│/.exec(line)?.[1];
}

// The chat tab bar above the pane: `[1] ◉ .chat-0 ✕ │ [2] ● .chat-1 ✕ [+]` (`◉` the shown chat).
export const CHAT_TAB = /\[(\d+)\] ([◉●]) (\S+)/g;

export interface ChatTab {
  /** The digit that selects it in command mode (`[2]`). */
  key: string;
  label: string;
  shown: boolean;
}

/** The chat tabs of the tab bar (the first line that has any), in order. */
export function chatTabs(lines: readonly string[]): ChatTab[] {
  for (const line of lines) {
    const tabs = [...line.matchAll(CHAT_TAB)].map((m) => ({ key: m[1] ?? '', shown: m[2] === '◉', label: m[3] ?? '' }));
    if (tabs.length > 0) return tabs;
  }
  return [];
}

/** The key that leaves a chat pane for command mode, as the pane's hint row names it (`Ctrl+T: command mode` in May, `Ctrl+O` from June). */
export function commandModeKey(lines: readonly string[]): string {
  for (const line of lines) {
    const m = /Ctrl\+([A-Z]):\s*command mode/.exec(line);
    if (m) return `Ctrl+${m[1]}`;
  }
  return 'Ctrl+T';
}

export const DIED = /│ Chat agent died\s*│/;

/** What a dead chat's panel says of it: `Exit status: …; Executor: …; Command: …`. */
export function deathPanel(lines: readonly string[]): string {
  return lines
    .map((l) => /│\s+(Exit status|Executor|Command):\s+(.*?)\s*│?$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}: ${m[2]}`)
    .join('; ');
}

// July (seen on 1d1e4152 and d6bbb4c7 with two runs at once): the TUI asks the daemon's nex
// handler for the chat's session lock and waits 5 s; when the handler keeps it, the pane only
// tails the handler (observer mode): the status row says `NAV` where it says `PTY` when the pane
// takes keys, and typed keys drive the TUI instead (`i` resizes the pane, Enter opens a composer).
// That is wg's state, said loudly before the first message, so a turn that then gets no reply
// reads as what it is. (wg's composer under the pane may reach the handler; not seen working here,
// so not taken.)
export const paneObserved = (lines: readonly string[]): boolean =>
  lines.some((l) => /^\s*0:Chat \| NAV \|/.test(l)) && lines.some((l) => /Chat input • Ctrl\+O commands/.test(l));
