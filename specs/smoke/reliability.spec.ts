import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { exitCodeFor, type RunResult } from '../../src/report/model.js';
import { formatMessageLine } from '../../src/report/lines.js';
import { RunStop } from '../../src/smoke/interrupt.js';
import { normalizeRunOptions } from '../../src/smoke/options.js';
import { checkOutputPaths } from '../../src/smoke/paths.js';
import { rerunCommand } from '../../src/smoke/run.js';
import { redactDeep, redactor, secretValues } from '../../src/smoke/secrets.js';
import { runTurn as judgeTurn } from '../../src/smoke/turn.js';
import { agreeing } from './invariant.js';
import { TerminalSession } from '../../src/terminal/index.js';
import { detectNexPane } from '../../src/wg/surfaces/nex-pane.js';
import { tempDir } from '../setup/temp.js';
import { captured } from '../setup/captured.js';

// Every case's cause must agree with its own signal (src/smoke/cause-invariant.ts).
const runTurn = async (...args: Parameters<typeof judgeTurn>) => agreeing(await judgeTurn(...args));

// What the smoke must do when things go wrong around it: a signal, a TUI that dies between two
// messages, secrets in its input, output paths it cannot use.

const FIXTURE = fileURLToPath(new URL('../fixtures/fake-chat-tui.mjs', import.meta.url));
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function nexFixture(modes: string): Promise<TerminalSession> {
  const session = await TerminalSession.spawn({ file: process.execPath, args: [FIXTURE, '--style', 'nex', '--modes', modes], cols: 120, rows: 30 });
  cleanups.push(async () => void (await session.dispose({ killLeaked: true })));
  await session.waitForText('> █', { timeoutMs: 10_000 });
  return session;
}

const turnOptions = (session: TerminalSession, text: string, index: number, stop?: AbortSignal) => ({
  session,
  detector: detectNexPane,
  scenario: 'fixture',
  turn: { text, index },
  total: 3,
  budgetMs: 20_000,
  typeDelayMs: 0,
  writeScreen: async () => undefined,
  stop,
});

describe('stopping a run', () => {
  it('aborts at the first signal, keeps tearing down at the second, exits at the third naming what is alive', () => {
    const notes: string[] = [];
    const exits: number[] = [];
    const stop = new RunStop({ write: (t) => void notes.push(t), exit: (c) => void exits.push(c) });
    stop.track('tui', 'wg tui (pid 42)');
    stop.deliver('SIGINT');
    expect(stop.signal.aborted).toBe(true);
    expect(stop.received).toBe('SIGINT');
    stop.deliver('SIGINT');
    expect(exits).toEqual([]);
    expect(notes[1]).toContain('still tearing down (wg tui (pid 42))');
    stop.deliver('SIGTERM');
    expect(exits).toEqual([130]);
    expect(notes[2]).toContain('still alive: wg tui (pid 42)');
  });

  it('stops at the deadline with its own reason', async () => {
    const stop = new RunStop({ write: () => undefined });
    stop.deadline(50);
    await new Promise((r) => stop.signal.addEventListener('abort', r));
    expect(String(stop.signal.reason)).toBe('the --deadline of 0.05s');
    expect(stop.received).toBeUndefined();
  });

  it('marks the message in flight interrupted, not no-reply, when the run is stopped mid-wait', async () => {
    const session = await nexFixture('hang');
    const stop = new AbortController();
    setTimeout(() => {
      stop.abort('SIGINT');
      void session.dispose();
    }, 300);
    const result = await runTurn(turnOptions(session, 'hi', 1, stop.signal));
    expect(result.verdict).toBe('interrupted');
    expect(result.passed).toBe(false);
    expect(result.signal).toMatch(/^SIGINT \d+\.\ds after Enter, while waiting for the reply$/);
    expect(result.settledMs).toBeLessThan(5000);
    expect(formatMessageLine({ name: 'fixture', status: 'interrupted', findings: [], messages: [], durationMs: 0 }, result)).toMatch(
      /^SKIP fixture 1\/3 "hi" interrupted: /,
    );
  });

  it("exits with the signal's status and counts interrupted messages as skipped", () => {
    const run: RunResult = { scenarios: [], startedAt: '', durationMs: 0, interrupted: { signal: 'SIGTERM', exitCode: 143 } };
    expect(exitCodeFor(run)).toBe(143);
    expect(exitCodeFor(run, { bisect: true })).toBe(143);
  });
});

describe('the right blame', () => {
  it('judges the next message tui-exited when wg tui died between two messages', async () => {
    const session = await nexFixture('reply,exit');
    expect((await runTurn(turnOptions(session, 'hi', 1))).verdict).toBe('replied');
    expect((await runTurn(turnOptions(session, 'bye', 2))).verdict).toBe('tui-exited');
    // Already gone before the third: still a verdict on wg, not a harness error.
    const third = await runTurn(turnOptions(session, 'anyone?', 3));
    expect(third).toMatchObject({ verdict: 'tui-exited', passed: false });
    expect(third.signal).toMatch(/wg tui had exited before this message \(exit code 0\)/);
  });
});

describe('secrets', () => {
  const env = { OPENAI_API_KEY: 'sk-canary-123456', HOME: '/root', SHORT_KEY: 'abc' };
  const redact = redactor(secretValues('http://alice:pa55word@host:8000', env));

  it('masks URL credentials, secret-looking variables and Authorization headers everywhere', () => {
    const text = 'GET http://alice:pa55word@host:8000/v1 with sk-canary-123456; {"authorization":"Bearer tok-42"}; https://tok@h/x; pa55word alone';
    const out = redact(text);
    for (const secret of ['pa55word', 'sk-canary-123456', 'tok-42', 'alice:', 'tok@']) expect(out).not.toContain(secret);
    expect(out).toContain('http://***@host:8000/v1');
    expect(redact('HOME=/root abc')).toBe('HOME=/root abc');
  });

  it('masks every string inside a result', () => {
    const masked = redactDeep({ a: ['http://alice:pa55word@host'], b: { c: 'sk-canary-123456' }, n: 3 }, redact);
    expect(JSON.stringify(masked)).not.toMatch(/pa55word|sk-canary/);
    expect(masked.n).toBe(3);
  });
});

describe('output paths, checked before anything starts', () => {
  const check = (extra: Record<string, string>) => checkOutputPaths({ artifacts: tempDir('wg-e2e-reliability-'), ...extra });

  it('refuses /proc and /sys in one line, without hanging', async () => {
    const started = performance.now();
    await expect(check({ artifacts: '/proc/wg-tui-e2e' })).rejects.toThrow(/--artifacts \/proc\/wg-tui-e2e: not a place for files/);
    await expect(check({ json: '/sys/run.json' })).rejects.toThrow(OptionError);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('refuses a file in the way, a folder given as --json, and a missing folder for --junit', async () => {
    const dir = tempDir('wg-e2e-reliability-');
    writeFileSync(join(dir, 'file'), 'x');
    await expect(check({ artifacts: join(dir, 'file', 'sub') })).rejects.toThrow(/cannot write there \(a file is in the way\)/);
    await expect(check({ json: dir })).rejects.toThrow(/it is a folder; name a file/);
    await expect(check({ junit: join(dir, 'missing', 'j.xml') })).rejects.toThrow(/--junit .*cannot write there/);
    await expect(check({ json: join(dir, 'run.json') })).resolves.toBeUndefined();
  });
});

describe('the rerun line', () => {
  it('keeps every budget and size the run had, and never a credential', () => {
    const options = normalizeRunOptions(
      { scenario: ['nex-local'], 'reply-timeout': '120', 'first-reply-timeout': '45', size: '120x40', 'type-delay': '0', deadline: '600', keep: true },
      {},
    );
    const line = rerunCommand(options, '/bin/wg');
    for (const part of ['--reply-timeout 120', '--first-reply-timeout 45', '--size 120x40', '--type-delay 0', '--deadline 600', '--keep'])
      expect(line).toContain(part);
    expect(rerunCommand(normalizeRunOptions({ scenario: ['nex-local'] }, {}))).not.toMatch(/timeout|--size|--type-delay/);
  });
});

describe('a stopped run still writes every report', () => {
  it('leaves a valid run.json and rerun.sh when stopped before wg is even found', async () => {
    const { runSmoke } = await import('../../src/smoke/run.js');
    const artifacts = tempDir('wg-e2e-reliability-');
    const stop = new RunStop({ write: () => undefined });
    stop.deliver('SIGINT');
    const options = normalizeRunOptions({ scenario: ['nex-local'], wg: process.execPath, artifacts }, {});
    const run = await runSmoke(options, {}, { stop });
    expect(run.interrupted).toEqual({ signal: 'SIGINT', exitCode: 130 });
    const written = JSON.parse(readFileSync(join(artifacts, 'run.json'), 'utf8')) as RunResult;
    expect(written.interrupted?.exitCode).toBe(130);
    // The rerun tests the same wg even though it was never probed, and runs from a fresh `npm ci`.
    expect(run.rerunCommand).toContain(`--wg ${process.execPath}`);
    const script = readFileSync(join(artifacts, 'rerun.sh'), 'utf8');
    expect(script).toMatch(/^#!\/bin\/sh\n\S+node \S+\/bin\/wg-tui-e2e\.js run /);
    expect(statSync(join(artifacts, 'rerun.sh')).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(artifacts, 'lines.txt'), 'utf8')).toMatch(/passed, \d+ failed, \d+ skipped\n$/);
  });
});

describe('the command line', () => {
  it('answers `run --help` with the usage, exit 0', async () => {
    const { main } = await import('../../src/cli.js');
    const { value, text } = await captured(process.stdout, () => main(['run', '--help']));
    expect(value).toBe(0);
    expect(text).toContain('run options:');
  });

  it('refuses a --faults file it cannot read before anything starts (exit 3, one line)', async () => {
    const { main } = await import('../../src/cli.js');
    const { value, text } = await captured(process.stderr, () =>
      main(['run', '--scenario', 'nex-local', '--faults', '/nonexistent/faults.yaml', '--artifacts', tempDir('wg-e2e-reliability-')]),
    );
    expect(value).toBe(3);
    expect(text).toMatch(/^wg-tui-e2e: --faults \/nonexistent\/faults\.yaml: cannot read \(ENOENT\)\n$/);
  });
});
