// Replays an asciicast v2 recording through the same emulator the live session uses, yielding
// the screen after each output event: recorded real sessions become test fixtures.
import { Emulator } from './emulator.js';
import type { Screen } from './screen.js';

export interface ReplayFrame {
  /** Seconds since the recording started. */
  time: number;
  screen: Screen;
  /** Markers recorded at or before this frame since the previous one. */
  markers: string[];
}

interface CastEvent {
  time: number;
  type: string;
  data: string;
}

/** Parses a cast; throws on a header that is not asciicast v2. */
export function parseCast(text: string): { width: number; height: number; events: CastEvent[] } {
  const [first, ...rest] = text.split('\n').filter((l) => l.trim());
  const header = JSON.parse(first ?? '{}') as { version?: number; width?: number; height?: number };
  if (header.version !== 2 || !header.width || !header.height) throw new Error('not an asciicast v2 recording');
  const events = rest.map((line) => {
    const [time, type, data] = JSON.parse(line) as [number, string, string];
    return { time, type, data };
  });
  return { width: header.width, height: header.height, events };
}

/** Yields one frame per output event, in order, each parsed whole before it is yielded. */
export async function* replayCast(text: string): AsyncGenerator<ReplayFrame> {
  const cast = parseCast(text);
  const encoder = new TextEncoder();
  const emulator = new Emulator({ cols: cast.width, rows: cast.height, scrollback: 1000, clock: () => 0 });
  let markers: string[] = [];
  try {
    for (const event of cast.events) {
      if (event.type === 'm') markers.push(event.data);
      else if (event.type === 'r') {
        const [cols, rows] = event.data.split('x').map(Number);
        if (cols && rows) emulator.resize(cols, rows);
      } else if (event.type === 'o') {
        await new Promise<void>((resolve) => emulator.write(encoder.encode(event.data), resolve));
        yield { time: event.time, screen: emulator.screen(), markers };
        markers = [];
      }
    }
  } finally {
    emulator.dispose();
  }
}

/**
 * Every line a program's output leaves in a terminal of `cols`×`rows`, scrollback included (up
 * to `scrollback` lines), trailing blanks trimmed: the whole history of a pane whose top has
 * scrolled out of sight. Rows a program wrapped are joined back into one line.
 */
export async function renderHistory(data: Uint8Array | string, cols: number, rows: number, scrollback = 100_000): Promise<string[]> {
  const emulator = new Emulator({ cols, rows, scrollback, clock: () => 0 });
  try {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    await new Promise<void>((resolve) => emulator.write(bytes, resolve));
    return emulator.historyLines();
  } finally {
    emulator.dispose();
  }
}
