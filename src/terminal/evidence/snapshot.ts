// Screen evidence in every format at once, and the files a failing step leaves behind.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Emulator } from '../emulator.js';
import { renderHtml } from './html.js';
import { renderSvg } from './svg.js';

export interface Snapshot {
  text: string;
  ansi: string;
  html: string;
  svg: string;
  scrollback: string;
}

export type EvidencePaths = Record<'txt' | 'ansi' | 'html' | 'svg', string>;

/** Text (from the whole-frame screen), ANSI, HTML, SVG and scrollback of the emulator now. */
export function takeSnapshot(emulator: Emulator, text: string): Snapshot {
  return {
    text,
    ansi: emulator.ansi(),
    // Our own renderer, not the serializer's <pre>: it keeps cells on the grid and shares the SVG's palette.
    html: renderHtml(emulator.term),
    svg: renderSvg(emulator.term),
    scrollback: emulator.scrollbackText(),
  };
}

/** Writes <basename>.txt/.ansi/.html/.svg into `dir` (created if missing). */
export async function writeSnapshot(snap: Snapshot, dir: string, basename: string): Promise<EvidencePaths> {
  await mkdir(dir, { recursive: true });
  const p = (ext: string): string => join(dir, `${basename}.${ext}`);
  const paths: EvidencePaths = { txt: p('txt'), ansi: p('ansi'), html: p('html'), svg: p('svg') };
  await Promise.all([
    writeFile(paths.txt, `${snap.text}\n`),
    writeFile(paths.ansi, snap.ansi),
    writeFile(paths.html, snap.html),
    writeFile(paths.svg, snap.svg),
  ]);
  return paths;
}
