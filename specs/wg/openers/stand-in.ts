import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeRunOptions, runSmoke, type RunResult } from '../../../src/index.js';
import { formatRunLines } from '../../../src/report/lines.js';
import { exitCodeFor } from '../../../src/report/model.js';
import type { RawRunOptions } from '../../../src/smoke/options.js';
import { tempDir } from '../../setup/temp.js';

// The harness's real smoke, through its public API, against the wg stand-in
// (specs/fixtures/wg-stand-in/): one profile (a recorded build and the story of one run on it), a
// wrapper `wg` that carries the profile and the call log in its command line (the harness gives wg
// an isolated environment), and wrappers for `claude` and `pi` that stand for them (the fake TUI
// runs `claude` from PATH as wg does; Pi's pane is the fixture's).

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const STAND_IN = join(FIXTURES, 'wg-stand-in', 'stand-in.mjs');
const FAKE_CHAT = join(FIXTURES, 'fake-chat-tui.mjs');

export interface StandInRun {
  run: RunResult;
  /** The run's artifacts folder. */
  artifacts: string;
  /** The run's report lines (PASS/FAIL/SKIP, FINDING, the summary), as the command line prints them. */
  lines: string[];
  /** Each wg call the harness made, in order (help and version probes left out). */
  calls: string[];
  exitCode: number;
}

async function script(file: string, body: string): Promise<string> {
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The stand-in profile: a base's name, or a variant of one (`{ extends: 'nex-tmux', tui: {…} }`). */
export type Profile = string | ({ extends: string } & Record<string, unknown>);

/** Runs the smoke on the stand-in playing `profile`, with `raw` options (one message, instant pace, isolated, by default). */
export async function runOnStandIn(profile: Profile, raw: RawRunOptions, machine: { pi?: boolean } = {}): Promise<StandInRun> {
  const dir = tempDir('wg-stand-in-');
  const profileFile = join(dir, 'profile.json');
  const log = join(dir, 'calls.ndjson');
  const artifacts = join(dir, 'artifacts');
  await writeFile(profileFile, JSON.stringify(typeof profile === 'string' ? { extends: profile } : profile));
  await writeFile(log, '');
  const node = quote(process.execPath);
  const wg = await script(join(dir, 'wg'), `exec ${node} ${quote(STAND_IN)} --profile ${quote(profileFile)} --log ${quote(log)} "$@"`);
  const claude = await script(join(dir, 'claude'), `exec ${node} ${quote(FAKE_CHAT)} --style claude --api anthropic "$@"`);
  // `pi` must be on wg's PATH for a Pi chat (the harness checks, as wg needs it); the fake TUI draws Pi's pane itself.
  const bin = join(dir, 'bin');
  await import('node:fs/promises').then((fs) => fs.mkdir(bin));
  await script(join(bin, 'pi'), `exec ${node} ${quote(FAKE_CHAT)} --style pi "$@"`);
  // The machine the run sees: this `pi` or none, never one of the user's (PATH, PI_BIN, the install cache).
  const saved = { PATH: process.env.PATH, PI_BIN: process.env.PI_BIN, WG_E2E_CACHE: process.env.WG_E2E_CACHE };
  const userPath = (saved.PATH ?? '').split(delimiter).filter((d) => d && !existsSync(join(d, 'pi')));
  process.env.PATH = [...(machine.pi !== false ? [bin] : []), ...userPath].join(delimiter);
  process.env.WG_E2E_CACHE = join(dir, 'cache');
  delete process.env.PI_BIN;
  try {
    const options = normalizeRunOptions({ wg, isolate: true, artifacts, pace: 'instant', message: ['hi'], 'type-delay': '0', claude, ...raw }, {});
    const run = await runSmoke(options, {}, {});
    const calls = (await readFile(log, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { argv: string[] }).argv)
      .filter((argv) => !argv.includes('--help') && !argv.includes('--help-all') && !argv.includes('--version'))
      // Paths in the run's artifacts (`wg tui --trace`) relative to them: `tui --trace nex-local/wg-trace.jsonl`.
      .map((argv) => argv.map((a) => (a.startsWith(`${artifacts}/`) ? a.slice(artifacts.length + 1) : a)).join(' '));
    return { run, artifacts, lines: formatRunLines(run), calls, exitCode: exitCodeFor(run) };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** The run's lines that start with `prefix` (`FINDING`, `PASS`, …). */
export const linesOf = (r: StandInRun, prefix: string): string[] => r.lines.filter((l) => l.startsWith(prefix));
