// Error bodies exactly as vLLM, SGLang and llama.cpp's llama-server send them, from their public sources
// and the wire (the notes in README's Design section name them).
// ([C] = read in the servers' code, [I] = seen on the wire, [D] = FastAPI/Starlette default, [U] = unconfirmed).
// wg nex treats a 400 whose message contains context/token/prompt/maximum/"too long"/"too large" as
// context-too-long and retries it forever; each 400 text below says whether it contains such a word.
import type { Flavor } from './types.js';

/** A complete non-streaming answer: status, body text and extra headers. */
export interface ErrorReply {
  status: number;
  body: string;
  headers?: Record<string, string>;
  /** Short reason for the traffic log. */
  reason: string;
}

const reply = (status: number, body: string, reason: string, headers?: Record<string, string>): ErrorReply =>
  headers ? { status, body, reason, headers } : { status, body, reason };

// vLLM ≥ 0.10.1 nests the error; SGLang keeps the flat `{"object":"error",…}` envelope [C both].
function envelope(flavor: Flavor, message: string, type: string, param: string | null, code: number): string {
  if (flavor === 'vllm') return JSON.stringify({ error: { message, type, param, code } });
  return JSON.stringify({ object: 'error', message, type, param, code });
}

// Starlette's router answer for an unknown path, e.g. `POST /chat/completions` [D, I vllm#5082].
export const notFound = (): ErrorReply => reply(404, '{"detail":"Not Found"}', 'no such route');

// Starlette's answer for a known path with the wrong method, with its `allow` header [D].
export const methodNotAllowed = (allow: string): ErrorReply => reply(405, '{"detail":"Method Not Allowed"}', 'method not allowed', { allow });

// Both servers' API-key middleware, no WWW-Authenticate header [C vllm server_utils, sglang add_api_key_middleware].
export const unauthorized = (): ErrorReply => reply(401, '{"error":"Unauthorized"}', 'missing or wrong API key');

// Neither server limits bodies (uvicorn has no limit); ours protects the harness, in Starlette's style.
export const tooLarge = (): ErrorReply => reply(413, '{"detail":"Request Entity Too Large"}', 'body too large');

// A body that never finished arriving; uvicorn would wait, we answer like Starlette would phrase it.
export const requestTimeout = (): ErrorReply => reply(408, '{"detail":"Request Timeout"}', 'body timeout');

/** vLLM: `model` is not a served name (also `local:qwen3-coder`) [C engine/serving.py `_check_model`]. */
export function modelNotFound(model: string): ErrorReply {
  // 404, so wg's context-too-long heuristic (400 only) does not apply.
  const message = `The model \`${model}\` does not exist.`;
  return reply(404, envelope('vllm', message, 'NotFoundError', 'model', 404), 'model not served');
}

/** SGLang's text when `base:adapter` asks for a LoRA adapter and LoRA is off [C tokenizer_manager.py; I dspy#9520]. */
export function loraNotEnabledMessage(adapter: string): string {
  // Contains none of context/token/prompt/maximum/too long/too large, so wg reports it once, no retry loop.
  return (
    `LoRA adapter '${adapter}' was requested, but LoRA is not enabled. Please launch the server with ` +
    '--enable-lora flag and preload adapters using --lora-paths or /load_lora_adapter endpoint.'
  );
}

/** SGLang: HTTP 400, flat envelope, type BadRequestError (raised during generation) [C serving_base.py]. */
export function loraNotEnabled(flavor: Flavor, adapter: string): ErrorReply {
  const body = envelope(flavor, loraNotEnabledMessage(adapter), 'BadRequestError', null, 400);
  return reply(400, body, 'LoRA adapter requested, LoRA not enabled');
}

/** SGLang before PR #21900: the same error as an SSE event inside a 200 stream, Python json.dumps spacing. */
export function loraStreamErrorEvent(adapter: string): string {
  return pyDumps({
    error: { object: 'error', message: loraNotEnabledMessage(adapter), type: 'BadRequestError', param: null, code: 400 },
  });
}

/** SGLang: `"messages": []` [C serving_chat.py]. No trigger word. */
export function emptyMessages(flavor: Flavor): ErrorReply {
  return reply(400, envelope(flavor, 'Messages cannot be empty.', 'BadRequestError', null, 400), 'empty messages');
}

/** What was wrong with the body, in Pydantic's terms. */
export type ValidationProblem =
  { kind: 'missing-messages' } | { kind: 'messages-not-list' } | { kind: 'json-invalid'; position: number; detail: string } | { kind: 'content-type' };

/**
 * FastAPI RequestValidationError → 400, type "Bad Request" in both servers [C vllm server_utils.py,
 * sglang http_server.py]. The exact text is version-dependent [U]. Real servers also echo the request
 * body as Pydantic's `input`, which could contain "max_tokens" and trip wg's retry heuristic; we leave it
 * out so the 400 reads as a plain client error. None of the texts below contains a trigger word.
 */
export function validationError(flavor: Flavor, problem: ValidationProblem): ErrorReply {
  let item: string;
  let param: string | null;
  switch (problem.kind) {
    case 'missing-messages':
      item = "{'type': 'missing', 'loc': ('body', 'messages'), 'msg': 'Field required'}";
      param = 'body.messages';
      break;
    case 'messages-not-list':
      item = "{'type': 'list_type', 'loc': ('body', 'messages'), 'msg': 'Input should be a valid list'}";
      param = 'body.messages';
      break;
    case 'json-invalid':
      item =
        `{'type': 'json_invalid', 'loc': ('body', ${problem.position}), 'msg': 'JSON decode error', ` +
        `'input': {}, 'ctx': {'error': ${pyRepr(problem.detail)}}}`;
      param = `body.${problem.position}`;
      break;
    case 'content-type':
      item = "Unsupported Media Type: Only 'application/json' is allowed";
      param = null;
      break;
  }
  const head = `1 validation error:\n  ${item}`;
  // SGLang appends str(exc.errors()); vLLM (2026 main) sends str(exc) and the joined loc as param.
  const body = flavor === 'vllm' ? envelope(flavor, head, 'Bad Request', param, 400) : envelope(flavor, `${head}\n [${item}]`, 'Bad Request', null, 400);
  return reply(400, body, `validation: ${problem.kind}`);
}

/** Realistic bodies for injected HTTP statuses; `override` replaces the body. */
export function statusFault(flavor: Flavor, status: number, retryAfter?: number, override?: string): ErrorReply {
  const headers: Record<string, string> = flavor === 'llamacpp' ? { ...LLAMACPP_JSON_HEADERS } : {};
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  let body: string;
  if (override !== undefined) body = override;
  else if (flavor === 'llamacpp') body = llamaStatusBody(status);
  else if (status === 401) body = unauthorized().body;
  else if (status === 404) body = notFound().body;
  else if (status === 429)
    // Neither server rate-limits; a gateway in front does, in OpenAI's shape.
    body = JSON.stringify({
      error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
  else if (status === 500)
    body =
      flavor === 'vllm'
        ? envelope(flavor, 'Internal server error', 'InternalServerError', null, 500)
        : envelope(flavor, 'Internal server error: engine failure', 'InternalServerError', null, 500);
  else if (status === 503)
    // [U] SGLang names the type after the HTTPStatus member; vLLM's 503 text is not pinned.
    body =
      flavor === 'vllm'
        ? envelope(flavor, 'Service Unavailable', 'ServiceUnavailableError', null, 503)
        : envelope(flavor, 'Service Unavailable', 'SERVICE_UNAVAILABLE', null, 503);
  else body = envelope(flavor, `HTTP ${status}`, String(status), null, status);
  return reply(status, body, `injected status ${status}`, headers);
}

/**
 * An error event inside a 200 stream, as each server writes it: json.dumps spacing for the Python
 * servers [C both §1.8, §2.7]; llama-server's compact `{"error":{code,message,type}}`, after which it
 * ends the stream without `[DONE]` [C server-context.cpp handle_completions_impl].
 */
export function streamErrorEvent(flavor: Flavor, message = 'Internal server error'): string {
  if (flavor === 'llamacpp') return JSON.stringify({ error: llamaErrorObject('server_error', message) });
  if (flavor === 'vllm') {
    return pyDumps({ error: { message, type: 'InternalServerError', param: null, code: 500 } });
  }
  return pyDumps({ error: { object: 'error', message, type: 'InternalServerError', param: null, code: 500 } });
}

// llama.cpp's llama-server, build 11434 (the sources of that build: tools/server/server-common.cpp
// `format_error_response`, server.cpp `ex_wrapper`, server-http.cpp's error handler and API-key
// middleware, server-task.cpp `server_task_result_error::to_json`; each body below was also seen from
// that build on the wire, except the injected faults'). Every refusal is
// `{"error":{"code":N,"message":"…","type":"…"}}` with the code as the HTTP status [C, I]; the two
// answers its HTTP layer writes itself (no route, wrong key) put `message` first [C, I]. JSON goes out
// as `application/json; charset=utf-8` with `Server: llama.cpp` [C, I].

/** The types `format_error_response` knows and the status each one gets [C]. */
export type LlamaErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'server_error'
  | 'permission_error'
  | 'unavailable_error'
  | 'not_supported_error'
  | 'exceed_context_size_error';

const LLAMA_STATUS: Record<LlamaErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  not_found_error: 404,
  server_error: 500,
  permission_error: 403,
  unavailable_error: 503,
  not_supported_error: 501,
  exceed_context_size_error: 400,
};

/** Headers of every llama-server JSON answer. */
export const LLAMACPP_JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', server: 'llama.cpp' } as const;

/** The context size the llamacpp flavor runs with (`-c 32768`), as `/v1/models` reports it and the overflow check uses it. */
export const LLAMACPP_N_CTX = 32768;

function llamaErrorObject(type: LlamaErrorType, message: string): { code: number; message: string; type: LlamaErrorType } {
  return { code: LLAMA_STATUS[type], message, type };
}

/** A refusal from a llama-server route handler: `format_error_response` inside `{"error": …}`, status = code [C]. */
export function llamaError(type: LlamaErrorType, message: string, reason: string, extra?: Record<string, number>): ErrorReply {
  const error = { ...llamaErrorObject(type, message), ...extra };
  return reply(error.code, JSON.stringify({ error }), reason, { ...LLAMACPP_JSON_HEADERS });
}

// httplib found no handler for method and path (wrong method and trailing slash included: no 405, no
// redirect); llama-server's error handler writes this body [C server-http.cpp set_error_handler].
export const llamaNotFound = (): ErrorReply =>
  reply(404, '{"error":{"message":"File Not Found","type":"not_found_error","code":404}}', 'no such route', { ...LLAMACPP_JSON_HEADERS });

// The API-key middleware, before routing [C server-http.cpp middleware_validate_api_key].
export const llamaUnauthorized = (): ErrorReply =>
  reply(401, '{"error":{"message":"Invalid API Key","type":"authentication_error","code":401}}', 'missing or wrong API key', {
    ...LLAMACPP_JSON_HEADERS,
  });

/**
 * A prompt that does not fit: 400 `exceed_context_size_error`, with `n_prompt_tokens` and `n_ctx` beside
 * the message [C server-context.cpp `n_tokens() >= slot.n_ctx`, server-task.cpp]. In streaming mode too:
 * llama-server answers a first result that is an error as a plain JSON error [C handle_completions_impl].
 * Contains "context" and "tokens": wg nex takes it for context-too-long, as it would from the real server.
 */
export function contextOverflow(promptTokens: number, nCtx = LLAMACPP_N_CTX): ErrorReply {
  const message = `request (${promptTokens} tokens) exceeds the available context size (${nCtx} tokens), try increasing it`;
  return llamaError('exceed_context_size_error', message, 'prompt longer than the context', { n_prompt_tokens: promptTokens, n_ctx: nCtx });
}

/**
 * A body that is not JSON: the JSON library's parse error, caught by `ex_wrapper` as an invalid request
 * (400) [C server.cpp]. The text is nlohmann's; its end-of-input form is exact, the others are
 * summarised as `invalid literal` [U].
 */
export function llamaJsonError(text: string, v8Message: string): ErrorReply {
  const atEnd = /end of JSON input/i.test(v8Message) || text.trim() === '';
  const position = atEnd ? text.length : Number(/position (\d+)/.exec(v8Message)?.[1] ?? 0);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1) + 1;
  const detail = atEnd ? "unexpected end of input; expected '[', '{', or a literal" : 'invalid literal';
  const message = `[json.exception.parse_error.101] parse error at line ${line}, column ${column}: syntax error while parsing value - ${detail}`;
  return llamaError('invalid_request_error', message, 'body is not JSON');
}

// Bodies for injected statuses under llamacpp: the server's own where it has one (401, 404, 503 while
// the model loads [C server-http.cpp]), a gateway's 429 (llama-server has no rate limit), else the
// type `format_error_response` gives that status.
function llamaStatusBody(status: number): string {
  if (status === 401) return llamaUnauthorized().body;
  if (status === 404) return llamaNotFound().body;
  if (status === 503) return '{"error":{"message":"Loading model","type":"unavailable_error","code":503}}';
  if (status === 429) {
    return JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } });
  }
  const type = (Object.keys(LLAMA_STATUS) as LlamaErrorType[]).find((t) => LLAMA_STATUS[t] === status) ?? 'server_error';
  return JSON.stringify({ error: { code: status, message: status === 500 ? 'Internal server error' : `HTTP ${status}`, type } });
}

// Python's json.dumps: ", " and ": " separators, non-ASCII escaped (ensure_ascii).
export function pyDumps(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value ?? null);
    return text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (Array.isArray(value)) return `[${value.map(pyDumps).join(', ')}]`;
  const parts = Object.entries(value).map(([k, v]) => `${pyDumps(k)}: ${pyDumps(v)}`);
  return `{${parts.join(', ')}}`;
}

// Python's repr of a str, enough for our own fixed texts.
function pyRepr(text: string): string {
  return text.includes("'") && !text.includes('"') ? `"${text}"` : `'${text.replace(/'/g, "\\'")}'`;
}
