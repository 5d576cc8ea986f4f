import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

// The Pi version a wg build pins. wg installs its patched Pi with `make install-patched-pi`
// (scripts/install-patched-pi.sh, `PI_VERSION=0.80.6`, since 2026-07-14) and its `wg doctor` checks
// the installed Pi against that same version in its "Pi output guard" check; the build carries the
// version there, as the string right before the check's name (`…output-guard.jspi0.80.6Pi output
// guard…`). The source tree is not at hand for a binary, so the binary is read. Builds before the
// pin (June and older) carry none: the caller uses the README's default.

/** Pi's version where a build pins none (the README's). */
export const DEFAULT_PI_VERSION = '0.80.6';

const ANCHOR = Buffer.from('Pi output guard', 'latin1');
const BEFORE = 40;
const VERSION_BEFORE_ANCHOR = /(\d+\.\d+\.\d+)$/;

export interface PinnedPi {
  version: string;
  /** Where the version came from, for the lines: `pinned by wg …` or the default's reason. */
  source: string;
}

const memo = new Map<string, Promise<string | undefined>>();

/** The version the build at `wgPath` pins, or undefined when it names none. Reads the file once per path, size and time. */
export async function readPinnedPi(wgPath: string): Promise<string | undefined> {
  const info = await stat(wgPath);
  const key = `${wgPath}\0${info.size}\0${info.mtimeMs}`;
  let found = memo.get(key);
  if (!found) memo.set(key, (found = scan(wgPath)));
  return found;
}

// Streams the binary (wg's debug builds are over 500 MB) and stops at the first anchor; a tail of
// each chunk is kept so an anchor split across two chunks is still seen.
function scan(file: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let carry = Buffer.alloc(0);
    const stream = createReadStream(file);
    stream.on('data', (chunk) => {
      const buffer = Buffer.concat([carry, typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk]);
      const at = buffer.indexOf(ANCHOR);
      if (at >= 0) {
        const match = VERSION_BEFORE_ANCHOR.exec(buffer.subarray(Math.max(0, at - BEFORE), at).toString('latin1'));
        stream.destroy();
        resolve(match?.[1]);
        return;
      }
      carry = buffer.subarray(Math.max(0, buffer.length - ANCHOR.length - BEFORE));
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(undefined));
  });
}

/** The version to install or look for: the build's pin, else the default, with where it came from. */
export async function pinnedPi(wgPath: string | undefined): Promise<PinnedPi> {
  if (!wgPath) return { version: DEFAULT_PI_VERSION, source: 'the default (no wg given or found)' };
  const version = await readPinnedPi(wgPath).catch(() => undefined);
  return version ? { version, source: `pinned by wg ${wgPath}` } : { version: DEFAULT_PI_VERSION, source: `the default (wg ${wgPath} pins no Pi version)` };
}
