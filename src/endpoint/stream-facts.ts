// What a server's answer said, read as it streams: the reply text so far, whether the stream ended
// as a finished completion ([DONE] or a finish_reason, or a whole JSON body), an error it carried,
// and the server's own numbers (prompt tokens, prefill time, generation pace) where it sends them.
// The recording proxy feeds it each chunk it passes on, so the turn judge knows about a live
// server what it knows about the embedded endpoint.

/** The server's own account of one completion (llama.cpp's `timings`, OpenAI's `usage`). */
export interface ServerNumbers {
  promptTokens?: number;
  completionTokens?: number;
  /** Prompt processing time the server reported (llama.cpp `timings.prompt_ms`). */
  prefillMs?: number;
  /** Generated tokens per second the server reported (llama.cpp `timings.predicted_per_second`). */
  tokensPerSecond?: number;
  finishReason?: string;
}

export interface StreamOutcome {
  /** The assistant's text (content deltas joined, or the body's message), null when none came. */
  reply: string | null;
  /** Reasoning streamed apart from the answer (`reasoning_content`, `reasoning`), null when none. */
  reasoning: string | null;
  /** The answer ended as a finished completion: `[DONE]` or a finish_reason in a stream, a parsed body otherwise. */
  finished: boolean;
  /** An error the body carried (an SSE error event, or an error JSON), in the server's words. */
  error: string | null;
  numbers: ServerNumbers;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The message of an error JSON in any of the shapes servers use (`{error:{message}}`, `{message}`, `{detail}`, `{error:"…"}`). */
export function errorMessageOf(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { error?: unknown; message?: unknown; detail?: unknown };
  if (typeof v.error === 'string') return v.error;
  if (v.error && typeof v.error === 'object') {
    const message = (v.error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  if (typeof v.message === 'string' && !('choices' in v)) return v.message;
  if (typeof v.detail === 'string') return v.detail;
  if (Array.isArray(v.detail)) {
    // FastAPI's validation errors: a list of {loc, msg, type}.
    return v.detail
      .map((d: unknown) => {
        const msg = (d as { msg?: unknown } | null)?.msg;
        return typeof msg === 'string' ? msg : JSON.stringify(d);
      })
      .join('; ');
  }
  return undefined;
}

/** Reads an answer chunk by chunk (SSE or JSON, OpenAI or Anthropic shape). */
export class StreamFacts {
  private reply = '';
  private replySeen = false;
  private reasoning = '';
  private pending = '';
  private body = '';
  private sse: boolean | undefined;
  private done = false;
  private error: string | null = null;
  readonly numbers: ServerNumbers = {};

  /** Characters of reply text so far. */
  get chars(): number {
    return this.reply.length;
  }

  feed(text: string): void {
    if (this.sse === undefined) {
      const start = text.trimStart();
      if (start.length === 0) return;
      this.sse = !start.startsWith('{') && !start.startsWith('[');
    }
    if (!this.sse) {
      // A JSON body is read whole at the end; keep it bounded (an error page can be large).
      if (this.body.length < 1_000_000) this.body += text;
      return;
    }
    this.pending += text;
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) !== -1) {
      const line = this.pending.slice(0, nl).replace(/\r$/, '');
      this.pending = this.pending.slice(nl + 1);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (!line.startsWith('data:')) return;
    const data = line.slice(5).trim();
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return; // a malformed event carries no text; the raw chunks stay in the recording
    }
    if (event.error !== undefined || event.type === 'error') {
      this.error = errorMessageOf(event) ?? JSON.stringify(event.error ?? event).slice(0, 300);
      return;
    }
    this.openAiChunk(event);
    this.anthropicEvent(event);
  }

  private openAiChunk(event: Record<string, unknown>): void {
    const choice = (event.choices as Array<Record<string, unknown>> | undefined)?.[0];
    const delta = choice?.delta as Record<string, unknown> | undefined;
    if (typeof delta?.content === 'string') this.addReply(delta.content);
    const reasoning = delta?.reasoning_content ?? delta?.reasoning;
    if (typeof reasoning === 'string') this.reasoning += reasoning;
    if (typeof choice?.finish_reason === 'string') this.numbers.finishReason = choice.finish_reason;
    this.readUsage(event.usage);
    // llama.cpp's server reports its own timings in the last chunk.
    const timings = event.timings as Record<string, unknown> | undefined;
    if (timings) {
      this.numbers.promptTokens ??= num(timings.prompt_n);
      this.numbers.prefillMs = num(timings.prompt_ms) ?? this.numbers.prefillMs;
      this.numbers.completionTokens ??= num(timings.predicted_n);
      this.numbers.tokensPerSecond = num(timings.predicted_per_second) ?? this.numbers.tokensPerSecond;
    }
  }

  // Anthropic Messages stream: text deltas, message_delta's stop_reason, message_stop as the end.
  private anthropicEvent(event: Record<string, unknown>): void {
    const delta = event.delta as Record<string, unknown> | undefined;
    if (event.type === 'content_block_delta' && delta?.type === 'text_delta' && typeof delta.text === 'string') this.addReply(delta.text);
    if (event.type === 'content_block_delta' && delta?.type === 'thinking_delta' && typeof delta.thinking === 'string') this.reasoning += delta.thinking;
    if (event.type === 'message_delta' && typeof delta?.stop_reason === 'string') this.numbers.finishReason = delta.stop_reason;
    if (event.type === 'message_start') this.readUsage((event.message as { usage?: unknown } | undefined)?.usage);
    if (event.type === 'message_stop') this.done = true;
  }

  private readUsage(usage: unknown): void {
    if (!usage || typeof usage !== 'object') return;
    const u = usage as Record<string, unknown>;
    this.numbers.promptTokens = num(u.prompt_tokens) ?? num(u.input_tokens) ?? this.numbers.promptTokens;
    this.numbers.completionTokens = num(u.completion_tokens) ?? num(u.output_tokens) ?? this.numbers.completionTokens;
  }

  private addReply(text: string): void {
    this.reply += text;
    this.replySeen = true;
  }

  /** What the whole answer said, once it ended (or was cut). */
  outcome(): StreamOutcome {
    if (this.sse === false) return this.jsonOutcome();
    if (this.pending.length > 0) {
      this.line(this.pending.replace(/\r$/, ''));
      this.pending = '';
    }
    return {
      reply: this.replySeen ? this.reply : null,
      reasoning: this.reasoning.length > 0 ? this.reasoning : null,
      // A finish_reason without [DONE] (a server that closes right after it) still finished the answer.
      finished: this.error === null && (this.done || this.numbers.finishReason !== undefined),
      error: this.error,
      numbers: this.numbers,
    };
  }

  private jsonOutcome(): StreamOutcome {
    let value: Record<string, unknown> | undefined;
    try {
      value = JSON.parse(this.body) as Record<string, unknown>;
    } catch {
      return { reply: null, reasoning: null, finished: false, error: null, numbers: this.numbers };
    }
    const error = value.error !== undefined || value.type === 'error' ? (errorMessageOf(value) ?? null) : null;
    const choice = (value.choices as Array<Record<string, unknown>> | undefined)?.[0];
    const message = choice?.message as Record<string, unknown> | undefined;
    let reply = typeof message?.content === 'string' ? message.content : null;
    // Anthropic: content blocks of type text.
    if (reply === null && Array.isArray(value.content)) {
      const texts = (value.content as Array<Record<string, unknown>>).filter((b) => b.type === 'text' && typeof b.text === 'string');
      if (texts.length > 0) reply = texts.map((b) => b.text as string).join('');
    }
    const reasoning = message?.reasoning_content ?? message?.reasoning;
    if (typeof choice?.finish_reason === 'string') this.numbers.finishReason = choice.finish_reason;
    this.readUsage(value.usage);
    return { reply, reasoning: typeof reasoning === 'string' ? reasoning : null, finished: error === null && reply !== null, error, numbers: this.numbers };
  }
}
