// asciicast v2 recorder: always on, streamed to a file or kept in memory (bounded). With a file,
// nothing is kept in memory: a 100-message soak must not grow the harness by its whole output.
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';

export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  timestamp: number;
  env: { TERM: string; SHELL?: string };
  command?: string;
  title?: string;
}

export interface CastOptions {
  width: number;
  height: number;
  term: string;
  command?: string;
  /** Stream every event here as it happens. */
  path?: string | undefined;
  /** In-memory cap; past it, output events are dropped from memory (the file keeps them). */
  maxMemoryBytes?: number;
}

/** Records "o" output, "i" input, "r" resize and "m" marker events with times since start. */
export class CastRecorder {
  readonly header: CastHeader;
  private readonly _lines: string[] = [];
  private _bytes = 0;
  private _truncated = false;
  private readonly _start = performance.now();
  private readonly _decoder = new TextDecoder('utf-8');
  private readonly _file: WriteStream | undefined;
  private readonly _path: string | undefined;
  private readonly _maxBytes: number;
  private _closed: Promise<void> | undefined;

  constructor(opts: CastOptions) {
    this.header = {
      version: 2,
      width: opts.width,
      height: opts.height,
      timestamp: Math.floor(Date.now() / 1000),
      env: { TERM: opts.term },
      ...(opts.command ? { command: opts.command } : {}),
    };
    this._maxBytes = opts.maxMemoryBytes ?? 64 * 1024 * 1024;
    this._path = opts.path;
    if (opts.path) {
      this._file = createWriteStream(opts.path);
      this._file.on('error', () => {}); // a broken evidence file must not crash the harness
      this._file.write(`${JSON.stringify(this.header)}\n`);
    }
  }

  /** True when output events were dropped from memory to stay under the cap. */
  get truncated(): boolean {
    return this._truncated;
  }

  /** Program output. Bytes are decoded across chunk edges; invalid UTF-8 becomes U+FFFD. */
  output(data: Uint8Array): void {
    const text = this._decoder.decode(data, { stream: true });
    if (text) this._event('o', text, true);
  }

  input(text: string): void {
    this._event('i', text);
  }

  resize(cols: number, rows: number): void {
    this._event('r', `${cols}x${rows}`);
  }

  marker(label: string): void {
    this._event('m', label);
  }

  private _event(code: string, data: string, droppable = false): void {
    if (this._closed) return;
    const t = Math.round(performance.now() - this._start) / 1000;
    const line = JSON.stringify([t, code, data]);
    if (this._file) {
      this._file.write(`${line}\n`);
      return;
    }
    if (droppable && this._bytes + line.length > this._maxBytes) {
      if (!this._truncated) this._lines.push(JSON.stringify([t, 'm', 'cast truncated in memory']));
      this._truncated = true;
      return;
    }
    this._bytes += line.length;
    this._lines.push(line);
  }

  /** The recording as asciicast v2 NDJSON: from memory, or what the file holds (all of it once closed). */
  toString(): string {
    if (this._path) {
      try {
        return readFileSync(this._path, 'utf8');
      } catch {
        return `${JSON.stringify(this.header)}\n`;
      }
    }
    return `${[JSON.stringify(this.header), ...this._lines].join('\n')}\n`;
  }

  /** Writes the recording; copies the streamed file when memory was truncated. */
  async save(path: string): Promise<void> {
    if (this._path) {
      await this.close();
      await copyFile(this._path, path);
      return;
    }
    await writeFile(path, this.toString());
  }

  /** Flushes and closes the streamed file. Idempotent. */
  close(): Promise<void> {
    this._closed ??= new Promise((resolve) => {
      if (!this._file) return resolve();
      this._file.end(() => resolve());
    });
    return this._closed;
  }
}
