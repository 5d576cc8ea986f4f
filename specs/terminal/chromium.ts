import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

// Specs that look at our HTML and SVG in a real browser: the Debian package's Chromium (or
// CHROMIUM_BIN), driven by playwright-core. Without one they skip, and say so loudly.

export const CHROMIUM_BIN = process.env.CHROMIUM_BIN || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
export const CHROMIUM_NOTE = 'CHROMIUM SPECS SKIPPED — no Chromium (apt-get install -y chromium, or set CHROMIUM_BIN=/path/to/chromium)';

export async function launchChromium(): Promise<Browser> {
  if (!CHROMIUM_BIN) throw new Error(CHROMIUM_NOTE);
  // As root Chromium refuses to start with its sandbox; the pages it opens are our own files.
  return chromium.launch({ executablePath: CHROMIUM_BIN, args: ['--no-sandbox'] });
}

/**
 * The machine's temp folder, for artifacts a person looks at after the run (screenshots). Each
 * spec file's TMPDIR is a `wg-e2e-spec-*` folder that specs/setup/no-leaks.ts removes, and counts
 * anything left in it as a leak, so kept files go one level up.
 */
export function keptArtifactsDir(): string {
  const dir = tmpdir();
  return basename(dir).startsWith('wg-e2e-spec-') ? dirname(dir) : dir;
}
