import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

// Guards the fixed choices: these majors are the last that run on Node 20.
describe('package pins', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  it('pins execa 9.6 and vitest 4.1', () => {
    expect(pkg.dependencies.execa).toMatch(/^~9\.6\./);
    expect(pkg.devDependencies.vitest).toMatch(/^~4\.1\./);
  });
});
