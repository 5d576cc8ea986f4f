import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `npm ci` must pass on a fresh machine where node-pty cannot compile (no Node headers offline):
// node-pty is optional and the prebuilt @lydell/node-pty is always there. This proves the fallback
// itself works on this machine, whichever backend the engine picked.
describe('pty fallback', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

  it('keeps node-pty optional and the prebuilt fork required', () => {
    expect(pkg.optionalDependencies['node-pty']).toBeDefined();
    expect(pkg.dependencies['node-pty']).toBeUndefined();
    expect(pkg.dependencies['@lydell/node-pty']).toBeDefined();
  });

  it('runs a program in a real pty through the prebuilt fork', async () => {
    const { spawn } = await import('@lydell/node-pty');
    const pty = spawn('/bin/sh', ['-c', 'printf "fallback %s" "$((6*7))"'], { cols: 80, rows: 24 });
    let out = '';
    pty.onData((d) => (out += d));
    const code = await new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
    expect(code).toBe(0);
    expect(out).toContain('fallback 42');
  });
});
