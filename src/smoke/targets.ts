import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { homedir } from 'node:os';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OptionError, SKIP_LABEL } from '../errors.js';
import { loadCorpusFile } from '../endpoint/corpus.js';
import { loadFaultFile, startEndpoint, type Endpoint, type EndpointOptions } from '../endpoint/index.js';
import { findTool, installHint } from '../install/find-tool.js';
import { whichOnPath } from '../wg/binary.js';
import { splitCredentials } from '../wg/url-credentials.js';
import type { ChatTarget } from '../wg/types.js';
import { exists } from '../wg/workspace.js';
import type { RunOptions, ScenarioName } from './options.js';

// What each scenario talks to. nex-local: the embedded strict endpoint. pi-local: the same
// endpoint as Pi's provider (no pi on PATH is a loud skip). nex-live: the user's own endpoint,
// probed first; unreachable is a loud skip. claude: the claude CLI, checked first.

export type TargetOutcome =
  { kind: 'ready'; target: ChatTarget; endpoint?: Endpoint; findings?: string[] } | { kind: 'skip'; reason: string } | { kind: 'fail'; reason: string };

export const UNREACHABLE = 'NEX SMOKE SKIPPED — endpoint unreachable';
export const NO_CLAUDE = SKIP_LABEL.claude;
export const NO_PI = SKIP_LABEL.pi;

/** GET <url>/v1/models with a short timeout; the reason when it does not answer 200. */
export async function probeModels(url: string, timeoutMs = 5000): Promise<string | undefined> {
  return (await probeServer(url, timeoutMs)).problem;
}

/** What the server says of itself in its answer to `GET /v1/models` (its `Server` header). */
export interface ServerProbe {
  problem?: string;
  server?: string;
}

/** GET <url>/v1/models: why it did not answer 200, and the server's `Server` header. */
export async function probeServer(url: string, timeoutMs = 5000): Promise<ServerProbe> {
  const probe = `${url.replace(/\/v1$/, '')}/v1/models`;
  // node:http, not fetch: fetch refuses the browsers' "bad ports" (6000, 6667, …) a server may use,
  // and a URL with credentials (they go as Basic auth, as curl sends them).
  let target: URL;
  const headers: Record<string, string> = {};
  try {
    const split = splitCredentials(probe);
    target = split.url;
    if (split.authorization) headers.authorization = split.authorization;
  } catch {
    return { problem: `GET ${probe} failed: not a URL` };
  }
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<ServerProbe>((resolve) => {
    const req = request(target, { method: 'GET', headers, timeout: timeoutMs }, (res) => {
      res.resume();
      const server = typeof res.headers.server === 'string' ? res.headers.server : undefined;
      res.on('end', () => resolve({ problem: res.statusCode === 200 ? undefined : `GET ${probe} answered ${res.statusCode}`, server }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ problem: `GET ${probe} failed: ${error.code ?? error.message}` }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ problem: `GET ${probe} failed: ${error.code ?? error.message}` }));
    req.end();
  });
}

async function claudeLogin(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.ANTHROPIC_API_KEY) return 'ANTHROPIC_API_KEY';
  if (env.CLAUDE_CODE_OAUTH_TOKEN) return 'CLAUDE_CODE_OAUTH_TOKEN';
  const home = env.HOME ?? homedir();
  for (const file of [join(home, '.claude', '.credentials.json'), join(home, '.claude.json')]) {
    if (file.endsWith('.credentials.json') && (await exists(file))) return file;
  }
  return undefined;
}

export async function prepareTarget(
  name: ScenarioName,
  options: RunOptions,
  trafficLogPath: string,
  env: NodeJS.ProcessEnv,
  /** Each chat request's own pace (--jitter), for the embedded endpoint; a live server keeps its own. */
  paceVariation?: EndpointOptions['paceVariation'],
): Promise<TargetOutcome> {
  if (name === 'nex-live') {
    if (!options.endpoint) return { kind: 'skip', reason: `${UNREACHABLE} (no endpoint given: pass --endpoint URL or set WG_E2E_NEX_ENDPOINT)` };
    const { problem, server } = await probeServer(options.endpoint);
    if (problem) return { kind: 'skip', reason: `${UNREACHABLE} (${problem})` };
    const lenient = lenientServer(server);
    if (options.direct) {
      return {
        kind: 'ready',
        target: { kind: 'endpoint', endpointUrl: options.endpoint, model: options.model },
        findings: [
          ...lenient,
          `--direct: wg's config holds ${redactUrl(options.endpoint)} itself; no request is seen by the harness, so verdicts and causes come from the screen, wg's transcript and its daemon log alone`,
        ],
      };
    }
    const live = await liveThroughProxy(options.endpoint, options.model, trafficLogPath);
    return live.kind === 'ready' ? { ...live, findings: [...lenient, ...(live.findings ?? [])] } : live;
  }
  if (name === 'nex-local' || name === 'claude-local' || name === 'pi-local') {
    // pi-local's Pi is the generation's need, checked with the others (tools.ts).
    let claude: string | undefined;
    if (name === 'claude-local') {
      // The user's environment, not wg's: an isolated run's drops CLAUDE_BIN.
      claude = (await findTool('claude', { flag: options.claude }))?.path;
      if (!claude)
        return {
          kind: 'skip',
          reason: `${NO_CLAUDE} — no claude binary for claude-local (--claude, CLAUDE_BIN, PATH or the install cache): ${installHint('claude')}`,
        };
      if (!(await exists(claude))) return { kind: 'fail', reason: `--claude ${claude}: no such file` };
    }
    if (options.replayFrom && name !== 'nex-local') return { kind: 'skip', reason: `--replay-from serves nex-local only; ${name} not run` };
    if (options.replayFrom) return replayTarget(options, trafficLogPath);
    const faults = options.faults ? await loadFaultFile(options.faults) : undefined;
    const replies = options.replyCorpus ? await loadCorpusFile(options.replyCorpus) : options.replies;
    // claude authenticates as the real API wants: an x-api-key the endpoint checks.
    const apiKey = claude ? `sk-ant-e2e-${randomUUID()}` : undefined;
    const endpoint = await startEndpoint({
      flavor: options.flavor,
      models: [options.model],
      lenient: options.lenient,
      faults,
      trafficLogPath,
      replies,
      pace: options.pace,
      paceVariation,
      reasoningParser: options.reasoningParser,
      apiKey,
    });
    if (!claude)
      return { kind: 'ready', target: { kind: name === 'pi-local' ? 'pi' : 'endpoint', endpointUrl: endpoint.baseUrl, model: options.model }, endpoint };
    const claudeEnv = {
      ANTHROPIC_BASE_URL: endpoint.baseUrl,
      ANTHROPIC_API_KEY: apiKey as string,
      // Offline: no telemetry, no update checks, nothing but the Messages API on loopback.
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      // As root (containers, CI images) claude refuses wg's --dangerously-skip-permissions unless
      // told it runs in a sandbox, which a throwaway project on loopback is.
      ...(process.getuid?.() === 0 ? { IS_SANDBOX: '1' } : {}),
    };
    return { kind: 'ready', target: { kind: 'claude', model: options.model, claude: { bin: claude, env: claudeEnv } }, endpoint };
  }
  // The live claude scenario with the user's own login: not installed or not logged in is a loud, counted skip.
  const claude = await whichOnPath('claude', env.PATH);
  if (!claude) return { kind: 'skip', reason: `${NO_CLAUDE} — no \`claude\` on PATH (install Claude Code and log in; claude-local needs no login)` };
  const login = await claudeLogin(env);
  if (!login)
    return {
      kind: 'skip',
      reason: `${NO_CLAUDE} — \`${claude}\` is installed but not logged in (no ANTHROPIC_API_KEY, no CLAUDE_CODE_OAUTH_TOKEN, no ~/.claude/.credentials.json); run \`claude\` once and log in`,
    };
  return { kind: 'ready', target: { kind: 'claude', model: 'claude' } };
}

/**
 * A server known to answer what SGLang and vLLM refuse says so up front: against it the original
 * report's bug (a `provider:`-prefixed model, a path without /v1) would pass. Read off the `Server`
 * header of its /v1/models answer.
 */
export function lenientServer(server: string | undefined): string[] {
  if (!server || !/llama\.cpp/i.test(server)) return [];
  return [
    `the server says it is ${server}: llama-server answers any model name (\`local:qwen3-coder\` too) and /chat/completions without /v1 with 200, so wg's provider-prefix and missing-/v1 bugs cannot fail here; SGLang and vLLM refuse both (nex-local's default endpoint is as strict as SGLang)`,
  ];
}

/** A URL for the lines: credentials shown as `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** The recording proxy's file beside the traffic log, named once. */
export const RECORDING_FILE = 'endpoint-recording.ndjson';

/**
 * nex-live through the recording proxy: wg's config holds the proxy's loopback URL, with the
 * user's own path, standing in for the user's URL; every request goes on unchanged, and what the
 * server streamed back is the turn judge's oracle, as the embedded endpoint is on nex-local.
 */
async function liveThroughProxy(url: string, model: string, trafficLogPath: string): Promise<TargetOutcome> {
  const file = join(dirname(trafficLogPath), RECORDING_FILE);
  const proxy = await startEndpoint({ record: { upstream: url, file }, trafficLogPath });
  const path = new URL(url).pathname.replace(/\/+$/, '');
  const findings = [
    `wg's config holds the recording proxy ${proxy.baseUrl}${path} standing in for ${redactUrl(url)}; it forwards every request unchanged (method, path, model, body, headers, auth) and records what the server streams (${RECORDING_FILE}); --direct hands wg the URL itself`,
  ];
  if (url.startsWith('https:')) {
    findings.push(`the proxy serves wg plain http on loopback, so wg's own TLS client is not exercised here; --direct checks that path`);
  }
  return { kind: 'ready', target: { kind: 'endpoint', endpointUrl: `${proxy.baseUrl}${path}`, model }, endpoint: proxy, findings };
}

/** The record file a --replay-from path names: the file itself, or the one in a folder (searched two levels down). */
export async function recordingIn(path: string): Promise<string> {
  const found: string[] = [];
  const visit = async (dir: string, depth: number) => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isFile() && e.name === RECORDING_FILE) found.push(join(dir, e.name));
      else if (e.isDirectory() && depth > 0) await visit(join(dir, e.name), depth - 1);
    }
  };
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new OptionError(`--replay-from ${path}: no such file or folder`);
  if (info.isFile()) return path;
  await visit(path, 2);
  if (found.length === 1) return found[0] as string;
  if (found.length === 0)
    throw new OptionError(`--replay-from ${path}: no ${RECORDING_FILE} in it or two levels below (a nex-live run through the proxy writes one)`);
  throw new OptionError(`--replay-from ${path}: ${found.length} recordings found (${found.join(', ')}); name one`);
}

async function replayTarget(options: RunOptions, trafficLogPath: string): Promise<TargetOutcome> {
  const file = await recordingIn(options.replayFrom as string);
  const endpoint = await startEndpoint({ replay: { file }, trafficLogPath });
  return {
    kind: 'ready',
    target: { kind: 'endpoint', endpointUrl: endpoint.baseUrl, model: options.model },
    endpoint,
    findings: [`nex-local answers from the recording ${file} (its statuses, streams, timing and cuts), not from its own replies`],
  };
}
