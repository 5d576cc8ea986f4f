import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chatDirFor } from './journals.js';
import { exists } from '../workspace.js';

// graphwork/wg of 2026-04-21..24 keeps `chat/coordinator-N/` as a real folder (the handler's pid
// file and stream) beside the uuid folder that sessions.json registers under that alias, which
// holds the inbox, outbox and nex journal. The chat's folder is the one that holds `file`.

/** The uuid folder that `chat/sessions.json` registers under `alias`. */
export async function registeredChatDir(wgDir: string, alias: string): Promise<string | undefined> {
  const registry = await readFile(join(wgDir, 'chat', 'sessions.json'), 'utf8').then(
    (t) => JSON.parse(t) as { sessions?: Record<string, { aliases?: string[] }> },
    () => undefined,
  );
  const uuid = Object.entries(registry?.sessions ?? {}).find(([, s]) => s.aliases?.includes(alias))?.[0];
  return uuid ? join(wgDir, 'chat', uuid) : undefined;
}

/** The first of the chat's candidate folders (`extra` first, then the alias, then the registry's) that holds `file`; else the alias's. */
export async function chatDirHolding(wgDir: string, alias: string, file: string, extra: string[] = []): Promise<string | undefined> {
  const byAlias = await chatDirFor(wgDir, alias);
  for (const dir of [...extra, byAlias, await registeredChatDir(wgDir, alias)]) if (dir && (await exists(join(dir, file)))) return dir;
  return byAlias;
}
