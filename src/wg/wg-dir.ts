import { join } from 'node:path';
import { exists } from './workspace.js';

// The project's wg folder: `.wg` since about 2026-04-20, `.workgraph` before (both are read by
// the builds in between). Found on disk after `wg init`, never guessed from a date.

export async function wgDirOf(projectDir: string): Promise<string> {
  for (const name of ['.wg', '.workgraph']) if (await exists(join(projectDir, name))) return join(projectDir, name);
  return join(projectDir, '.wg');
}
