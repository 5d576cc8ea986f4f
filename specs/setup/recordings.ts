import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// The recorded real-wg runs kept in snapshots/real-wg: every `<build>/<scenario>/` folder with an
// expected.json, as paths relative to REAL_WG (what the replay specs iterate over).

export const REAL_WG = new URL('../../snapshots/real-wg/', import.meta.url).pathname;

export function realRecordings(): string[] {
  return readdirSync(REAL_WG, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((build) =>
      readdirSync(join(REAL_WG, build.name), { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(REAL_WG, build.name, d.name, 'expected.json')))
        .map((d) => join(build.name, d.name)),
    );
}
