import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TextArtifacts } from '../../src/smoke/artifacts.js';
import { redactor } from '../../src/smoke/secrets.js';

// Two runs in one process (the library, a matrix) each mask their own secrets: no run's redaction
// leaks into, or is lost by, another's files.
describe("a run's text evidence", () => {
  it('masks its own secrets, and only its own, with two runs writing at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wg-tui-e2e-artifacts-'));
    try {
      const a = new TextArtifacts(redactor(['sk-alpha-0123456789']));
      const b = new TextArtifacts(redactor(['sk-bravo-0123456789']));
      const both = 'keys sk-alpha-0123456789 and sk-bravo-0123456789';
      await Promise.all([a.writeText(dir, 'a.txt', both), b.writeText(dir, 'b.txt', both)]);
      const [ta, tb] = await Promise.all([readFile(join(dir, 'a.txt'), 'utf8'), readFile(join(dir, 'b.txt'), 'utf8')]);
      expect(ta).not.toContain('sk-alpha-0123456789');
      expect(ta).toContain('sk-bravo-0123456789');
      expect(tb).not.toContain('sk-bravo-0123456789');
      expect(tb).toContain('sk-alpha-0123456789');
      expect(a.redactEnv({ OPENAI_API_KEY: 'x', NOTE: 'sk-alpha-0123456789' })).toEqual({
        NOTE: expect.not.stringContaining('sk-alpha'),
        OPENAI_API_KEY: '***redacted***',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
