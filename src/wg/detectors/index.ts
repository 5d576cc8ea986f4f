import { detectClaudePane } from './claude-pane.js';
import { detectComposer } from './composer.js';
import { detectNexPane } from './nex-pane.js';
import { detectNexTmux } from './nex-tmux.js';
import type { TurnDetector } from './observation.js';
import { detectPiTmux } from './pi-tmux.js';

const DETECTORS: Record<string, TurnDetector> = {
  composer: detectComposer,
  'nex-pane': detectNexPane,
  // The same `wg nex` REPL, behind tmux (May–July 2026).
  'nex-tmux': detectNexTmux,
  'pi-tmux': detectPiTmux,
  // Interactive claude in the April pane (`wg init -x claude`).
  'claude-pane': detectClaudePane,
};

/** The detector of a chat driver, by the driver's name. */
export function detectorFor(driver: string): TurnDetector {
  const detector = DETECTORS[driver];
  if (!detector) throw new Error(`no detector for driver "${driver}"; known: ${Object.keys(DETECTORS).join(', ')}`);
  return detector;
}
