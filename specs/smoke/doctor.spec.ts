import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDoctor, runDoctor } from '../../src/smoke/doctor.js';
import { tempDir } from '../setup/temp.js';

// `wg-tui-e2e doctor` on a machine stripped to nothing (an empty PATH), and its exit rule.

describe('doctor', () => {
  it('says what is missing and how to get it, and exits 3 when wg is missing', async () => {
    const checks = await runDoctor({}, { PATH: '', WG_E2E_CACHE: tempDir('wg-e2e-doctor-') });
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName.pty?.ok).toBe(true);
    expect(byName.wg).toMatchObject({ ok: false, required: true });
    expect(byName.wg?.detail).toMatch(/wg not found/);
    expect(byName.tmux).toMatchObject({ ok: false });
    expect(byName.tmux?.detail).toContain('apt-get install tmux');
    expect(byName.claude?.detail).toBe('missing — npx wg-tui-e2e install claude for claude-local (the scenario skips loudly without it)');
    expect(byName.pi?.detail).toMatch(/^missing — npx wg-tui-e2e install pi \(Pi 0\.80\.6, the default \(no wg given or found\), on Node 22\.\d+\.\d+\)$/);
    expect(byName.node?.ok).toBe(false);
    const { lines, exitCode } = formatDoctor(checks);
    expect(exitCode).toBe(3);
    expect(lines.at(-1)).toBe('the default scenarios cannot run: wg missing');
    expect(lines.find((l) => l.startsWith('MISSING wg'))).toBeDefined();
  });

  it('finds Pi and claude in the install cache, and proves Pi starts', async () => {
    const cache = tempDir('wg-e2e-doctor-');
    for (const [tool, says] of [
      ['pi', '0.80.6'],
      ['claude', '2.1.332 (Claude Code)'],
    ]) {
      mkdirSync(join(cache, 'bin'), { recursive: true });
      writeFileSync(join(cache, 'bin', tool as string), `#!/bin/sh\necho '${says}'\n`, { mode: 0o755 });
    }
    const checks = await runDoctor({}, { PATH: '', WG_E2E_CACHE: cache });
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName.pi).toMatchObject({ ok: true, detail: `${join(cache, 'bin', 'pi')} (0.80.6, from the install cache (the version installed last))` });
    expect(byName.node).toMatchObject({ ok: true });
    expect(byName.claude?.detail).toMatch(/\(2\.1\.332 \(Claude Code\), from the install cache .*\); claude-local can run$/);
  });

  it('exits 0 when only optional things are absent', () => {
    const { exitCode, lines } = formatDoctor([
      { name: 'wg', ok: true, detail: '/usr/bin/wg', required: true },
      { name: 'claude', ok: false, detail: 'missing', required: false },
    ]);
    expect(exitCode).toBe(0);
    expect(lines).toEqual(['OK      wg      /usr/bin/wg', 'absent  claude  missing', 'the default scenarios can run']);
  });
});
