import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filesUnder } from '../setup/files.js';

// Data flows one way: cli → smoke → wg → terminal, smoke starts the endpoint, reporters read the
// result model. These are the imports that would break that; each is a failure here.

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const FORBIDDEN: Record<string, readonly string[]> = {
  terminal: ['wg', 'smoke', 'endpoint', 'report', 'cli.ts'],
  endpoint: ['terminal', 'wg', 'smoke', 'report', 'cli.ts'],
  report: ['terminal', 'wg', 'smoke', 'endpoint', 'cli.ts'],
  wg: ['smoke', 'cli.ts'],
  smoke: ['cli.ts'],
};

// The top-level part of src a file or an import target belongs to (`wg`, `terminal`, `cli.ts`, …).
const area = (path: string): string => relative(SRC, path).split('/')[0] ?? '';

describe('import boundaries', () => {
  const imports = filesUnder(SRC, '.ts').flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)].map((m) => ({
      file: relative(SRC, file),
      from: area(file),
      to: area(resolve(dirname(file), m[1] as string)),
    })),
  );

  it('finds the imports it checks', () => {
    expect(imports.length).toBeGreaterThan(100);
    expect(imports.some((i) => i.from === 'smoke' && i.to === 'wg')).toBe(true);
  });

  it('has no import against the flow', () => {
    const wrong = imports.filter((i) => FORBIDDEN[i.from]?.includes(i.to.replace(/\.js$/, '.ts'))).map((i) => `${i.file} imports ${i.to}`);
    expect(wrong).toEqual([]);
  });
});

describe('one exit code for an error', () => {
  it('is the same for the run command, the endpoint command and the report model', async () => {
    const { ERROR_EXIT_CODE } = await import('../../src/errors.js');
    const { EXIT } = await import('../../src/report/model.js');
    expect(EXIT.harness).toBe(ERROR_EXIT_CODE);
  });
});
