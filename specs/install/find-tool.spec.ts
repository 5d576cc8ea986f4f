import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTool, installHint } from '../../src/install/find-tool.js';
import { tempDir } from '../setup/temp.js';

// Where a run finds Pi and claude: the flag, the variable, PATH, then the install cache (for Pi
// the version the wg under test pins first, else the one installed last).

function tool(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n', { mode: 0o755 });
  return path;
}

describe('finding Pi and claude', () => {
  it('takes the flag, then the variable, then PATH, then the cache', async () => {
    const dir = tempDir('wg-e2e-find-');
    const cache = join(dir, 'cache');
    const onPath = tool(join(dir, 'path', 'claude'));
    tool(join(cache, 'claude', '2.1.332', 'bin', 'claude'));
    mkdirSync(join(cache, 'bin'));
    symlinkSync('../claude/2.1.332/bin/claude', join(cache, 'bin', 'claude'));
    const env = { WG_E2E_CACHE: cache, PATH: join(dir, 'path'), CLAUDE_BIN: '/env/claude' };
    expect(await findTool('claude', { flag: '/flag/claude', env })).toEqual({ path: '/flag/claude', source: '--claude' });
    expect(await findTool('claude', { env })).toEqual({ path: '/env/claude', source: 'CLAUDE_BIN' });
    expect(await findTool('claude', { env: { ...env, CLAUDE_BIN: '' } })).toEqual({ path: onPath, source: 'PATH' });
    const fromCache = await findTool('claude', { env: { ...env, CLAUDE_BIN: '', PATH: '/nowhere' } });
    expect(fromCache?.path).toBe(join(cache, 'bin', 'claude'));
    expect(fromCache?.source).toMatch(/^the install cache/);
    expect(await findTool('claude', { env: { WG_E2E_CACHE: join(dir, 'empty'), PATH: '/nowhere' } })).toBeUndefined();
  });

  it('prefers the Pi version the wg under test pins over the one installed last', async () => {
    const dir = tempDir('wg-e2e-find-');
    const cache = join(dir, 'cache');
    const pinned = tool(join(cache, 'pi', '0.81.2', 'bin', 'pi'));
    tool(join(cache, 'pi', '0.79.10', 'bin', 'pi'));
    mkdirSync(join(cache, 'bin'));
    symlinkSync('../pi/0.79.10/bin/pi', join(cache, 'bin', 'pi'));
    const wg = join(dir, 'wg');
    writeFileSync(wg, 'xx output-guard.jspi0.81.2Pi output guard xx');
    const env = { WG_E2E_CACHE: cache, PATH: '/nowhere' };
    expect(await findTool('pi', { env, wgPath: wg })).toEqual({ path: pinned, source: `the install cache (Pi 0.81.2, pinned by wg ${wg})` });
    // A build that pins none, and the default (0.80.6) not installed: the one installed last.
    writeFileSync(wg, 'a June build');
    expect((await findTool('pi', { env, wgPath: wg }))?.path).toBe(join(cache, 'bin', 'pi'));
  });

  it('names the exact install command', () => {
    expect(installHint('pi', '/opt/my wg')).toBe("npx wg-tui-e2e install pi --wg '/opt/my wg'");
    expect(installHint('claude')).toBe('npx wg-tui-e2e install claude');
  });
});
