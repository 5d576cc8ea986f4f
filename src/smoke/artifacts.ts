import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ScreenFiles } from '../report/model.js';
import type { TerminalSession } from '../terminal/index.js';
import { SECRET_NAME, type Redact } from './secrets.js';

// The run's evidence folder: one sub-folder per scenario, paths in results kept relative to the
// run folder so an uploaded CI artifact still reads right.

/**
 * The text evidence of one run, each file with the run's secrets masked. One per run: two runs in
 * one process (the library, a matrix) each mask their own secrets.
 */
export class TextArtifacts {
  constructor(private readonly redact: Redact = (text) => text) {}

  /** The environment with secret-looking values replaced. */
  redactEnv(env: NodeJS.ProcessEnv): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
      if (value === undefined) continue;
      out[key] = SECRET_NAME.test(key) && value ? '***redacted***' : this.redact(value);
    }
    return out;
  }

  async writeText(dir: string, name: string, text: string): Promise<string> {
    await mkdir(dir, { recursive: true });
    const file = join(dir, name);
    await writeFile(file, this.redact(text));
    return file;
  }

  /** Copies a text file (a log) when it exists, secrets masked; evidence that is missing is not an error. */
  async copyIfExists(from: string, to: string): Promise<boolean> {
    return readFile(from, 'utf8')
      .then(
        (text) => writeFile(to, this.redact(text)).then(() => true),
        () => false,
      )
      .catch(() => false);
  }
}

const lastWritten = new WeakMap<TerminalSession, { seq: number; files: Record<keyof ScreenFiles, string> }>();

/**
 * Writes the current screen in four forms; paths relative to `runDir`. A screen already written
 * (same parsed-write count: the "after" of one message is often the "before" of the next) is
 * copied rather than rendered again.
 */
export async function writeScreen(session: TerminalSession, dir: string, name: string, runDir: string): Promise<ScreenFiles> {
  const seq = session.screen().seq;
  const previous = lastWritten.get(session);
  let files: Record<keyof ScreenFiles, string>;
  if (previous && previous.seq === seq) {
    files = { txt: join(dir, `${name}.txt`), ansi: join(dir, `${name}.ansi`), html: join(dir, `${name}.html`), svg: join(dir, `${name}.svg`) };
    await Promise.all((Object.keys(files) as Array<keyof ScreenFiles>).map((k) => copyFile(previous.files[k], files[k])));
  } else {
    files = await session.writeEvidence(dir, name);
  }
  lastWritten.set(session, { seq, files });
  return {
    txt: relative(runDir, files.txt),
    ansi: relative(runDir, files.ansi),
    html: relative(runDir, files.html),
    svg: relative(runDir, files.svg),
  };
}
