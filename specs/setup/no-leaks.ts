import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { descendants, listening } from './leaks.js';

// Every spec file runs with a temp folder of its own and must leave nothing behind: no process it
// started (directly or below), no listening socket, nothing in its temp folder (tmux sockets,
// projects, evidence). One shared check for every file, not a habit of each spec. Files run in
// separate forks (vitest.config.ts), so TMPDIR here is this file's alone.

const root = mkdtempSync(join(tmpdir(), 'wg-e2e-spec-'));
process.env.TMPDIR = root;

let portsBefore = new Set<string>();
beforeAll(() => {
  portsBefore = listening();
});

afterAll(async () => {
  // Disposal is asynchronous: give what is ending a moment.
  let procs = descendants();
  for (let i = 0; i < 40 && procs.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    procs = descendants();
  }
  const ports = [...listening()].filter((p) => !portsBefore.has(p));
  // (tsx and Pi's jiti loader keep their compile caches in TMPDIR: the tools', not a spec's.)
  const files = readdirSync(root).filter((f) => !/^(tsx-\d+|jiti)$/.test(f));
  rmSync(root, { recursive: true, force: true });
  for (const p of procs) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const leaks = [
    ...procs.map((p) => `process ${p.pid} ${p.cmd.slice(0, 120)}`),
    ...ports.map((p) => `listening socket ${p}`),
    ...files.map((f) => `temp entry ${f}`),
  ];
  if (leaks.length > 0) throw new Error(`this spec file left behind: ${leaks.join('; ')}`);
});
