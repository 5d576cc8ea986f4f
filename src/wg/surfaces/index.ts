import { detectClaudePane, readClaudeTurn } from './claude-pane.js';
import { detectComposer, readComposerTurn } from './composer.js';
import { detectComposerFedPane, readComposerFedHistory } from './composer-fed-pane.js';
import { detectNexPane, readNexTurn } from './nex-pane.js';
import { detectNexTmux, readNexTmuxTurn } from './nex-tmux.js';
import type { TurnDetector } from './observation.js';
import { detectPiTmux, readPiTurn } from './pi.js';

// Every surface's two readers by one name (what run.json and a recording's expected.json record as
// `surface`): the screen detector, and the reader of the chat's own rows (its history, once a tall
// reply scrolled the message off).
const READERS: Record<string, { screen: TurnDetector; history: TurnDetector }> = {
  composer: { screen: detectComposer, history: readComposerTurn },
  // nex's `--chat` pane fed from the composer under it (late April 2026): the reply with no echo.
  'composer-fed-pane': { screen: detectComposerFedPane, history: readComposerFedHistory },
  'nex-pane': { screen: detectNexPane, history: (lines, turn) => readNexTurn(lines, turn) },
  // The same `wg nex` REPL, behind tmux (May–July 2026).
  'nex-tmux': { screen: detectNexTmux, history: readNexTmuxTurn },
  'pi-tmux': { screen: detectPiTmux, history: readPiTurn },
  // Interactive claude in wg's pane (`wg init -x claude`, April; in tmux from May).
  'claude-pane': { screen: detectClaudePane, history: readClaudeTurn },
};

/** The names of the surfaces the detectors know. */
export const SURFACES = Object.keys(READERS);

function readers(name: string): { screen: TurnDetector; history: TurnDetector } {
  const found = READERS[name];
  if (!found) throw new Error(`no detector for surface "${name}"; known: ${SURFACES.join(', ')}`);
  return found;
}

/** The screen detector of a surface, by its name. */
export const detectorFor = (name: string): TurnDetector => readers(name).screen;

/** The reader of a surface's own rows (its history), by its name. */
export const historyReaderFor = (name: string): TurnDetector => readers(name).history;

/** The name of a screen detector (the surface a generation opened), undefined for one not listed. */
export function surfaceOf(detector: TurnDetector): string | undefined {
  return Object.entries(READERS).find(([, u]) => u.screen === detector)?.[0];
}

export { lastScreenWords } from './last-words.js';
