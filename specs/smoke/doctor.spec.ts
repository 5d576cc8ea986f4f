import { describe, expect, it } from 'vitest';
import { formatDoctor, runDoctor } from '../../src/smoke/doctor.js';

// `wg-tui-e2e doctor` on a machine stripped to nothing (an empty PATH), and its exit rule.

describe('doctor', () => {
  it('says what is missing and how to get it, and exits 3 when wg is missing', async () => {
    const checks = await runDoctor({}, { PATH: '' });
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName.pty?.ok).toBe(true);
    expect(byName.wg).toMatchObject({ ok: false, required: true });
    expect(byName.wg?.detail).toMatch(/wg not found/);
    expect(byName.tmux).toMatchObject({ ok: false });
    expect(byName.tmux?.detail).toContain('apt-get install tmux');
    expect(byName.claude?.detail).toContain('npm install @anthropic-ai/claude-code');
    const { lines, exitCode } = formatDoctor(checks);
    expect(exitCode).toBe(3);
    expect(lines.at(-1)).toBe('the default scenarios cannot run: wg missing');
    expect(lines.find((l) => l.startsWith('MISSING wg'))).toBeDefined();
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
