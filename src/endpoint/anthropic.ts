// The Anthropic Messages API beside the OpenAI-compatible one, strict as the real API is: what the
// real `claude` CLI and the official SDK send (`x-api-key` or `Authorization: Bearer`,
// `anthropic-version`, a streaming `POST /v1/messages` with tool definitions), answered with the
// same corpus, pace and faults as the chat side. Shapes from Anthropic's public API reference
// (errors: {"type":"error","error":{"type","message"}}; stream events message_start,
// content_block_start, ping, content_block_delta, content_block_stop, message_delta, message_stop).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ReplyCorpus } from './corpus.js';
import { cutReason, type Exchange } from './exchange.js';
import type { ErrorReply } from './flavors.js';
import { echoOf, longReply } from './replies.js';
import { JSON_HEADERS, SSE_HEADERS } from './sse.js';
import type { FaultRule } from './types.js';
import { streamWithFaults, type WriteOutcome, type WriterConfig } from './reply-writer.js';

/** The error types of the real API, by HTTP status. */
export const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  529: 'overloaded_error',
};

const REQUEST_ID = () => `req_${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 24)}`;

/** The real API's error answer: the envelope, its type for the status, a request-id header. */
export function anthropicError(status: number, message: string, headers: Record<string, string> = {}): ErrorReply {
  const type = ANTHROPIC_ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return {
    status,
    body: JSON.stringify({ type: 'error', error: { type, message } }),
    headers: { ...JSON_HEADERS, 'request-id': REQUEST_ID(), ...headers },
    reason: `${type}: ${message}`,
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/** The real API's key check: `x-api-key`, or `Authorization: Bearer` (OAuth-style clients). */
export function checkAnthropicAuth(headers: IncomingHttpHeaders, apiKey: string | undefined): ErrorReply | undefined {
  if (apiKey === undefined) return undefined;
  const key = headers['x-api-key'];
  const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
  if (typeof key !== 'string' && bearer === undefined) return anthropicError(401, 'x-api-key header is required');
  if ((typeof key === 'string' && same(key, apiKey)) || (bearer !== undefined && same(bearer, apiKey))) return undefined;
  return anthropicError(401, 'invalid x-api-key');
}

/** A checked Messages request. */
export interface MessagesRequest {
  model: string;
  stream: boolean;
  maxTokens: number;
  messages: Array<{ role: 'user' | 'assistant' | 'system'; content: unknown }>;
  /** The user's own words in the last user message (claude's `<system-reminder>` blocks left out). */
  lastUser: string;
}

// Text blocks of one message, as the model reads them; tool_result and image blocks carry none.
function textBlocks(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((b) =>
    b && typeof b === 'object' && (b as { type?: unknown }).type === 'text' && typeof (b as { text?: unknown }).text === 'string'
      ? [(b as { text: string }).text]
      : [],
  );
}

const REMINDER = /^\s*<system-reminder>[\s\S]*<\/system-reminder>\s*$/;

// wg's claude handler sends each chat message inside a context update (`## System Context Update
// (…)`, graph summary, events, then `User message:` and the words typed); the words typed are what
// the reply is chosen by and what the judge matches, as for every other client.
const WG_CONTEXT = /^## System Context Update[\s\S]*\nUser message:\n([\s\S]*)$/;
const usersOwnWords = (text: string): string => (WG_CONTEXT.exec(text)?.[1] ?? text).trim();

/** What the user wrote in one message: its text blocks without claude's reminders and wg's context. */
const ownText = (content: unknown): string =>
  usersOwnWords(
    textBlocks(content)
      .filter((t) => !REMINDER.test(t))
      .join('\n'),
  );

/** Validates a Messages body the way the API does; the first problem is the 400's message. */
export function checkMessages(headers: IncomingHttpHeaders, text: string): { ok: true; request: MessagesRequest } | { ok: false; reply: ErrorReply } {
  const bad = (message: string) => ({ ok: false as const, reply: anthropicError(400, message) });
  if (typeof headers['anthropic-version'] !== 'string') return bad('anthropic-version: header is required');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return bad('Invalid JSON in request body');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return bad('Request body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') return bad('model: Field required');
  if (!Number.isInteger(b.max_tokens) || (b.max_tokens as number) < 1) return bad('max_tokens: Field required (an integer ≥ 1)');
  if (!Array.isArray(b.messages) || b.messages.length === 0) return bad('messages: at least one message is required');
  for (const [i, m] of b.messages.entries()) {
    const role = (m as { role?: unknown } | null)?.role;
    // claude 2.1 sends its environment as a `system` message inside `messages` (and retries without
    // it after a 400), so the API it talks to takes that role.
    if (role !== 'user' && role !== 'assistant' && role !== 'system') return bad(`messages.${i}.role: Input should be 'user', 'assistant' or 'system'`);
    const content = (m as { content?: unknown }).content;
    if (typeof content !== 'string' && !Array.isArray(content)) return bad(`messages.${i}.content: Input should be a valid string or list`);
  }
  if (b.stream !== undefined && typeof b.stream !== 'boolean') return bad('stream: Input should be a valid boolean');
  const messages = b.messages as MessagesRequest['messages'];
  const lastUserMessage = [...messages].reverse().find((m) => m.role === 'user');
  return {
    ok: true,
    request: { model: b.model, stream: b.stream === true, maxTokens: b.max_tokens as number, messages, lastUser: ownText(lastUserMessage?.content) },
  };
}

/** A rough token count (4 characters a token), for usage and count_tokens. */
export const estimateTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

const sse = (event: string, data: object) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

// The reply the corpus (or the echo) gives this conversation, seen as a plain user/assistant list.
function replyText(request: MessagesRequest, corpus: ReplyCorpus | undefined): string {
  // The conversation as the user had it: claude's system messages and reminder-only turns left out.
  const plain = request.messages
    .filter((m) => m.role !== 'system')
    .map((m) => ({ role: m.role, content: m.role === 'user' ? ownText(m.content) : textBlocks(m.content).join('\n') }))
    .filter((m) => m.content !== '');
  if (corpus) return corpus.replyFor(plain);
  return `Reply ${plain.filter((m) => m.role === 'user').length} to: ${echoOf(request.lastUser)}`;
}

/** Answers one Messages request, streaming or not, with `fault` applied as on the chat side. */
export async function writeMessagesReply(
  ex: Exchange,
  request: MessagesRequest,
  n: number,
  fault: FaultRule | undefined,
  config: WriterConfig,
  faultNote?: string,
): Promise<WriteOutcome> {
  if (fault?.fault === 'status') {
    const status = fault.status ?? 500;
    const message =
      status === 429
        ? 'Number of request tokens has exceeded your per-minute rate limit'
        : status >= 500
          ? status === 529
            ? 'Overloaded'
            : 'Internal server error'
          : 'fault';
    ex.send(anthropicError(status, fault.body ?? message, fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}));
    return { reply: null, error: null, complete: false };
  }
  let text = replyText(request, config.corpus);
  if (fault?.fault === 'empty') text = '';
  if (fault?.fault === 'long') text = longReply(text, fault.chars ?? 20000);
  ex.progress = { lastUser: request.lastUser, sent: 0, total: text.length, fault: faultNote };
  if (fault?.fault === 'delay' && !(await ex.sleep(fault.ms ?? 0))) return { reply: null, error: cutReason(ex), complete: false };
  const id = `msg_${String(n).padStart(4, '0')}${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
  const usage = { input_tokens: estimateTokens(JSON.stringify(request.messages)), output_tokens: estimateTokens(text) };
  if (!(await ex.sleep(config.firstChunkDelayMs))) return { reply: null, error: cutReason(ex), complete: false };
  if (!request.stream) {
    if (fault?.fault === 'stall' && !(await ex.sleep(fault.ms ?? Number.POSITIVE_INFINITY))) return { reply: null, error: cutReason(ex), complete: false };
    if (fault?.fault === 'drop') {
      ex.drop();
      return { reply: null, error: 'connection dropped (fault)', complete: false };
    }
    if (fault?.fault === 'stream-error') {
      ex.send(anthropicError(529, 'Overloaded'));
      return { reply: null, error: null, complete: false };
    }
    const body = {
      id,
      type: 'message',
      role: 'assistant',
      model: request.model,
      content: text ? [{ type: 'text', text }] : [],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage,
    };
    const json = JSON.stringify(body);
    ex.send({ status: 200, body: fault?.fault === 'malformed' ? json.slice(0, Math.floor(json.length / 2)) : json, headers: { 'request-id': REQUEST_ID() } });
    return { reply: fault?.fault === 'malformed' ? null : text, error: null, complete: fault?.fault !== 'malformed' };
  }
  ex.head(200, { ...SSE_HEADERS, 'cache-control': 'no-cache', 'request-id': REQUEST_ID() });
  const start = sse('message_start', {
    type: 'message_start',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model: request.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: usage.input_tokens, output_tokens: 1 },
    },
  });
  return streamWithFaults(ex, text, fault, config, {
    head:
      start + sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) + sse('ping', { type: 'ping' }),
    delta: (chunk) => sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: chunk } }),
    malformed: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\n\n',
    // What the API sends when it is overloaded mid-stream; the stream then just ends.
    streamError: { end: sse('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) },
    tail:
      sse('content_block_stop', { type: 'content_block_stop', index: 0 }) +
      sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }) +
      sse('message_stop', { type: 'message_stop' }),
  });
}

/** `POST /v1/messages/count_tokens`. */
export function countTokensReply(headers: IncomingHttpHeaders, text: string): ErrorReply {
  if (typeof headers['anthropic-version'] !== 'string') return anthropicError(400, 'anthropic-version: header is required');
  try {
    const body = JSON.parse(text) as { messages?: unknown; system?: unknown; tools?: unknown };
    if (!Array.isArray(body.messages)) return anthropicError(400, 'messages: Field required');
    return {
      status: 200,
      body: JSON.stringify({ input_tokens: estimateTokens(JSON.stringify([body.system, body.messages, body.tools])) }),
      headers: JSON_HEADERS,
      reason: 'count_tokens',
    };
  } catch {
    return anthropicError(400, 'Invalid JSON in request body');
  }
}

/** `GET /v1/models` asked the Anthropic way (with `anthropic-version`). */
export function anthropicModelList(models: readonly string[]): string {
  const data = models.map((id) => ({ type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' }));
  return JSON.stringify({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
}
