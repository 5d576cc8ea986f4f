// Replies like a real model's: the built-in corpus, a user's own corpus file, and the choice of
// reply for a request. Deterministic: the same conversation always gets the same reply, so a
// failure can be rerun and a recording replayed.
import { OptionError } from '../errors.js';
import { isRegexText, readRulesFile, toRegex } from './rules-file.js';
import { countUserMessages, lastUserText, messageText } from './replies.js';

/** One corpus entry: `match` picks it for a message; entries without one are the fallback pool. */
export interface CorpusEntry {
  /** Substring of the last user message (case-insensitive), or `/regex/flags`. */
  match?: string;
  /** The reply. `{{message}}`, `{{first}}` and `{{n}}` are the last and first user message and their count. */
  reply: string;
}

// The built-in corpus. What a small coding model (qwen3-coder on SGLang) writes: markdown headings,
// lists and fenced code, lines far wider than any chat pane, replies several times taller than one,
// CJK and emoji, and text that talks about errors, failures and panics, as answers often do.
const CAPABILITIES = `Sure! Here's an overview of what I can help you with in this project.

## Working with your task graph

1. **Planning** — break a feature into tasks, set dependencies, and estimate the order of work.
2. **Reviewing** — read a task's log and tell you why it stalled or which step failed.
3. **Coordinating** — check which agents are active and what each of them is working on right now.

## Writing and fixing code

- Explain what a function does, line by line, in plain words.
- Write tests first, then the code that makes them pass.
- Refactor long functions into small ones with names that explain them.
- Read a stack trace and point at the line that matters.

For example, a small Rust helper that retries a request:

\`\`\`rust
use std::{thread, time::Duration};

fn with_retries<T, E: std::fmt::Display>(mut attempt: impl FnMut() -> Result<T, E>, tries: u32) -> Result<T, E> {
    let mut last = None;
    for n in 1..=tries {
        match attempt() {
            Ok(value) => return Ok(value),
            Err(err) => {
                eprintln!("attempt {n}/{tries} failed: {err}");
                last = Some(err);
                thread::sleep(Duration::from_millis(250 * u64::from(n)));
            }
        }
    }
    Err(last.expect("tries must be at least 1"))
}
\`\`\`

## Debugging failures

When something breaks, paste the output and I'll read it with you. Typical things I can explain:

- \`API error 503\` means the model server is overloaded or restarting; retrying with a backoff usually works.
- \`Error: connection refused\` means nothing listens on that port: check the URL and that the server is up.
- A request that failed with 400 usually has the reason in its body, for example an unknown model name.
- A Rust \`panic\` prints the file and line, like \`thread 'main' panicked at src/main.rs:4:5\`, which is where to start.
- ⚠ Warnings from the compiler are worth reading too: they often point at the real bug before it fails at run time.

A long command line, exactly as you would run it, so you can copy it in one piece: \`cargo test --workspace --all-features -- --nocapture --test-threads=1 2>&1 | tee /tmp/test-output.log | grep -E "FAILED|panicked|error\\[E[0-9]+\\]"\`

## Testing

I write tests that fail for the reason they name. A small vitest spec, for instance:

\`\`\`typescript
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../src/duration.js';

describe('parseDuration', () => {
  it('reads seconds, minutes and hours', () => {
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
  });

  it('rejects what it cannot read, naming the input', () => {
    expect(() => parseDuration('soon')).toThrow('cannot read duration "soon"');
    expect(() => parseDuration('-5s')).toThrow('cannot read duration "-5s"');
  });
});
\`\`\`

## A typical session

Here is what working through a failing build together usually looks like:

\`\`\`console
$ cargo build
   Compiling worksgood v0.1.0 (/home/you/src/wg)
error[E0308]: mismatched types
  --> src/service/mod.rs:212:24
   |
212|         let port: u16 = config.port;
   |                   ---   ^^^^^^^^^^^ expected \`u16\`, found \`u32\`
   |                   |
   |                   expected due to this
error: could not compile \`worksgood\` (lib) due to 1 previous error
$ git diff --stat
 src/service/mod.rs | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)
$ cargo test service::
running 14 tests
test service::tests::starts_and_stops ... ok
test service::tests::refuses_a_second_daemon ... ok
test result: ok. 14 passed; 0 failed; 0 ignored; 0 measured; 212 filtered out
\`\`\`

The compiler's message already says what to change: the config field is a \`u32\`, so either convert it with \`u16::try_from(config.port)?\` (and report ports above 65535 as a configuration error) or store it as a \`u16\` in the first place.

## Other languages

I can also answer in other languages: 日本語でも中文也可以, 한국어도 됩니다. 🌏 Just ask in the language you prefer, and I'll keep the code comments in English unless you say otherwise.

## Reading and writing documents

- Summarise a long design document into a page.
- Draft a README, a changelog entry or a commit message.
- Turn meeting notes into a list of tasks with owners.

## How to get the most out of me

1. Say what you want to achieve, not only what to type.
2. Paste the exact error message, not a paraphrase: the words matter.
3. Tell me which files are involved, and I'll read them before I change anything.
4. Ask for a plan first when the change is large; we can refine it before any code is written.
5. Run the tests after each change, and tell me what failed, so we fix one thing at a time.

That's the short version! 🚀 What would you like to start with?`;

const ERRORS = `Good question — error messages like that are easier to read once you know where they come from.

**\`API error 503\`** is an HTTP status from the model server: *Service Unavailable*. It usually means one of these:

1. The server is still loading the model weights after a restart.
2. Every slot is busy and the request queue is full.
3. A proxy in front of the server could not reach it.

What you would typically see in a client log:

\`\`\`text
Error: API error 503: {"object":"error","message":"Service Unavailable","type":"ServiceUnavailableError","code":503}
warning: request failed, retrying in 2s (attempt 2/3)
\`\`\`

Error: lines like the first one are printed by the client, not by the server, so the wording differs between tools.
If the retries all failed, the client gives up and reports the last error. Nothing panicked and nothing crashed: it is a temporary condition, and waiting a minute usually fixes it. ⚠ If it persists, check the server's own log for an out-of-memory message.`;

const CODE = `Here is a small, complete example you can run as it is:

\`\`\`python
import json
import sys


def summarize(path: str) -> dict:
    """Counts the lines, words and characters of a text file."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    return {"lines": text.count("\\n"), "words": len(text.split()), "chars": len(text)}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: summarize.py FILE", file=sys.stderr)
        sys.exit(2)
    print(json.dumps(summarize(sys.argv[1]), indent=2))
\`\`\`

Run it with \`python3 summarize.py README.md\`. It exits with status 2 and a usage line when the argument is missing, which makes it easy to use from scripts and CI jobs that check exit codes.`;

const PROSE = `That depends on what you optimise for, so let me lay out the trade-off in one go rather than as a list: a single long-running process that keeps its state in memory is the fastest option and the simplest to reason about while it stays up, but every restart loses whatever was not written down, and a crash in the middle of a write can leave a half-finished file behind unless you write to a temporary file first and rename it into place, which is atomic on the same filesystem; a design that appends every change to a journal and rebuilds its state from that journal on start is slower to start and a little more code, yet it survives crashes, gives you a history for free, and lets a second process follow along by reading the same file.

If you expect to debug this in production, the journal wins: you can replay it to reproduce a bug exactly as it happened. 📓`;

const CJK = `もちろんです！簡単に説明します。

**概要**：このプロジェクトでは、タスクをグラフとして管理し、各エージェントが依存関係に従って作業を進めます。

- 中文说明：每个任务都有状态（开放、进行中、完成），协调者会根据依赖关系分配任务。
- 한국어 설명: 작업이 끝나면 다음 작업이 자동으로 시작됩니다.

ご不明な点があれば、いつでも聞いてください。🙂`;

/** The built-in corpus, first match wins; entries without `match` are the fallback pool. */
export const BUILTIN_CORPUS: readonly CorpusEntry[] = [
  { match: '/^\\s*(hi|hello|hey|hallo|good (morning|afternoon|evening))\\b/i', reply: 'Hello! 👋 How can I help you today?' },
  { match: '/first message/i', reply: 'Your first message in this conversation was: "{{first}}". You have sent {{n}} messages so far.' },
  { match: '/\\b(thanks|thank you|bye|goodbye)\\b/i', reply: "You're welcome! Good luck with the project — come back any time. 👋" },
  {
    match: '/joke/i',
    reply: 'Why do programmers prefer dark mode?\n\nBecause light attracts bugs! 🐛\n\nWant another one, or shall we get back to work?',
  },
  { match: '/\\b(error|errors|fail|failed|failure|panic|crash|503|500|exception)\\b/i', reply: ERRORS },
  { match: '/help|what can you|capabilit|what do you do/i', reply: CAPABILITIES },
  { match: '/\\b(code|function|script|example|python|program)\\b/i', reply: CODE },
  { match: '/[\\u3040-\\u30ff\\u4e00-\\u9fff\\uac00-\\ud7af]/u', reply: CJK },
  { reply: CAPABILITIES },
  { reply: ERRORS },
  { reply: CODE },
  { reply: PROSE },
  { reply: CJK },
];

function matcherOf(match: string): (text: string) => boolean {
  if (isRegexText(match)) {
    const re = toRegex(match);
    return (text) => re.test(text);
  }
  const needle = match.toLowerCase();
  return (text) => text.toLowerCase().includes(needle);
}

// FNV-1a: a stable seed from the message, the same on every machine and Node version.
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A compiled corpus: picks the reply for a request's `messages`. */
export class ReplyCorpus {
  private readonly matchers: Array<((text: string) => boolean) | undefined>;
  private readonly pool: CorpusEntry[];

  constructor(readonly entries: readonly CorpusEntry[]) {
    if (entries.length === 0) throw new OptionError('reply corpus is empty');
    this.matchers = entries.map((e) => (e.match === undefined ? undefined : matcherOf(e.match)));
    const pool = entries.filter((e) => e.match === undefined);
    this.pool = pool.length > 0 ? pool : [...entries];
  }

  /** The reply to `messages` (the whole conversation, as the client sends it each turn). */
  replyFor(messages: readonly unknown[]): string {
    const last = lastUserText(messages);
    const i = this.matchers.findIndex((m) => m?.(last));
    const entry = i >= 0 ? this.entries[i]! : this.pool[seedOf(last) % this.pool.length]!;
    const users = messages.filter((m) => (m as { role?: unknown } | null)?.role === 'user');
    const first = users.length > 0 ? messageText((users[0] as { content?: unknown }).content) : '';
    return entry.reply
      .replaceAll('{{message}}', last)
      .replaceAll('{{first}}', first.trim())
      .replaceAll('{{n}}', String(countUserMessages(messages)));
  }
}

export const builtinCorpus = (): ReplyCorpus => new ReplyCorpus(BUILTIN_CORPUS);

function problemOf(entry: unknown): string | undefined {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return 'is not an object';
  const e = entry as Record<string, unknown>;
  for (const key of Object.keys(e)) if (key !== 'match' && key !== 'reply') return `has unknown field "${key}"`;
  if (typeof e.reply !== 'string' || e.reply === '') return 'needs a non-empty "reply" string';
  if (e.match !== undefined) {
    if (typeof e.match !== 'string' || e.match === '') return '"match" is not a non-empty string';
    try {
      matcherOf(e.match);
    } catch (error) {
      return `"match" ${e.match} is not a valid regex (${(error as Error).message})`;
    }
  }
  return undefined;
}

/** Checks corpus entries (a list, or `{replies: [...]}`); throws OptionError naming the entry. */
export function validateCorpus(input: unknown, source = 'reply corpus'): CorpusEntry[] {
  const list = input && typeof input === 'object' && !Array.isArray(input) ? (input as { replies?: unknown }).replies : input;
  if (!Array.isArray(list) || list.length === 0) throw new OptionError(`${source}: expected a non-empty list of {match?, reply} entries (or {replies: [...]})`);
  list.forEach((entry, i) => {
    const problem = problemOf(entry);
    if (problem) throw new OptionError(`${source}: entry ${i + 1} ${problem}`);
  });
  return list as CorpusEntry[];
}

/** Reads a corpus file: `.json` is JSON, anything else YAML. */
export async function loadCorpusFile(path: string): Promise<CorpusEntry[]> {
  return validateCorpus(await readRulesFile('--reply-corpus', path), `--reply-corpus ${path}`);
}

/**
 * The `--replies echo|corpus` and `--reply-corpus FILE` flags of both commands, checked once.
 * Default: the built-in corpus. A corpus file implies `corpus`.
 */
export async function repliesFromFlags(mode: string | undefined, file: string | undefined): Promise<'echo' | 'corpus' | CorpusEntry[]> {
  if (mode !== undefined && mode !== 'echo' && mode !== 'corpus') throw new OptionError(`--replies takes echo or corpus, got "${mode}"`);
  if (file !== undefined) {
    if (mode === 'echo') throw new OptionError('--reply-corpus needs --replies corpus (got --replies echo)');
    return loadCorpusFile(file);
  }
  return mode === 'echo' ? 'echo' : 'corpus';
}
