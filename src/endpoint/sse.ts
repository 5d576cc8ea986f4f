// Chat-completion chunk and body shapes per flavor, and the SSE framing the servers use.
// llama-server's shapes are from its build-11434 sources (tools/server/server-task.cpp
// `to_json_oaicompat_chat*`, server-common.cpp `server_slot_stats::to_json`, server-context.cpp
// `get_res_models`), checked against that build on the wire: key order, null role content, timings.
import { LLAMACPP_JSON_HEADERS, LLAMACPP_N_CTX } from './flavors.js';
import type { Flavor } from './types.js';

// All three: `data: <json>\n\n` events, no event:/id: lines, no cache-control [C].
export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8' } as const;
export const JSON_HEADERS = { 'content-type': 'application/json' } as const;
export const DONE = 'data: [DONE]\n\n';

// llama-server's stream: plain `text/event-stream`, its Server header, and nginx told not to buffer.
const LLAMACPP_SSE_HEADERS = { 'content-type': 'text/event-stream', server: 'llama.cpp', 'x-accel-buffering': 'no' } as const;

/** Headers of a 200 stream and of a 200 JSON body, per flavor. */
export const sseHeaders = (flavor: Flavor): Record<string, string> => (flavor === 'llamacpp' ? LLAMACPP_SSE_HEADERS : SSE_HEADERS);
export const jsonHeaders = (flavor: Flavor): Record<string, string> => (flavor === 'llamacpp' ? LLAMACPP_JSON_HEADERS : JSON_HEADERS);

/** llama-server's `system_fingerprint`, `b<build>-<commit>`: the build number it was checked against; the commit part is ours. */
export const LLAMACPP_FINGERPRINT = 'b11434-e2e';

/** Identity of one completion, repeated in every chunk. */
export interface CompletionIds {
  id: string;
  created: number;
  model: string;
  flavor: Flavor;
}

/** Usage counts as the servers report them. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

// vLLM and llama-server ids are `chatcmpl-<32 chars>`; SGLang's are a bare 32-hex rid. Counter-based so runs are reproducible.
export function completionIds(flavor: Flavor, n: number, model: string): CompletionIds {
  const hex = n.toString(16).padStart(32, '0');
  return { id: flavor === 'sglang' || flavor === 'sglang-stream-error' ? hex : `chatcmpl-${hex}`, created: Math.floor(Date.now() / 1000), model, flavor };
}

/** Frames one event; a string is sent as-is (pre-serialised or deliberately broken). */
export function sseEvent(payload: object | string): string {
  return `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
}

const head = (ids: CompletionIds) => ({
  id: ids.id,
  object: 'chat.completion.chunk',
  created: ids.created,
  model: ids.model,
});

// One chunk object: the Python servers put the identity first; llama-server writes `choices` first and
// adds its build as `system_fingerprint` [C server-task.cpp].
function chunk(ids: CompletionIds, choices: unknown[], extra?: Record<string, unknown>) {
  if (ids.flavor === 'llamacpp') {
    const { created, id, model } = ids;
    return { choices, created, id, model, system_fingerprint: LLAMACPP_FINGERPRINT, object: 'chat.completion.chunk', ...extra };
  }
  return { ...head(ids), choices, ...extra };
}

// Content deltas are most of the stream: build them from a per-completion prefix instead of a fresh
// object per chunk (same bytes as JSON.stringify of the object, checked by the specs).
const contentPrefixes = new WeakMap<CompletionIds, [string, string]>();
function contentParts(ids: CompletionIds): [string, string] {
  let parts = contentPrefixes.get(ids);
  if (!parts) {
    const sample = JSON.stringify(chunk(ids, [choice(ids, { content: '\u0000' }, null)]));
    const cut = sample.indexOf('"\\u0000"');
    parts = [`data: ${sample.slice(0, cut)}`, `${sample.slice(cut + 8)}\n\n`];
    contentPrefixes.set(ids, parts);
  }
  return parts;
}

// vLLM choices carry logprobs (+ stop_reason when finished); SGLang ≥ 2026-04 adds matched_stop and
// always has reasoning_content in the delta [C serving_chat.py, PR #22658]; llama-server's are bare.
function choice(ids: CompletionIds, delta: Record<string, unknown>, finish: string | null) {
  if (ids.flavor === 'llamacpp') return { finish_reason: finish, index: 0, delta };
  if (ids.flavor === 'vllm') {
    const c: Record<string, unknown> = { index: 0, delta, logprobs: null, finish_reason: finish };
    if (finish !== null) c.stop_reason = null;
    return c;
  }
  return { index: 0, delta: { reasoning_content: null, ...delta }, logprobs: null, finish_reason: finish, matched_stop: null };
}

/** First chunk: the assistant role with empty content (llama-server: null content). */
export function roleChunk(ids: CompletionIds): string {
  return sseEvent(chunk(ids, [choice(ids, { role: 'assistant', content: ids.flavor === 'llamacpp' ? null : '' }, null)]));
}

/** One reasoning delta (`reasoning_content`, the field vLLM, SGLang and llama-server use). */
export function reasoningChunk(ids: CompletionIds, text: string): string {
  return sseEvent(chunk(ids, [choice(ids, { reasoning_content: text }, null)]));
}

/** One content delta. */
export function contentChunk(ids: CompletionIds, text: string): string {
  const [before, after] = contentParts(ids);
  return before + JSON.stringify(text) + after;
}

/** The separate finish chunk: vLLM sends empty content, SGLang and llama-server an empty delta. */
export function finishChunk(ids: CompletionIds, reason = 'stop', extra?: Record<string, unknown>): string {
  const delta = ids.flavor === 'vllm' ? { content: '' } : {};
  return sseEvent(chunk(ids, [choice(ids, delta, reason)], extra));
}

/** Usage after the finish chunk, with empty `choices` (the key must still be there for wg). */
export function usageChunk(ids: CompletionIds, usage: Usage, extra?: Record<string, unknown>): string {
  return sseEvent(chunk(ids, [], { usage: usageOf(ids.flavor, usage), ...extra }));
}

/**
 * What ends a stream before `[DONE]`: the finish chunk, the usage chunk when asked for, and under
 * llamacpp its `timings` on the last of them (llama-server adds them to whichever chunk is last) [C].
 */
export function streamTail(ids: CompletionIds, usage: Usage, includeUsage: boolean, timings?: Timings): string {
  const last = ids.flavor === 'llamacpp' && timings ? { timings } : undefined;
  return includeUsage ? finishChunk(ids) + usageChunk(ids, usage, last) : finishChunk(ids, 'stop', last);
}

// llama-server's usage: completion first, and the prompt tokens it had cached (none here) [C server-task.cpp].
function usageOf(flavor: Flavor, usage: Usage) {
  if (flavor !== 'llamacpp') return usage;
  const { prompt_tokens, completion_tokens, total_tokens } = usage;
  return { completion_tokens, prompt_tokens, total_tokens, prompt_tokens_details: { cached_tokens: 0 } };
}

/** llama-server's `timings` object [C server-common.cpp `server_slot_stats::to_json`]. */
export interface Timings {
  cache_n: number;
  prompt_n: number;
  prompt_ms: number;
  prompt_per_token_ms: number;
  prompt_per_second: number;
  predicted_n: number;
  predicted_ms: number;
  predicted_per_token_ms: number;
  predicted_per_second: number;
}

/**
 * The timings llama-server would report for this reply at the endpoint's pace: `prompt_ms` until the
 * first token (the first-chunk delay and one chunk gap), `predicted_ms` from the first token to the
 * last. As in llama-server the first token is free: the per-token figures count `predicted_n - 1`
 * steps [C]. Never faster than a fast GPU runs a small model (2,000 prompt tokens/s, 200 generated
 * tokens/s), so an instant pace still reports believable numbers.
 */
export function llamaTimings(usage: Usage, pace: { firstChunkDelayMs: number; chunkDelayMs: number; chunks: number }): Timings {
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  const promptN = usage.prompt_tokens;
  const predictedN = usage.completion_tokens;
  const steps = Math.max(predictedN - 1, 0);
  const promptMs = round(Math.max(pace.firstChunkDelayMs + pace.chunkDelayMs, promptN / 2));
  const predictedMs = round(Math.max(Math.max(pace.chunks - 1, 0) * pace.chunkDelayMs, steps * 5, 0.001));
  return {
    cache_n: 0,
    prompt_n: promptN,
    prompt_ms: promptMs,
    prompt_per_token_ms: promptN > 0 ? promptMs / promptN : 0,
    prompt_per_second: promptMs > 0 ? (1e3 / promptMs) * promptN : 0,
    predicted_n: predictedN,
    predicted_ms: predictedMs,
    predicted_per_token_ms: steps > 0 ? predictedMs / steps : 0,
    predicted_per_second: (1e3 / predictedMs) * steps,
  };
}

/**
 * Whether to send the usage chunk: SGLang only on `include_usage: true`; vLLM's StreamOptions defaults
 * include_usage to true, so any `stream_options` object turns it on [C engine/protocol.py].
 */
export function wantsUsage(flavor: Flavor, streamOptions: unknown): boolean {
  if (!streamOptions || typeof streamOptions !== 'object') return false;
  const flag = (streamOptions as { include_usage?: unknown }).include_usage;
  return flavor === 'vllm' ? flag !== false : flag === true;
}

/** A non-streaming `chat.completion` body with usage (llama-server: and its timings). */
export function completionBody(ids: CompletionIds, text: string, usage: Usage, timings?: Timings, reasoning?: string): string {
  const thought = reasoning === undefined ? {} : { reasoning_content: reasoning };
  if (ids.flavor === 'llamacpp') {
    const choices = [{ finish_reason: 'stop', index: 0, message: { role: 'assistant', content: text, ...thought } }];
    const { created, model, id } = ids;
    const body = { choices, created, model, system_fingerprint: LLAMACPP_FINGERPRINT, object: 'chat.completion', usage: usageOf(ids.flavor, usage), id };
    return JSON.stringify(timings ? { ...body, timings } : body);
  }
  const message = { role: 'assistant', content: text, ...thought, tool_calls: ids.flavor === 'vllm' ? [] : null };
  const c: Record<string, unknown> = { index: 0, message, logprobs: null, finish_reason: 'stop' };
  if (ids.flavor === 'vllm') c.stop_reason = null;
  else c.matched_stop = null;
  return JSON.stringify({ id: ids.id, object: 'chat.completion', created: ids.created, model: ids.model, choices: [c], usage });
}

/** `GET /v1/models` in each server's real shape [C vllm models/api_router.py; sglang http_server.py; llama.cpp server-context.cpp]. */
export function modelList(flavor: Flavor, models: readonly string[]): string {
  const created = Math.floor(Date.now() / 1000);
  if (flavor === 'llamacpp') return llamacppModelList(models, created);
  const data = models.map((id) =>
    flavor === 'vllm'
      ? {
          id,
          object: 'model',
          created,
          owned_by: 'vllm',
          root: id,
          parent: null,
          max_model_len: 32768,
          permission: [
            {
              id: `modelperm-${Buffer.from(id).toString('hex').slice(0, 32)}`,
              object: 'model_permission',
              created,
              allow_create_engine: false,
              allow_sampling: true,
              allow_logprobs: true,
              allow_search_indices: false,
              allow_view: true,
              allow_fine_tuning: false,
              organization: '*',
              group: null,
              is_blocking: false,
            },
          ],
        }
      : { id, object: 'model', created, owned_by: 'sglang', root: id, max_model_len: 32768 },
  );
  return JSON.stringify({ object: 'list', data });
}

/**
 * llama-server's model list: one loaded model, its names as `aliases`, an Ollama-style `models` array
 * before the OpenAI `data` [C server-context.cpp `get_res_models`]. The `meta` numbers are those of a
 * Qwen3-Coder-30B-A3B Q4_K_M GGUF at `-c 32768` (plausible, not read from a file).
 */
function llamacppModelList(models: readonly string[], created: number): string {
  const name = models[0] ?? 'default';
  const details = { parent_model: '', format: 'gguf', family: '', families: [''], parameter_size: '', quantization_level: '' };
  const ollama = {
    name,
    model: name,
    modified_at: '',
    size: '',
    digest: '',
    type: 'model',
    description: '',
    tags: [''],
    capabilities: ['completion'],
    parameters: '',
    details,
  };
  const meta = {
    vocab_type: 2,
    n_vocab: 151936,
    n_ctx: LLAMACPP_N_CTX,
    n_ctx_train: 262144,
    n_embd: 2048,
    n_params: 30532122624,
    size: 18556686336,
    ftype: 'Q4_K - Medium',
  };
  const data = {
    id: name,
    aliases: [...new Set(models)].sort(),
    tags: [],
    object: 'model',
    architecture: { input_modalities: ['text'], output_modalities: ['text'] },
    created,
    owned_by: 'llamacpp',
    meta,
  };
  return JSON.stringify({ models: [ollama], object: 'list', data: [data] });
}
