// Chat-completion chunk and body shapes per flavor, and the SSE framing both servers use.
import type { Flavor } from './types.js';

// Both servers: `data: <json>\n\n` events, no event:/id: lines, no cache-control [C].
export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8' } as const;
export const JSON_HEADERS = { 'content-type': 'application/json' } as const;
export const DONE = 'data: [DONE]\n\n';

/** Identity of one completion, repeated in every chunk. */
export interface CompletionIds {
  id: string;
  created: number;
  model: string;
  flavor: Flavor;
}

/** Usage counts as both servers report them. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

// vLLM ids are `chatcmpl-<hex>`; SGLang's are a bare 32-hex rid. Counter-based so runs are reproducible.
export function completionIds(flavor: Flavor, n: number, model: string): CompletionIds {
  const hex = n.toString(16).padStart(32, '0');
  return { id: flavor === 'vllm' ? `chatcmpl-${hex}` : hex, created: Math.floor(Date.now() / 1000), model, flavor };
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

// Content deltas are most of the stream: build them from a per-completion prefix instead of a fresh
// object per chunk (same bytes as JSON.stringify of the object, checked by the specs).
const contentPrefixes = new WeakMap<CompletionIds, [string, string]>();
function contentParts(ids: CompletionIds): [string, string] {
  let parts = contentPrefixes.get(ids);
  if (!parts) {
    const sample = JSON.stringify({ ...head(ids), choices: [choice(ids, { content: '\u0000' }, null)] });
    const cut = sample.indexOf('"\\u0000"');
    parts = [`data: ${sample.slice(0, cut)}`, `${sample.slice(cut + 8)}\n\n`];
    contentPrefixes.set(ids, parts);
  }
  return parts;
}

// vLLM choices carry logprobs (+ stop_reason when finished); SGLang ≥ 2026-04 adds matched_stop and
// always has reasoning_content in the delta [C serving_chat.py, PR #22658].
function choice(ids: CompletionIds, delta: Record<string, unknown>, finish: string | null) {
  if (ids.flavor === 'vllm') {
    const c: Record<string, unknown> = { index: 0, delta, logprobs: null, finish_reason: finish };
    if (finish !== null) c.stop_reason = null;
    return c;
  }
  return { index: 0, delta: { reasoning_content: null, ...delta }, logprobs: null, finish_reason: finish, matched_stop: null };
}

/** First chunk: the assistant role with empty content (both servers). */
export function roleChunk(ids: CompletionIds): string {
  return sseEvent({ ...head(ids), choices: [choice(ids, { role: 'assistant', content: '' }, null)] });
}

/** One content delta. */
export function contentChunk(ids: CompletionIds, text: string): string {
  const [before, after] = contentParts(ids);
  return before + JSON.stringify(text) + after;
}

/** The separate finish chunk: vLLM sends empty content, SGLang an empty delta. */
export function finishChunk(ids: CompletionIds, reason = 'stop'): string {
  const delta = ids.flavor === 'vllm' ? { content: '' } : {};
  return sseEvent({ ...head(ids), choices: [choice(ids, delta, reason)] });
}

/** Usage after the finish chunk, with empty `choices` (the key must still be there for wg). */
export function usageChunk(ids: CompletionIds, usage: Usage): string {
  return sseEvent({ ...head(ids), choices: [], usage });
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

/** A non-streaming `chat.completion` body with usage. */
export function completionBody(ids: CompletionIds, text: string, usage: Usage): string {
  const message = { role: 'assistant', content: text, tool_calls: ids.flavor === 'vllm' ? [] : null };
  const c: Record<string, unknown> = { index: 0, message, logprobs: null, finish_reason: 'stop' };
  if (ids.flavor === 'vllm') c.stop_reason = null;
  else c.matched_stop = null;
  return JSON.stringify({ id: ids.id, object: 'chat.completion', created: ids.created, model: ids.model, choices: [c], usage });
}

/** `GET /v1/models` in each server's real shape [C vllm models/api_router.py; sglang http_server.py]. */
export function modelList(flavor: Flavor, models: readonly string[]): string {
  const created = Math.floor(Date.now() / 1000);
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

/** Joins the assistant text out of a recorded SSE or JSON body (for replayed/proxied traffic entries). */
export function extractReplyText(body: string): string | null {
  if (body.trimStart().startsWith('{')) {
    try {
      const parsed = JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] };
      const content = parsed.choices?.[0]?.message?.content;
      return typeof content === 'string' ? content : null;
    } catch {
      return null; // not a completion body: nothing to report as reply
    }
  }
  let text = '';
  let seen = false;
  for (const line of body.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    try {
      const chunk = JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: unknown } }[] };
      const content = chunk.choices?.[0]?.delta?.content;
      if (typeof content === 'string') {
        text += content;
        seen = true;
      }
    } catch {
      // a malformed event carries no text; the raw chunks stay in the recording
    }
  }
  return seen ? text : null;
}
