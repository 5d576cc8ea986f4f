// Test helpers: real HTTP against the endpoint, and a strict parser for the SSE that wg reads.
import { expect } from 'vitest';

/** A finished HTTP exchange as a client saw it. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** POSTs JSON the way wg does (content-type application/json) and reads the whole body. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A chat request body like wg nex sends. */
export function chatBody(model: string, userTexts: string[], extra: Record<string, unknown> = {}) {
  const messages: unknown[] = [{ role: 'system', content: 'you are a coordinator' }];
  userTexts.forEach((text, i) => {
    messages.push({ role: 'user', content: text });
    if (i < userTexts.length - 1) messages.push({ role: 'assistant', content: `answer ${i + 1}` });
  });
  return { model, messages, max_tokens: 16384, tools: [], tool_choice: 'auto', stream: true, ...extra };
}

/** Splits an SSE body into its `data:` payloads; fails on anything that is not `data: …\n\n` framing. */
export function sseEvents(text: string): string[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((event) => {
      expect(event.startsWith('data: ')).toBe(true);
      return event.slice(6);
    });
}

/** Checks a complete stream the way wg's parser needs it and returns the assistant text. */
export function assertWellFormedStream(text: string): { reply: string; chunks: Record<string, unknown>[] } {
  const events = sseEvents(text);
  expect(events.at(-1)).toBe('[DONE]');
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Record<string, unknown>);
  let reply = '';
  let finish: unknown = null;
  for (const chunk of chunks) {
    expect(chunk).toHaveProperty('choices');
    const choice = (chunk.choices as { delta?: { content?: string }; finish_reason?: unknown }[])[0];
    if (choice?.delta?.content) reply += choice.delta.content;
    if (choice?.finish_reason) finish = choice.finish_reason;
  }
  expect(finish).toBe('stop');
  const contentChunks = chunks.filter((c) => (c.choices as { delta?: { content?: string } }[])[0]?.delta?.content);
  expect(contentChunks.length).toBeGreaterThan(1);
  return { reply, chunks };
}

/** Waits until `predicate` holds (polling, generous deadline); for log entries written after the response. */
export async function eventually<T>(fn: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
