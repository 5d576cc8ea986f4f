// Strict routing and API-key checks, in the order the real servers apply them (middleware, then router).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { llamaNotFound, llamaUnauthorized, methodNotAllowed, notFound, unauthorized, type ErrorReply } from './flavors.js';
import type { Flavor } from './types.js';
import { checkAnthropicAuth } from './anthropic.js';

/** Where a request goes: a handler, a Starlette slash redirect, or a finished error answer. */
export type Route =
  | { kind: 'models' | 'health' | 'messages' | 'count-tokens' }
  | { kind: 'anthropic-models' }
  | { kind: 'chat'; lenientApplied: boolean }
  | { kind: 'redirect'; location: string }
  | { kind: 'error'; reply: ErrorReply };

/** What routing needs to know about the endpoint. */
export interface RouteConfig {
  flavor: Flavor;
  lenient: boolean;
  apiKey: string | undefined;
}

type RouteTable = Record<string, { kind: 'models' | 'health' | 'chat' | 'messages' | 'count-tokens'; methods: readonly string[] }>;

// Both servers register exactly these (plus admin routes we do not imitate); no `/chat/completions` alias.
// Starlette adds HEAD to every GET route.
const ROUTES: RouteTable = {
  '/v1/models': { kind: 'models', methods: ['GET', 'HEAD'] },
  '/v1/chat/completions': { kind: 'chat', methods: ['POST'] },
  // The Anthropic Messages API (claude, the SDK), beside the OpenAI-compatible routes.
  '/v1/messages': { kind: 'messages', methods: ['POST'] },
  '/v1/messages/count_tokens': { kind: 'count-tokens', methods: ['POST'] },
  '/health': { kind: 'health', methods: ['GET', 'HEAD'] },
};

// llama-server registers each OpenAI route with and without /v1, and /health as /v1/health too
// [C tools/server/server.cpp, build 11434]; httplib serves HEAD from the GET handlers.
const LLAMACPP_ROUTES: RouteTable = {
  ...ROUTES,
  '/models': { kind: 'models', methods: ['GET', 'HEAD'] },
  '/chat/completions': { kind: 'chat', methods: ['POST'] },
  '/v1/health': { kind: 'health', methods: ['GET', 'HEAD'] },
};

// Its API-key middleware lets these through without a key (`/v1/models` is no longer one of them) [C server-http.cpp].
const LLAMACPP_PUBLIC = new Set(['/health', '/v1/health']);

// vLLM guards only these prefixes [C server_utils.py]; SGLang guards all but /health and /metrics [C utils].
const VLLM_GUARDED = ['/v1', '/v2', '/inference', '/cohere'];

function needsKey(flavor: Flavor, method: string, path: string): boolean {
  if (method === 'OPTIONS') return false;
  if (flavor === 'vllm') return VLLM_GUARDED.some((p) => path === p || path.startsWith(`${p}/`));
  if (flavor === 'llamacpp') return !LLAMACPP_PUBLIC.has(path);
  return !(path.startsWith('/health') || path.startsWith('/metrics'));
}

const digest = (text: string) => createHash('sha256').update(text).digest();

// vLLM: `Bearer` case-insensitive, keys compared by sha256 digest; SGLang: exact `Bearer K` string;
// llama-server: Authorization (or, when that is empty, X-Api-Key), a leading `Bearer ` dropped if there.
function keyMatches(flavor: Flavor, headers: IncomingHttpHeaders, key: string): boolean {
  if (flavor === 'llamacpp') {
    const given = headers.authorization || (typeof headers['x-api-key'] === 'string' ? headers['x-api-key'] : '');
    return timingSafeEqual(digest(given.startsWith('Bearer ') ? given.slice(7) : given), digest(key));
  }
  const header = headers.authorization;
  if (header === undefined) return false;
  if (flavor !== 'vllm') return timingSafeEqual(digest(header), digest(`Bearer ${key}`));
  const match = /^bearer (.*)$/i.exec(header);
  return match !== null && timingSafeEqual(digest(match[1] ?? ''), digest(key));
}

/** Decides a request's route from method, raw URL and headers. Never throws. */
export function routeRequest(method: string, rawUrl: string, headers: IncomingHttpHeaders, config: RouteConfig): Route {
  const path = pathOf(rawUrl);
  // Anthropic clients authenticate with `x-api-key` and say `anthropic-version`: the real API's checks.
  const anthropic = path.startsWith('/v1/messages') || (path === '/v1/models' && typeof headers['anthropic-version'] === 'string');
  if (anthropic) {
    const refused = checkAnthropicAuth(headers, config.apiKey);
    if (refused) return { kind: 'error', reply: refused };
  } else if (config.apiKey !== undefined && needsKey(config.flavor, method, path)) {
    if (!keyMatches(config.flavor, headers, config.apiKey))
      return { kind: 'error', reply: config.flavor === 'llamacpp' ? llamaUnauthorized() : unauthorized() };
  }
  if (config.flavor === 'llamacpp') return llamacppRoute(method, path, anthropic);
  const route = ROUTES[path];
  if (route) {
    if (!route.methods.includes(method)) return { kind: 'error', reply: methodNotAllowed(route.methods.join(', ')) };
    if (route.kind === 'chat') return { kind: 'chat', lenientApplied: false };
    return route.kind === 'models' && anthropic ? { kind: 'anthropic-models' } : { kind: route.kind };
  }
  // The bug wg shipped on 2026-04-26: base URL without /v1. Only lenient mode serves it.
  if (config.lenient && path === '/chat/completions') {
    return method === 'POST' ? { kind: 'chat', lenientApplied: true } : { kind: 'error', reply: methodNotAllowed('POST') };
  }
  // Starlette's redirect_slashes: the same path with the trailing slash toggled answers 307.
  const toggled = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
  if (ROUTES[toggled]) {
    const host = headers.host ?? '127.0.0.1';
    return { kind: 'redirect', location: `http://${host}${toggled}${rawUrl.slice(path.length)}` };
  }
  return { kind: 'error', reply: notFound() };
}

// llama-server (httplib): a path it does not serve with this method is 404 File Not Found, also with
// the wrong method or a trailing slash; it never answers 405 or redirects [C httplib routing].
function llamacppRoute(method: string, path: string, anthropic: boolean): Route {
  const route = LLAMACPP_ROUTES[path];
  if (!route || !route.methods.includes(method)) return { kind: 'error', reply: llamaNotFound() };
  if (route.kind === 'chat') return { kind: 'chat', lenientApplied: false };
  return route.kind === 'models' && anthropic ? { kind: 'anthropic-models' } : { kind: route.kind };
}

/** The path part of a request target, without query or fragment. */
export function pathOf(rawUrl: string): string {
  const cut = rawUrl.search(/[?#]/);
  return cut === -1 ? rawUrl : rawUrl.slice(0, cut);
}
