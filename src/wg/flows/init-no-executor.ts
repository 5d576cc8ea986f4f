import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SetupError } from '../../errors.js';
import { wgCommand } from '../service.js';
import { wgDirOf } from '../wg-dir.js';
import { commandError } from '../workspace.js';
import type { DriverContext } from '../types.js';

// graphwork/wg from 2026-04-21 (ed81e927, "one-shot `wg init -m MODEL -e URL`") to 2026-04-25
// (9f46d43f, "force-executor-selection"): `wg init` takes -m and -e but not yet -x, so the user's
// literal `… -x nex` is refused by clap (`unexpected argument '-x'`, exit 2). The nearest command
// that build offers is the same without `-x nex`. It writes the model as `local:MODEL` into
// `coordinator.model` and `agent.model` and the URL as the default `[[llm_endpoints.endpoints]]`
// entry (provider local), but no `coordinator.executor`: `effective_executor()` then derives the
// chat's executor from the model's provider prefix, and `local` maps to `native` (nex).

export const NO_EXECUTOR_SETUP_PATH =
  "the user's literal `wg init -m MODEL -e URL -x nex` (rejected: this wg has no -x yet), then `wg init -m MODEL -e URL` (the executor follows the model: `local:MODEL` → native), `wg service start`";

/** What `wg init -m M -e URL` left in config.toml that decides the chat: read from the file, not assumed. */
export interface StoredChatConfig {
  coordinatorModel?: string;
  coordinatorExecutor?: string;
  endpointUrl?: string;
  endpointProvider?: string;
}

// A minimal reader of the few keys that matter, in the sections wg's `toml::to_string_pretty` writes.
export function readStoredChatConfig(toml: string): StoredChatConfig {
  const stored: StoredChatConfig = {};
  let section = '';
  let current: { url?: string; provider?: string; isDefault?: boolean } | undefined;
  const endpoints: Array<{ url?: string; provider?: string; isDefault?: boolean }> = [];
  for (const raw of toml.split('\n')) {
    const line = raw.trim();
    const header = /^\[\[?([^\]]+)\]\]?$/.exec(line);
    if (header) {
      section = header[1] as string;
      if (line.startsWith('[[') && section === 'llm_endpoints.endpoints') endpoints.push((current = {}));
      continue;
    }
    const kv = /^([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))/.exec(line);
    if (!kv) continue;
    const [, key, quoted, bare] = kv;
    const value = quoted ?? bare;
    if (section === 'coordinator' && key === 'model') stored.coordinatorModel = value;
    if (section === 'coordinator' && key === 'executor') stored.coordinatorExecutor = value;
    if (section === 'llm_endpoints.endpoints' && current) {
      if (key === 'url') current.url = value;
      if (key === 'provider') current.provider = value;
      if (key === 'is_default') current.isDefault = value === 'true';
    }
  }
  const chosen = endpoints.find((e) => e.isDefault);
  if (chosen) Object.assign(stored, { endpointUrl: chosen.url, endpointProvider: chosen.provider });
  return stored;
}

/** What `wg service start` says the coordinator runs (`Coordinator: …, executor=native, model=…`): wg's own word. */
export function serviceExecutor(serviceStartOutput: string): string | undefined {
  return /\bexecutor=([\w-]+)/.exec(serviceStartOutput)?.[1];
}

/** The executor wg of that week derives: `coordinator.executor` when set, else from the model's provider prefix (claude, codex, else native; no prefix: claude). */
export function impliedExecutor(stored: StoredChatConfig): string {
  if (stored.coordinatorExecutor) return stored.coordinatorExecutor;
  const provider = stored.coordinatorModel?.includes(':') ? stored.coordinatorModel.split(':')[0] : undefined;
  if (!provider) return 'claude';
  return provider === 'claude' || provider === 'codex' ? provider : 'native';
}

/**
 * The user's literal command first (a FINDING when refused), then `wg init -m M -e URL`; reports
 * what it stored and the executor that implies. Throws SetupError when the build refuses both.
 */
export async function initWithoutExecutor(ctx: DriverContext): Promise<StoredChatConfig> {
  const { target } = ctx;
  const url = target.endpointUrl ?? '';
  const literal = await wgCommand(ctx, ['init', '-m', target.model, '-e', url, '-x', 'nex'], 60_000);
  if (literal.exitCode === 0) {
    ctx.finding(`this wg accepted the user's literal \`wg init -m ${target.model} -e URL -x nex\` although its help lists no -x`);
  } else {
    ctx.finding(
      `wg REJECTED the user's literal \`wg init -m ${target.model} -e URL -x nex\`: ${commandError(literal)}. Running the nearest equivalent this wg offers: \`wg init -m ${target.model} -e URL\` (no -x in this wg).`,
    );
    const init = await wgCommand(ctx, ['init', '-m', target.model, '-e', url], 60_000);
    if (init.exitCode !== 0) throw new SetupError(commandError(init));
  }
  const toml = await readFile(join(await wgDirOf(ctx.projectDir), 'config.toml'), 'utf8').catch(() => '');
  const stored = readStoredChatConfig(toml);
  const executor = impliedExecutor(stored);
  ctx.finding(
    `\`wg init -m ${target.model} -e URL\` stored coordinator.model = ${JSON.stringify(stored.coordinatorModel ?? null)}, ${stored.coordinatorExecutor ? `coordinator.executor = "${stored.coordinatorExecutor}"` : 'no coordinator.executor'}, default endpoint ${stored.endpointProvider ?? '?'} → ${stored.endpointUrl === url ? 'URL (verbatim)' : JSON.stringify(stored.endpointUrl ?? null)}: the chat's executor is ${executor}${stored.coordinatorExecutor ? '' : " (derived from the model's provider prefix)"}`,
  );
  if (executor !== 'native')
    throw new SetupError(`\`wg init -m ${target.model} -e URL\` left the chat on executor ${executor}, not nex (native): ${JSON.stringify(stored)}`);
  return stored;
}
