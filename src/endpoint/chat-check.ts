// Validates a chat-completion request the way each server does, before any reply is produced.
import type { IncomingHttpHeaders } from 'node:http';
import {
  contextOverflow,
  emptyMessages,
  llamaError,
  llamaJsonError,
  LLAMACPP_N_CTX,
  loraNotEnabled,
  loraStreamErrorEvent,
  modelNotFound,
  validationError,
  type ErrorReply,
} from './flavors.js';
import { estimateUsage, lastUserText } from './replies.js';
import { parseJson } from './traffic-log.js';
import type { Flavor } from './types.js';

/** A request that passed the checks. */
export interface ChatRequest {
  body: Record<string, unknown>;
  messages: unknown[];
  /** The model as the response will name it. */
  model: string;
  stream: boolean;
  streamOptions: unknown;
  lastUser: string;
  lenientApplied: boolean;
}

/** Outcome: a request to answer, or an HTTP error, or (old SGLang, streaming) an error event in a 200 stream. */
export type ChatCheck =
  { ok: true; chat: ChatRequest } | { ok: false; reply: ErrorReply; model: string | null; lenientApplied: boolean; streamErrorEvent?: string };

/** What the checks need to know about the endpoint. */
export interface ChatConfig {
  flavor: Flavor;
  lenient: boolean;
  models: readonly string[];
}

// Extracts the offset from V8's JSON.parse messages ("… at position 12"); Pydantic reports it as loc.
function jsonErrorPosition(message: string): number {
  const match = /position (\d+)/.exec(message);
  return match ? Number(match[1]) : 0;
}

const fail = (reply: ErrorReply, model: string | null = null, lenientApplied = false): ChatCheck => ({
  ok: false,
  reply,
  model,
  lenientApplied,
});

/** Runs content-type, JSON, `messages` and model checks on one request body. */
export function checkChat(headers: IncomingHttpHeaders, text: string, config: ChatConfig, parsed = parseJson(text)): ChatCheck {
  const { flavor } = config;
  if (flavor === 'llamacpp') return checkLlamacpp(text, config, parsed);
  // Both servers reject anything but application/json with a 400 validation error, even a missing header.
  const mediaType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') return fail(validationError(flavor, { kind: 'content-type' }));
  if (!parsed.ok) {
    const position = jsonErrorPosition(parsed.error);
    return fail(validationError(flavor, { kind: 'json-invalid', position, detail: 'Expecting value' }));
  }
  const body = parsed.value;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return fail(validationError(flavor, { kind: 'missing-messages' }));
  }
  const record = body as Record<string, unknown>;
  const requested = typeof record.model === 'string' ? record.model : null;
  if (record.messages === undefined) return fail(validationError(flavor, { kind: 'missing-messages' }), requested);
  if (!Array.isArray(record.messages)) return fail(validationError(flavor, { kind: 'messages-not-list' }), requested);
  if (flavor !== 'vllm' && record.messages.length === 0) return fail(emptyMessages(flavor), requested);

  let model = requested;
  let lenientApplied = false;
  // Lenient: wg's 2026-04-26 TUI bug sent `local:qwen3-coder`; strip the provider when that finds a served name.
  if (config.lenient && model !== null && model.includes(':') && !config.models.includes(model)) {
    model = model.slice(model.indexOf(':') + 1);
    lenientApplied = true;
  }
  const stream = record.stream === true;
  if (flavor === 'vllm') {
    // Exact match against the served names; a missing or empty model means the first one [C _check_model].
    if (model && !config.models.includes(model)) return fail(modelNotFound(model), requested, lenientApplied);
  } else if (model !== null && model.includes(':')) {
    // SGLang splits on the first colon; a non-empty right side is a LoRA adapter name [C _parse_model_parameter].
    const adapter = model.slice(model.indexOf(':') + 1).trim();
    if (adapter !== '') {
      const reply = loraNotEnabled(flavor, adapter);
      if (flavor === 'sglang-stream-error' && stream) {
        return { ok: false, reply, model: requested, lenientApplied, streamErrorEvent: loraStreamErrorEvent(adapter) };
      }
      return fail(reply, requested, lenientApplied);
    }
  }
  // SGLang accepts any other name and echoes it; vLLM's check passed, so `model` is a served name.
  return {
    ok: true,
    chat: {
      body: record,
      messages: record.messages,
      model: model || config.models[0] || 'default',
      stream,
      streamOptions: record.stream_options,
      lastUser: lastUserText(record.messages),
      lenientApplied,
    },
  };
}

/**
 * llama-server's checks [C tools/server/server-common.cpp `oaicompat_chat_params_parse`, build 11434]:
 * no content-type check, the body must parse, `messages` must be there and be a list, each non-assistant
 * message needs `content`. The model name is never looked at: one model is loaded and every answer
 * names it, whatever was asked for (`local:qwen3-coder`, an unknown name, none) [C server-context.cpp
 * `oaicompat_model = meta->model_name`]. A prompt of the context size or more is refused.
 */
function checkLlamacpp(text: string, config: ChatConfig, parsed: ReturnType<typeof parseJson>): ChatCheck {
  if (!parsed.ok) return fail(llamaJsonError(text, parsed.error));
  const body = parsed.value;
  const record = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const requested = typeof record.model === 'string' ? record.model : null;
  const refuse = (message: string) => fail(llamaError('invalid_request_error', message, `invalid request: ${message}`), requested);
  if (record.messages === undefined) return refuse("'messages' is required");
  if (!Array.isArray(record.messages)) return refuse("Expected 'messages' to be an array");
  for (const m of record.messages as unknown[]) {
    const msg = (m && typeof m === 'object' ? m : {}) as Record<string, unknown>;
    if (msg.role !== 'assistant' && !('content' in msg)) return refuse("All non-assistant messages must contain 'content'");
  }
  const promptTokens = estimateUsage(record.messages, '').prompt_tokens;
  if (promptTokens >= LLAMACPP_N_CTX) return fail(contextOverflow(promptTokens), requested);
  return {
    ok: true,
    chat: {
      body: record,
      messages: record.messages,
      model: config.models[0] ?? 'default',
      stream: record.stream === true,
      streamOptions: record.stream_options,
      lastUser: lastUserText(record.messages),
      lenientApplied: false,
    },
  };
}
