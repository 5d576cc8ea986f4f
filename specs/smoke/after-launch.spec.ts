import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ChatFailedError, SetupError } from '../../src/errors.js';
import { afterLaunch, openFailure } from '../../src/smoke/after-launch.js';
import { WaitError } from '../../src/terminal/index.js';
import { NoPiError } from '../../src/wg/types.js';

// Blame by phase. Once wg has launched a chat, an opener that gives up is a verdict on wg: a chat
// that never becomes ready is chat-stuck with wg's last words (exit 1), the TUI exiting is
// tui-exited. A skip, a stop or a bug of the harness's own is not wg's. The screen is June's Pi
// chat that stays `Booting agent...` (wg 44e643c8, 06-23; its next commit names the bug).

const booting = readFileSync(new URL('../../snapshots/real-wg/wg-44e643c8/pi-local/open-failed.txt', import.meta.url), 'utf8');
const waitFailed = (reason: 'timeout' | 'exited' | 'aborted') =>
  new WaitError({
    condition: 'check',
    reason,
    elapsedMs: 90_000,
    timeoutMs: 90_000,
    phase: 'waiting for the launched Pi chat (its pane, or the composer view)',
    screenText: booting,
    exit: reason === 'exited' ? { exitCode: 1, signal: undefined } : undefined,
  });
const LAUNCHED = "a pi chat (Enter on the launcher's `+ Add new...` form)";

describe('a failure after wg launched the chat', () => {
  it('is chat-stuck, with the phase and wg’s last words: Booting agent...', () => {
    const stuck = afterLaunch(waitFailed('timeout'), LAUNCHED, []);
    expect(stuck).toMatchObject({
      verdict: 'chat-stuck',
      signal: `phase: chat boot — wg launched ${LAUNCHED}; not ready after 90s (waiting for the launched Pi chat (its pane, or the composer view))`,
    });
    expect(stuck?.detail).toMatch(/Booting agent\.\.\. \(this can take a few seconds\)$/);
  });

  it('is tui-exited when wg tui went away', () => {
    expect(afterLaunch(waitFailed('exited'), LAUNCHED, [])?.verdict).toBe('tui-exited');
  });

  it("is an opener's own give-up too (a SetupError after the launch), read off the screen", () => {
    expect(afterLaunch(new SetupError('the pane never showed a prompt'), LAUNCHED, booting.split('\n'))).toMatchObject({
      verdict: 'chat-stuck',
      signal: expect.stringContaining('not ready: the pane never showed a prompt'),
    });
  });

  it('says nothing of wg for a skip, a stop, or a bug of the harness', () => {
    expect(afterLaunch(new NoPiError('no Pi row'), LAUNCHED, [])).toBeUndefined();
    expect(afterLaunch(waitFailed('aborted'), LAUNCHED, [])).toBeUndefined();
    expect(afterLaunch(new TypeError('x is undefined'), LAUNCHED, [])).toBeUndefined();
  });
});

// One error family: every loud skip is a SkipError carrying the label its SKIP line starts with.
describe('the skips', () => {
  it('carry their labels', async () => {
    const { SkipError } = await import('../../src/errors.js');
    const { NoClaudeError, SetupNotOfferedError } = await import('../../src/wg/types.js');
    for (const [error, label] of [
      [new NoPiError('x'), 'PI SMOKE SKIPPED'],
      [new NoClaudeError('x'), 'CLAUDE SMOKE SKIPPED'],
      [new SetupNotOfferedError('plain', 'x'), 'PLAIN SETUP SKIPPED'],
      [new SetupNotOfferedError('route', 'x'), 'ROUTE SETUP SKIPPED'],
    ] as const) {
      expect(error).toBeInstanceOf(SkipError);
      expect(error.label).toBe(label);
    }
  });
});

describe('what an opener’s error means (openFailure)', () => {
  const at = { launched: undefined, stopped: false, screen: [] as string[], exit: 'exit code 1' };

  it('wg’s own failed chat is chat-failed with its words, launched or not', () => {
    const outcome = openFailure(new ChatFailedError('Chat unavailable: refused Pi chat start'), at);
    expect(outcome).toEqual({
      failed: { verdict: 'chat-failed', signal: 'screen: wg showed the chat as failed while it opened', detail: 'Chat unavailable: refused Pi chat start' },
    });
  });

  it('wg tui exiting before any launch is a setup failure naming how it exited; after a launch, tui-exited', () => {
    const before = openFailure(waitFailed('exited'), at);
    expect('rethrow' in before && before.rethrow).toBeInstanceOf(SetupError);
    expect('rethrow' in before && (before.rethrow as Error).message).toMatch(/^wg tui exited before the chat opened \(exit code 1\): /);
    expect(openFailure(waitFailed('exited'), { ...at, launched: LAUNCHED })).toMatchObject({ failed: { verdict: 'tui-exited' } });
  });

  it('a stop is never blamed on wg, launched or not', () => {
    const error = waitFailed('timeout');
    expect(openFailure(error, { ...at, launched: LAUNCHED, stopped: true })).toEqual({ rethrow: error });
  });
});
