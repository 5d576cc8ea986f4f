#!/usr/bin/env node
// Thin launcher: the command lives in dist/cli.js, built by `npm run build` (run by `npm ci` via prepare).
import { main } from '../dist/cli.js';
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
