import { join } from 'node:path';
import type { DriverContext } from './types.js';

// How every generation starts the TUI: `wg tui`, with WG_PTY_DUMP set so wg writes each chat pane's raw
// bytes (the April pane's scrollback, and the last words of a pane that dies) into the artifacts.

/** Where wg's pane dumps go: `<artifacts>/ptydump.<child>.<pid>.bin`. */
export const dumpPrefix = (ctx: DriverContext): string => join(ctx.artifactsDir, 'ptydump');

/** `wg tui` and the variables it gets. */
export const wgTui = (ctx: DriverContext): { args: string[]; env: Record<string, string> } => ({ args: ['tui'], env: { WG_PTY_DUMP: dumpPrefix(ctx) } });
