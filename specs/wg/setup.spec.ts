import { chmod, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OptionError, SetupError } from '../../src/errors.js';
import { findWg } from '../../src/wg/binary.js';
import { makeWgEnvironment } from '../../src/wg/environment.js';
import { createWorkspace } from '../../src/wg/workspace.js';

// Every folder a case makes is removed after it.
const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
const temp = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wg-setup-spec-'));
  made.push(dir);
  return dir;
};

async function fakeWg(dir: string, script: string): Promise<string> {
  const file = join(dir, 'wg');
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
  return file;
}

describe('finding wg', () => {
  it('says what it tried when there is no wg', async () => {
    const err = await findWg({ env: { PATH: await temp() } }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(SetupError);
    expect((err as Error).message).toMatch(/wg not found: tried --wg \(unset\), WG_BIN \(unset\), PATH/);
  });

  it('never falls through to PATH when --wg or WG_BIN names something unusable', async () => {
    const dir = await temp();
    await fakeWg(dir, 'echo "wg 0.1.0"');
    await expect(findWg({ flag: join(dir, 'nope'), env: { PATH: dir } })).rejects.toThrow(/--wg=.*nope is not an executable file/);
    await expect(findWg({ env: { WG_BIN: '/nonexistent/wg', PATH: dir } })).rejects.toThrow(/WG_BIN=\/nonexistent\/wg is not an executable file/);
  });

  it('reports a wg that does not run, and identifies one that does by its hash', async () => {
    const dir = await temp();
    const bad = await fakeWg(dir, 'echo boom >&2; exit 3');
    await expect(findWg({ flag: bad, env: { PATH: dir } })).rejects.toThrow(/`wg --version` exited 3: boom/);
    const good = await fakeWg(await temp(), 'echo "wg 0.1.0"');
    const found = await findWg({ env: { WG_BIN: good, PATH: '' } });
    expect(found).toMatchObject({ source: 'WG_BIN', version: 'wg 0.1.0' });
    expect(found.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('workspace and environment', () => {
  it('refuses a workdir that is not empty unless told to reuse it', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'keep.txt'), 'mine');
    await expect(createWorkspace({ workdir: dir })).rejects.toThrow(OptionError);
    await expect(createWorkspace({ workdir: dir, reuse: true })).resolves.toMatchObject({ projectDir: dir, created: false });
    const fresh = join(dir, 'new');
    await expect(createWorkspace({ workdir: fresh })).resolves.toMatchObject({ projectDir: fresh, created: true });
  });

  it('never passes on a stub switch, and isolates homes only when asked', async () => {
    const runDir = await temp();
    await mkdir(runDir, { recursive: true });
    const base = { PATH: '/usr/bin', HOME: '/home/me', WG_FAKE_LLM: '/tmp/canned', OPENAI_API_KEY: 'k', TMUX: '/tmp/t,1,0' };
    const plain = await makeWgEnvironment({ wgPath: '/bin/true', runDir, isolate: false, base });
    expect(plain.env.WG_FAKE_LLM).toBeUndefined();
    expect(plain.env.TMUX).toBeUndefined();
    expect(plain.env.HOME).toBe('/home/me');
    expect(plain.env.OPENAI_API_KEY).toBe('k');
    expect(plain.env.PATH?.startsWith(join(runDir, 'bin'))).toBe(true);
    const isolated = await makeWgEnvironment({ wgPath: '/bin/true', runDir: await temp(), isolate: true, base });
    expect(isolated.env.HOME).not.toBe('/home/me');
    expect(isolated.env.OPENAI_API_KEY).toBeUndefined();
    expect(isolated.env.TMUX_TMPDIR).toBe(isolated.tmuxTmpdir);
  });
});
