import { countResults, type RunResult } from './model.js';

/** The run as JSON: the model itself plus the counts, so a reader needs no arithmetic. */
export function formatJson(run: RunResult): string {
  return `${JSON.stringify({ ...run, counts: countResults(run) }, null, 2)}\n`;
}
