import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEndpoint } from '../../src/endpoint/index.js';
import { createConsoleReporter } from '../../src/report/console.js';
import { normalizeRunOptions } from '../../src/smoke/options.js';
import { runSmoke } from '../../src/smoke/run.js';
import { whichOnPath } from '../../src/wg/binary.js';
import { filesUnder } from '../setup/files.js';
import { tempDir } from '../setup/temp.js';

// Canary secrets planted where a user's would be (the endpoint URL's credentials, an API key in
// the environment) must appear in no console line and no artifact. On real wg when one is there
// (the whole chat runs through the credentialed URL); without one, the run still prints its
// lines and writes its reports, and those are checked.

const wg = process.env.WG_BIN || (await whichOnPath('wg'));
const CANARY_PASSWORD = 'canary-pw-7f3a9c';
const CANARY_KEY = 'canary-key-51e0b2d8';

describe('no secret in any output', () => {
  it(`masks URL credentials and API keys in console lines and artifacts${wg ? '' : ' (REAL WG SPECS SKIPPED for the chat part — no wg binary)'}`, async () => {
    const endpoint = await startEndpoint({});
    const artifacts = tempDir('wg-e2e-secrets-');
    const url = `http://tester:${CANARY_PASSWORD}@127.0.0.1:${endpoint.port}`;
    process.env.CANARY_API_KEY = CANARY_KEY;
    const console: string[] = [];
    try {
      const options = normalizeRunOptions(
        { scenario: ['nex-live'], wg: wg ?? process.execPath, endpoint: url, isolate: true, artifacts, message: ['hi'], json: join(artifacts, 'out.json') },
        {},
      );
      const run = await runSmoke(options, createConsoleReporter({ write: (t) => void console.push(t), color: false }));
      if (wg) expect(run.scenarios[0]?.messages[0]?.verdict, console.join('')).toBe('replied');
    } finally {
      delete process.env.CANARY_API_KEY;
      await endpoint.close();
    }
    const outputs = [{ file: 'console', text: console.join('') }, ...filesUnder(artifacts).map((file) => ({ file, text: readFileSync(file, 'latin1') }))];
    expect(outputs.length).toBeGreaterThan(4);
    const leaks = outputs.filter(({ text }) => text.includes(CANARY_PASSWORD) || text.includes(CANARY_KEY)).map((o) => o.file);
    expect(leaks).toEqual([]);
    expect(console.join('')).toContain('http://***@127.0.0.1');
  }, 240_000);
});
