import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
// Types only (erased at run time): the matchers' declarations extend vitest's.
import type {} from 'vitest';
import type { MessageResult } from './report/model.js';
import { Screen, TerminalSession } from './terminal/index.js';

// vitest matchers for wg TUI specs. `installMatchers(expect)` adds:
//   expect(session).toShowText('Chat with Agent')    the screen (a session's, or a Screen) shows it
//   expect(result).toHaveReplied()                   a judged message (runTurn) got `replied`
//   expect(session).toMatchScreenSnapshot('launcher') the screen, volatile parts masked, equals
//                                                    __snapshots__/<spec>.<name>.screen.txt
// The snapshot catches a layout change and not a new clock, timing, token count, spinner frame or
// temp path: those are masked before comparing. A missing snapshot is written (and fails under
// CI, where nobody would look at it); `vitest -u` rewrites it.

/** Volatile text and its mask, applied in order. */
const VOLATILE: Array<[RegExp, string]> = [
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?\b/g, '<time>'],
  [/\b\d{1,2}:\d{2}(:\d{2})?(\s?[AP]M)?\b/g, '<clock>'],
  [/(\/tmp|\/var\/folders)\/[^\s│┃|'"]+/g, '<tmp>'],
  [/\b\d+(\.\d+)?\s?(ms|s|m|h)\b( ago)?/g, '<dur>'],
  [/\b\d[\d,.]*[kM]?\s(input|output|tokens?)\b/g, '<n> $1'],
  [/\$\d+\.\d+/g, '$<cost>'],
  [/[⠀-⣿]/g, '⠿'], // braille spinner frames
  [/[◐◓◑◒✻✽✶✳✢·]/g, '*'], // claude's and wg's working glyphs
  [/↯{2,}/g, '↯↯'],
];

/** The screen text with clocks, timings, token counts, costs, spinner frames and temp paths masked. */
export function maskVolatile(text: string): string {
  let out = text;
  for (const [pattern, mask] of VOLATILE) out = out.replace(pattern, mask);
  return out
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n+$/, '\n');
}

const screenText = (received: unknown): string | undefined => {
  if (received instanceof TerminalSession) return received.screen().lines.join('\n');
  if (received instanceof Screen) return received.lines.join('\n');
  if (Array.isArray(received) && received.every((l) => typeof l === 'string')) return received.join('\n');
  return undefined;
};

interface MatcherContext {
  isNot: boolean;
  testPath?: string;
  currentTestName?: string;
  snapshotState?: unknown;
}

/** vitest's `expect` (typed loosely, so that this module needs no vitest at run time). */
interface ExpectLike {
  extend(matchers: never): void;
}

export function installMatchers(expect: ExpectLike): void {
  expect.extend({
    toShowText(received: unknown, text: string) {
      const screen = screenText(received);
      if (screen === undefined) return { pass: false, message: () => 'toShowText expects a TerminalSession, a Screen or screen lines' };
      const pass = screen.includes(text);
      return { pass, message: () => `expected the screen ${pass ? 'not ' : ''}to show ${JSON.stringify(text)}; it shows:\n${screen.replace(/\s+$/, '')}` };
    },
    toHaveReplied(received: unknown) {
      const m = received as Partial<MessageResult>;
      const pass = m?.verdict === 'replied' && m.passed === true;
      const why = m?.verdict
        ? `${m.verdict}: ${m.detail ?? m.signal ?? ''}${m.cause ? ` (cause: ${m.cause.kind} — ${m.cause.text})` : ''}`
        : 'not a judged message';
      return {
        pass,
        message: () => (pass ? `expected no reply, got one: ${m.detail ?? ''}` : `expected a reply to ${JSON.stringify(m?.text ?? '?')}, got ${why}`),
      };
    },
    toMatchScreenSnapshot(this: MatcherContext, received: unknown, name: string) {
      const screen = screenText(received);
      if (screen === undefined) return { pass: false, message: () => 'toMatchScreenSnapshot expects a TerminalSession, a Screen or screen lines' };
      if (!this.testPath) return { pass: false, message: () => 'toMatchScreenSnapshot needs vitest (no test path)' };
      const file = join(dirname(this.testPath), '__snapshots__', `${basename(this.testPath)}.${name}.screen.txt`);
      const masked = maskVolatile(screen);
      // vitest -u: the snapshot state's update mode (`all`).
      const update = (this.snapshotState as { _updateSnapshot?: string } | undefined)?._updateSnapshot === 'all';
      if (!existsSync(file) || update) {
        if (process.env.CI && !update)
          return { pass: false, message: () => `no screen snapshot ${file} (under CI it is not written; run the spec locally first)` };
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, masked);
        return { pass: true, message: () => `wrote ${file}` };
      }
      const stored = readFileSync(file, 'utf8');
      const pass = stored === masked;
      return {
        pass,
        message: () => (pass ? `expected the screen to differ from ${file}` : `the screen differs from ${file}:\n--- stored\n${stored}--- now\n${masked}`),
      };
    },
  } as never);
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- vitest's own declaration
  interface Matchers<T = any> {
    toShowText(text: string): T;
    toHaveReplied(): T;
    toMatchScreenSnapshot(name: string): T;
  }
}
