import type { DriverContext } from './types.js';
import { wgCommand } from './service.js';

/** What `wg --json tui-dump` says about the running TUI (fields vary a little by build). */
export interface TuiDump {
  coordinator_id?: number;
  active_tab?: string;
  focused_panel?: string;
  input_mode?: string;
  selected_task?: string | null;
}

// wg's own view of its TUI, through the dump socket; undefined where the build has no tui-dump
// or the TUI did not answer.
export async function tuiDump(ctx: DriverContext): Promise<TuiDump | undefined> {
  if (!ctx.caps.tuiDump) return undefined;
  const record = await wgCommand(ctx, ['--json', 'tui-dump'], 10_000);
  try {
    return JSON.parse(record.stdout) as TuiDump;
  } catch {
    return undefined;
  }
}
