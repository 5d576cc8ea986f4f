import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filesUnder } from '../setup/files.js';

// No wait anywhere without a time limit. Screen waits take a finite timeout by construction
// (waitOn refuses Infinity); child processes need `timeout:`; every hand-made promise is one of the
// reviewed ones below, each bounded by a timer, a kill, or a stream that always ends. A new one
// fails this spec until it is looked at and listed with the reason it ends.

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

const REVIEWED: Record<string, string> = {
  'terminal/session.ts:this.exited = new Promise<ExitInfo>': 'the pty exit; dispose kills the group (SIGKILL after the grace)',
  'terminal/session.ts:await new Promise((r) => setTimeout(r, delayMs))': 'a timer',
  'terminal/session.ts:new Promise<void>((r) => (this._raw': 'closing a file stream',
  'terminal/emulator.ts:new Promise((resolve) => (this._disposed': "xterm's parser drains what it was given",
  'terminal/replay.ts:await new Promise<void>((resolve) => emulator.write(encoder': "xterm's parser drains what it was given",
  'terminal/replay.ts:await new Promise<void>((resolve) => emulator.write(bytes': "xterm's parser drains what it was given",
  'terminal/wait.ts:return new Promise<T>((resolve, reject)': 'waitOn: a finite timeout is required',
  'terminal/evidence/asciicast.ts:this._closed ??= new Promise(': 'closing a file stream',
  'wg/poll.ts:await new Promise((r) => setTimeout(r, delay))': 'a timer inside pollUntil, which has a deadline',
  'wg/binary.ts:return new Promise((done, fail)': 'a PATH lookup (access calls)',
  'install/pinned-pi.ts:return new Promise((resolve, reject)': 'reading a file: the stream ends, errors, or is destroyed once the anchor is found',
  'smoke/reply-oracle.ts:await new Promise<void>((resolve)': 'settle(timeoutMs): a timer',
  'smoke/paths.ts:const timeout = new Promise<never>': 'the time limit itself',
  'smoke/targets.ts:return new Promise<ServerProbe>((resolve)': 'the /v1/models probe, with its socket timeout',
  'endpoint/body.ts:return new Promise<BodyResult>((resolve)': 'a request body, with the server’s body timeout',
  'endpoint/command.ts:await new Promise<void>((resolve)': 'the standalone endpoint: runs until a signal, by design',
  'endpoint/server.ts:await new Promise<void>((resolve, reject)': 'listen(): resolves or errors',
  'endpoint/server.ts:const stopped = new Promise<void>((resolve) => server.close(': 'after closeAllConnections',
  'endpoint/proxy.ts:new Promise<http.IncomingMessage>((resolve, reject)':
    "the upstream request: its answer, its error, or the exchange's abort (close aborts all); no timer of its own, as a server may read a long prompt for minutes",
  'endpoint/record-replay.ts:await new Promise((resolve) => setImmediate(resolve))': 'one turn of the event loop',
  'endpoint/exchange.ts:return new Promise<boolean>((resolve)': 'sleep/flush: a timer or the exchange’s abort (close aborts all)',
};

describe('bounded waits', () => {
  const sources = filesUnder(SRC, '.ts').map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));

  it('gives every child process a time limit', () => {
    const unbounded = sources.flatMap(({ path, text }) =>
      [...text.matchAll(/execa\(([^;]*?)\)\s*;/gs)]
        .filter((m) => !/timeout(Ms)?:/.test(m[1] ?? '') && !/timeout:/.test(text.slice(m.index, (m.index ?? 0) + 800)))
        .map(() => path),
    );
    expect(unbounded).toEqual([]);
  });

  it('has no hand-made promise that was not reviewed', () => {
    const sites = sources.flatMap(({ path, text }) => text.split('\n').flatMap((line) => (line.includes('new Promise') ? [{ path, line: line.trim() }] : [])));
    const unreviewed = sites.filter(
      ({ path, line }) => !Object.keys(REVIEWED).some((key) => key.startsWith(`${path}:`) && line.includes(key.slice(path.length + 1))),
    );
    expect(unreviewed).toEqual([]);
    expect(sites.length).toBeGreaterThan(10);
  });
});
