import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { normalizeRunOptions } from '../../src/smoke/options.js';
import { recordingIn, redactUrl } from '../../src/smoke/targets.js';
import { tempDir } from '../setup/temp.js';

// --replay-from takes what a user has at hand after a live failure: the record file, or the run's
// artifacts folder. Anything it cannot use is said in one line.

describe('--replay-from', () => {
  it('finds the recording in a run folder, two levels down, or takes the file itself', async () => {
    const run = tempDir('replay-from-');
    const file = join(run, 'nex-live', 'endpoint-recording.ndjson');
    mkdirSync(join(run, 'nex-live'));
    writeFileSync(file, '');
    expect(await recordingIn(run)).toBe(file);
    expect(await recordingIn(join(run, 'nex-live'))).toBe(file);
    expect(await recordingIn(file)).toBe(file);
  });

  it('says when there is none, or more than one, or no such path', async () => {
    const run = tempDir('replay-from-');
    await expect(recordingIn(run)).rejects.toThrow(/no endpoint-recording\.ndjson in it or two levels below/);
    for (const d of ['a', 'b']) {
      mkdirSync(join(run, d));
      writeFileSync(join(run, d, 'endpoint-recording.ndjson'), '');
    }
    await expect(recordingIn(run)).rejects.toThrow(/2 recordings found .*; name one/);
    await expect(recordingIn(join(run, 'nope'))).rejects.toThrow(OptionError);
  });

  it('does not go with options that change the answers', () => {
    expect(() => normalizeRunOptions({ 'replay-from': 'x', faults: 'f.yml' }, {})).toThrow(/--replay-from answers as the recording did/);
    expect(normalizeRunOptions({ 'replay-from': 'x' }, {}).replayFrom).toBe('x');
  });

  it('shows an endpoint with credentials masked', () => {
    expect(redactUrl('https://user:secret@h:30000/v1')).toBe('https://***@h:30000/v1');
    expect(redactUrl('http://127.0.0.1:8088')).toBe('http://127.0.0.1:8088');
  });
});
