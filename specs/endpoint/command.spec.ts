// The standalone command, spawned for real and in-process.
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { runEndpointCommand } from '../../src/endpoint/index.js';
import { builtinCorpus } from '../../src/endpoint/corpus.js';
import { assertWellFormedStream, chatBody, post } from './helpers.js';

describe('wg-tui-e2e endpoint', () => {
  it('prints its URL first, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/endpoint/command-main.ts', '--flavor', 'vllm', '--model', 'qwen3-coder', '--model', 'other', '--chunk-delay', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(firstLine).toMatch(/^endpoint listening on http:\/\/127\.0\.0\.1:\d+\/v1 \(flavor vllm, models qwen3-coder, other\)$/);
      const url = /(http:\S+)/.exec(firstLine)![1]!;
      // The command's default: a corpus reply (a message asking for code gets the code sample).
      const res = await post(`${url}/chat/completions`, chatBody('other', ['show me some python code']));
      const reply = assertWellFormedStream(res.text).reply;
      expect(reply).toBe(builtinCorpus().replyFor([{ role: 'user', content: 'show me some python code' }]));
      expect(reply).toContain('```python');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('streams at the pace asked for, one token per chunk, and echoes with --replies echo', async () => {
    const stdout = new PassThrough();
    const stop = new AbortController();
    const running = runEndpointCommand(['--port', '0', '--replies', 'echo', '--pace', '300:200'], { stdout, stderr: new PassThrough(), signal: stop.signal });
    const line = await new Promise<string>((resolve) => createInterface({ input: stdout }).once('line', resolve));
    const base = /(http:\S+)\/v1/.exec(line)![1]!;
    const started = performance.now();
    const res = await post(`${base}/v1/chat/completions`, chatBody('qwen3-coder', ['a message of several words to stream']));
    const elapsed = performance.now() - started;
    const { reply, chunks } = assertWellFormedStream(res.text);
    expect(reply).toBe('Reply 1 to: a message of several words to stream');
    // Four characters or less of a word per chunk, and never faster than the first-token delay.
    const deltas = chunks.map((c) => (c.choices as { delta?: { content?: string } }[])[0]?.delta?.content ?? '').filter((d) => d.trim() !== '');
    expect(deltas.every((d) => d.trim().length <= 4)).toBe(true);
    expect(deltas.length).toBeGreaterThan(10);
    expect(elapsed).toBeGreaterThanOrEqual(300);
    stop.abort();
    expect(await running).toBe(0);
  });

  it('runs in-process until its signal aborts', async () => {
    const stdout = new PassThrough();
    const stop = new AbortController();
    const running = runEndpointCommand(['--port', '0', '--lenient'], { stdout, stderr: new PassThrough(), signal: stop.signal });
    const line = await new Promise<string>((resolve) => createInterface({ input: stdout }).once('line', resolve));
    expect(line).toMatch(/\(flavor sglang, models qwen3-coder, lenient\)$/);
    const base = /(http:\S+)\/v1/.exec(line)![1]!;
    expect((await post(`${base}/chat/completions`, chatBody('local:qwen3-coder', ['hi']))).status).toBe(200);
    stop.abort();
    expect(await running).toBe(0);
  });

  it('rejects bad values with an OptionError naming the option and value', async () => {
    const cases: [string[], RegExp][] = [
      [['--flavor', 'ollama'], /--flavor "ollama" is not one of/],
      [['--port', 'abc'], /--port "abc" is not an integer/],
      [['--port', '70000'], /--port "70000"/],
      [['--chunk-delay', '-5'], /chunk-delay/],
      [['--host', '0.0.0.0'], /host 0\.0\.0\.0 is not a loopback address/],
      [['--record', 'http://127.0.0.1:1'], /--record and --record-file go together/],
      [['--faults', '/nonexistent/faults.yaml'], /--faults \/nonexistent\/faults.yaml: cannot read/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['--pace', 'fast'], /--pace takes real, instant or TTFT_MS:TOKENS_PER_SEC/],
      [['--replies', 'lorem'], /--replies takes echo or corpus/],
      [['--reply-corpus', '/nonexistent/corpus.yaml'], /--reply-corpus \/nonexistent\/corpus.yaml: cannot read/],
    ];
    for (const [argv, message] of cases) {
      const attempt = runEndpointCommand(argv, { stdout: new PassThrough(), stderr: new PassThrough() });
      await expect(attempt).rejects.toThrow(OptionError);
      await expect(runEndpointCommand(argv, { stdout: new PassThrough() })).rejects.toThrow(message);
    }
  });
});
