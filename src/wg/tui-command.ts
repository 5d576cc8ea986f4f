import { join } from 'node:path';
import type { DriverContext } from './types.js';

// How every generation starts the TUI: `wg tui`, with WG_PTY_DUMP set so wg writes each chat pane's raw
// bytes (the April pane's scrollback, and the last words of a pane that dies) into the artifacts, and
// `--trace` where the build lists it, so wg keeps its own JSONL trace of every input event (a run can be
// replayed on another build from it).

/** Where wg's pane dumps go: `<artifacts>/ptydump.<child>.<pid>.bin`. */
export const dumpPrefix = (ctx: Pick<DriverContext, 'artifactsDir'>): string => join(ctx.artifactsDir, 'ptydump');

/** Where wg's own input trace goes (`wg tui --trace`), in the scenario's artifacts. */
export const WG_TRACE_FILE = 'wg-trace.jsonl';

/** `wg tui` and the variables it gets. */
export const wgTui = (ctx: Pick<DriverContext, 'artifactsDir' | 'caps'>): { args: string[]; env: Record<string, string> } => ({
  args: ['tui', ...(ctx.caps.tuiTrace ? ['--trace', join(ctx.artifactsDir, WG_TRACE_FILE)] : [])],
  env: { WG_PTY_DUMP: dumpPrefix(ctx) },
});
