// Deterministic assistant replies: `Reply N to: <text>`, so a screen shows which message was answered.

// wg nex and the harness scan replies for these words (context-too-long heuristics); never echo them.
const BANNED = /context|token|prompt|maximum/gi;
const ECHO_MAX = 60;

/** The text of one message's `content`: a string, or an array of parts whose text parts are joined. */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') texts.push(part);
    else if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
      texts.push((part as { text: string }).text);
    }
  }
  return texts.join(' ');
}

const isUser = (m: unknown): m is { role: 'user'; content?: unknown } => !!m && typeof m === 'object' && (m as { role?: unknown }).role === 'user';

/** How many role=user messages the request carries; wg resends the whole history each turn. */
export function countUserMessages(messages: readonly unknown[]): number {
  return messages.filter(isUser).length;
}

/** Full text of the last user message ('' when there is none); fault rules match on it. */
export function lastUserText(messages: readonly unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (isUser(m)) return messageText(m.content);
  }
  return '';
}

/** The echo part: first line of the trimmed text, trimmed, cut to 60 characters, banned words masked. */
export function echoOf(text: string): string {
  const firstLine = (text.trim().split(/\r?\n/)[0] ?? '').trim();
  const cut = Array.from(firstLine).slice(0, ECHO_MAX).join('');
  return cut.replace(BANNED, (word) => 'x'.repeat(word.length));
}

/** The reply the endpoint sends for a request's `messages`. Exported so a harness can expect it. */
export function replyFor(messages: readonly unknown[]): string {
  return `Reply ${countUserMessages(messages)} to: ${echoOf(lastUserText(messages))}`;
}

/** A reply padded to `chars` characters with plain filler (no banned words), for the `long` fault. */
export function longReply(base: string, chars: number): string {
  const filler = ' lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor';
  let text = base;
  while (text.length < chars) text += filler;
  return text.slice(0, Math.max(chars, base.length));
}

/**
 * Cuts a reply into stream deltas: word by word (spaces kept, so joining restores the text), merged so
 * there are at most `maxChunks` deltas; long replies get ~100-character pieces.
 */
export function splitIntoChunks(text: string, maxChunks = 12): string[] {
  if (text.length === 0) return [];
  if (text.length > 1200) {
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += 100) pieces.push(text.slice(i, i + 100));
    return pieces;
  }
  const words = text.match(/\s*\S+\s*/g) ?? [text];
  if (words.length <= maxChunks) return words;
  const per = Math.ceil(words.length / maxChunks);
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += per) chunks.push(words.slice(i, i + per).join(''));
  return chunks;
}

/** Rough token counts for `usage`; only their presence and consistency matter to clients. */
export function estimateUsage(messages: readonly unknown[], reply: string) {
  let chars = 0;
  for (const m of messages) {
    if (m && typeof m === 'object') chars += messageText((m as { content?: unknown }).content).length;
  }
  const prompt_tokens = Math.max(1, Math.ceil(chars / 4));
  const completion_tokens = reply.length === 0 ? 0 : Math.max(1, Math.ceil(reply.length / 4));
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}
