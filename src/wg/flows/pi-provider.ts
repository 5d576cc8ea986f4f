import { type DriverContext } from '../types.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { splitCredentials } from '../url-credentials.js';

// Pi's provider for the run's endpoint, written into a private PI_CODING_AGENT_DIR: the user's
// own Pi configuration is never touched. The provider name must not be one wg rewrites
// (ollama, vllm, llamacpp, openai, gemini, claude), hence `e2e`.

export const PI_PROVIDER = 'e2e';

export interface PiSetup {
  agentDir: string;
  /** The route `wg init -m` takes: `pi:e2e:<model>`. */
  route: string;
  env: Record<string, string>;
}

export async function writePiConfig(runDir: string, endpointUrl: string, model: string, apiKey: string): Promise<PiSetup> {
  const agentDir = join(runDir, 'pi-agent');
  await mkdir(agentDir, { recursive: true });
  // Pi's client (fetch) refuses a URL with credentials: they go as a Basic Authorization header.
  const { url, authorization } = splitCredentials(`${endpointUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1`);
  const baseUrl = url.toString().replace(/\/+$/, '');
  const models = {
    providers: {
      [PI_PROVIDER]: {
        baseUrl,
        api: 'openai-completions',
        apiKey,
        ...(authorization ? { headers: { Authorization: authorization }, authHeader: false } : {}),
        compat: { supportsDeveloperRole: false, supportsReasoningEffort: false },
        models: [{ id: model }],
      },
    },
  };
  await writeFile(join(agentDir, 'models.json'), `${JSON.stringify(models, null, 2)}\n`);
  // Defaults so Pi starts straight into its editor, with no first-run screens.
  const settings = { defaultProvider: PI_PROVIDER, defaultModel: model, theme: 'dark' };
  await writeFile(join(agentDir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return {
    agentDir,
    route: `pi:${PI_PROVIDER}:${model}`,
    // Offline: Pi must not reach for the network (tool downloads, version checks).
    env: { PI_CODING_AGENT_DIR: agentDir, PI_OFFLINE: '1', PI_SKIP_VERSION_CHECK: '1' },
  };
}

/** Pi's provider for the run's endpoint in a private PI_CODING_AGENT_DIR, which every later wg process of the run (`wg tui` included) inherits. */
export async function usePiProvider(ctx: DriverContext): Promise<PiSetup> {
  const pi = await writePiConfig(ctx.runDir, ctx.target.endpointUrl ?? '', ctx.target.model, ctx.environment.env.WG_E2E_API_KEY ?? 'dummy');
  Object.assign(ctx.environment.env, pi.env);
  return pi;
}
