import { chatPanelLines } from '../frame.js';

// wg's last words on a screen, for a chat that never became ready: what its chat panel shows (a
// `Booting pi...` placeholder, a banner with no prompt, a spinner), or the screen's own last rows
// where no chat panel is drawn. Borders and blank rows are dropped; the words are wg's.

const LINES_KEPT = 4;

export function lastScreenWords(screen: readonly string[]): string {
  const panel = chatPanelLines(screen);
  const source = panel && panel.some((l) => l.trim() !== '') ? panel : screen;
  const words = source
    .map((l) =>
      l
        .replace(/[│┃║┌┐└┘├┤─━═╭╮╰╯]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((l) => l !== '');
  return words.slice(-LINES_KEPT).join(' / ') || '(the screen is blank)';
}
