import { heldFor, type CheckContext } from '../../terminal/index.js';
import { COMPOSER_EMPTY } from './composer.js';
import { chatPanelLines } from '../frame.js';

// The composer view's timing, shared by every opener that may meet it (the April fallback, May to
// July's Chat tab): a pane that is coming replaces the composer's empty state within a second or
// two, so the empty state counts as the chat's surface only once it has lasted.

/** How long the composer's empty state must stay on screen before it is taken as the chat shown. */
export const COMPOSER_AFTER_MS = 12_000;

/**
 * A check of "the composer's empty state has stayed on screen for COMPOSER_AFTER_MS" for one wait
 * (a pane that is coming replaces it within a second or two; a static screen is re-checked on time).
 */
export function composerHeld(): (lines: readonly string[], ctx: CheckContext) => boolean {
  const held = heldFor(COMPOSER_AFTER_MS);
  return (lines, ctx) => held((chatPanelLines(lines) ?? []).some((l) => COMPOSER_EMPTY.test(l.trim())) ? 'composer' : undefined, ctx);
}
