import { write } from 'node:fs';

// Input to a program in a pty, written to the pty's file descriptor the way node-pty does it (a
// queue, EAGAIN retried on the next turn of the event loop), but with the end of the program
// handled here: when the program exits, the pty's read side closes the descriptor, and a write
// already queued then fails with EBADF or EIO. That input was for a dead program and is dropped in
// silence; node-pty's own writer logs it as "Unhandled pty write error" on stderr, which a caller
// cannot catch (seen when a terminal query was answered just before the program exited).

const GONE = new Set(['EBADF', 'EIO', 'EPIPE']);

/** A writer of bytes to `fd`; `closed` says when the pty is known to be gone (nothing more is written). */
export function fdWriter(fd: number, closed: () => boolean): (data: string | Buffer) => void {
  const queue: Array<{ buffer: Buffer; offset: number }> = [];
  const drain = (): void => {
    const task = queue[0];
    if (!task) return;
    if (closed()) {
      queue.length = 0;
      return;
    }
    write(fd, task.buffer, task.offset, (error, written) => {
      if (error) {
        if (error.code === 'EAGAIN') setImmediate(drain);
        else if (GONE.has(error.code ?? '')) queue.length = 0;
        else {
          // Anything else is unexpected: said as a process warning (visible, not fatal), the queue dropped.
          queue.length = 0;
          process.emitWarning(error);
        }
        return;
      }
      task.offset += written;
      if (task.offset >= task.buffer.byteLength) queue.shift();
      drain();
    });
  };
  return (data) => {
    const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    if (buffer.byteLength === 0) return;
    queue.push({ buffer, offset: 0 });
    if (queue.length === 1) drain();
  };
}
