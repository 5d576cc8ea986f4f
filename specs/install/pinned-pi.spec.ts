import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PI_VERSION, pinnedPi, readPinnedPi } from '../../src/install/pinned-pi.js';
import { tempDir } from '../setup/temp.js';

// The Pi version a wg build pins, read from the build as `wg doctor`'s Pi check carries it
// (`…output-guard.jspi0.80.6Pi output guard…` in wg 2b52e303's binary).

const CHUNK = 64 * 1024; // fs.createReadStream's default chunk

function fakeBuild(dir: string, name: string, text: string | undefined, at = 3 * CHUNK): string {
  const noise = randomBytes(5 * CHUNK).map((b) => (b >= 0x30 && b <= 0x39 ? 0x20 : b)); // no stray digits next to the anchor
  const file = join(dir, name);
  writeFileSync(file, text === undefined ? noise : Buffer.concat([noise.subarray(0, at), Buffer.from(text, 'latin1'), noise.subarray(at)]));
  return file;
}

describe('the Pi version a wg build pins', () => {
  it("is read off the build's Pi check, also when it spans two chunks of the read", async () => {
    const dir = tempDir('wg-e2e-pin-');
    const text = 'found output-guard.jspi0.81.2Pi output guardRun `pi update --self`';
    expect(await readPinnedPi(fakeBuild(dir, 'wg-a', text))).toBe('0.81.2');
    // The anchor cut by a chunk boundary, then the version cut by one.
    expect(await readPinnedPi(fakeBuild(dir, 'wg-b', text, 2 * CHUNK - text.indexOf('Pi output') - 4))).toBe('0.81.2');
    expect(await readPinnedPi(fakeBuild(dir, 'wg-c', text, 2 * CHUNK - text.indexOf('0.81') - 2))).toBe('0.81.2');
    expect(await pinnedPi(join(dir, 'wg-a'))).toEqual({ version: '0.81.2', source: `pinned by wg ${join(dir, 'wg-a')}` });
  });

  it('is the default where a build pins none (June and older), or there is no wg', async () => {
    const dir = tempDir('wg-e2e-pin-');
    const june = fakeBuild(dir, 'wg-june', undefined);
    expect(await readPinnedPi(june)).toBeUndefined();
    expect(await pinnedPi(june)).toEqual({ version: DEFAULT_PI_VERSION, source: `the default (wg ${june} pins no Pi version)` });
    expect((await pinnedPi(undefined)).version).toBe(DEFAULT_PI_VERSION);
  });
});
