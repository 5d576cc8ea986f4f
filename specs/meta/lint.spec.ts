import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { filesUnder } from '../setup/files.js';

// The habits, enforced where every change is tested: ESLint (typescript-eslint's type-checked
// recommendations, eslint.config.js) and Prettier (.prettierrc.json, width 160) over the sources,
// specs and benches. `npm run lint` is the same check from the command line; `npm run format` fixes
// the formatting.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('lint', () => {
  it('ESLint finds nothing', async () => {
    const results = await new ESLint({ cwd: ROOT }).lintFiles(['src', 'specs', 'bench']);
    const problems = results.flatMap((r) => r.messages.map((m) => `${relative(ROOT, r.filePath)}:${m.line}:${m.column} ${m.ruleId ?? 'parse'} ${m.message}`));
    expect(results.length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  }, 180_000);

  it('every file is formatted as Prettier formats it', async () => {
    const files = ['src', 'specs', 'bench', 'bin'].flatMap((dir) => filesUnder(join(ROOT, dir), '')).filter((f) => /\.(ts|mjs|js)$/.test(f));
    const unformatted: string[] = [];
    for (const file of files) {
      const info = await prettier.getFileInfo(file, { ignorePath: join(ROOT, '.prettierignore') });
      if (info.ignored || !info.inferredParser) continue;
      const options = { ...(await prettier.resolveConfig(file)), filepath: file };
      if (!(await prettier.check(readFileSync(file, 'utf8'), options))) unformatted.push(relative(ROOT, file));
    }
    expect(files.length).toBeGreaterThan(100);
    expect(unformatted, 'run npm run format').toEqual([]);
  }, 120_000);
});
