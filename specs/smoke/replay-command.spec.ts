import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runReplay } from '../../src/smoke/replay-command.js';
import { parseCast } from '../../src/terminal/index.js';

// `wg-tui-e2e replay` over recorded real-wg sessions (snapshots/real-wg): the screen at a marker,
// today's detectors judging the run again, and a wrong detector caught as a difference.

const snapshot = (path: string) => new URL(`../../snapshots/real-wg/${path}`, import.meta.url).pathname;

function sink(): { out: Writable; text: () => string } {
  const chunks: string[] = [];
  const out = new Writable({ write: (chunk, _enc, done) => void (chunks.push(String(chunk)), done()) });
  return { out, text: () => chunks.join('') };
}

describe('replay', () => {
  it('--judge: the recorded verdicts again (the user\'s bug build: pane-died on "hi")', async () => {
    const { out, text } = sink();
    const code = await runReplay({ path: snapshot('workgraph-3b885405/nex-local'), judge: true }, out);
    expect(text()).toMatch(/^FAIL .*workgraph-3b885405\/nex-local 1\/1 "hi" pane-died \[nex-pane\] \(as recorded\)$/m);
    expect(code).toBe(0);
  });

  it('--judge with the wrong chat UI: every verdict differs, exit 1', async () => {
    const { out, text } = sink();
    const code = await runReplay({ path: snapshot('workgraph-5422563c/nex-local'), judge: true, surface: 'pi-tmux' }, out);
    expect(text()).toMatch(/DIFFERS \(recorded: replied\)/);
    expect(text()).toMatch(/verdicts? differ from the recording$/m);
    expect(code).toBe(1);
  });

  it('--at msg-2: the screen just before message 2 was typed shows the first reply', async () => {
    const { out, text } = sink();
    await runReplay({ path: snapshot('workgraph-5422563c/nex-local/session.cast'), at: 'msg-2' }, out);
    expect(text()).toMatch(/^--- screen at msg-2 \(\d+\.\d\ds\) ---$/m);
    expect(text()).toContain('Reply 1 to: hi');
    expect(text()).not.toContain('Reply 2 to:');
  });

  it('plays the cast (fast) into the given stream', async () => {
    const { out, text } = sink();
    await runReplay({ path: snapshot('workgraph-5422563c/nex-local'), speed: 1000 }, out);
    // Every output event, in order, and nothing else (the input events are the harness's keys).
    const { events } = parseCast(readFileSync(snapshot('workgraph-5422563c/nex-local/session.cast'), 'utf8'));
    expect(text()).toBe(
      `${events
        .filter((e) => e.type === 'o')
        .map((e) => e.data)
        .join('')}\n`,
    );
  }, 20_000);

  it('says what is wrong with bad input', async () => {
    await expect(runReplay({ path: '/nonexistent/run', judge: true })).rejects.toThrow(/no such file or folder/);
    await expect(runReplay({ path: snapshot('workgraph-5422563c/nex-local/session.cast'), judge: true })).rejects.toThrow(/needs --surface NAME/);
    await expect(runReplay({ path: snapshot('workgraph-5422563c/nex-local'), at: 'no-such-marker' })).rejects.toThrow(/no such marker/);
  });
});
