#!/usr/bin/env node
// Child program for bench/terminal.ts. Modes:
//   markers <n> <stampFile>  sleep U(20,120) ms, stamp hrtime, write "READY-000nn." — n times
//   frames <file>            write the file to stdout as fast as the pty takes it, then "BENCH-END"
import { appendFileSync, readFileSync } from 'node:fs';
const [mode, a, b] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (mode === 'markers') {
  const n = Number(a);
  for (let i = 1; i <= n; i++) {
    await sleep(20 + Math.random() * 100);
    const t = process.hrtime.bigint();
    process.stdout.write(`READY-${String(i).padStart(5, '0')}. payload ${'.'.repeat(40)}\r\n`);
    appendFileSync(b, `${i} ${t}\n`);
  }
  process.stdout.write('MARKERS-END\r\n');
  setInterval(() => {}, 1 << 30);
} else if (mode === 'frames') {
  const data = readFileSync(a);
  let off = 0;
  const pump = () => {
    while (off < data.length) {
      const end = Math.min(off + 65536, data.length);
      const ok = process.stdout.write(data.subarray(off, end));
      off = end;
      if (!ok) return process.stdout.once('drain', pump);
    }
    process.stdout.write('\x1b[?1049l\r\nBENCH-END\r\n');
    setInterval(() => {}, 1 << 30);
  };
  pump();
}
