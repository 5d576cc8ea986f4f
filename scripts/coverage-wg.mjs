// `npm run coverage:wg`: the specs that need no real wg (all but specs/real-wg/), with V8 line
// coverage of src/wg/**, printed per file and as one greppable total line:
//   src/wg line coverage: 87.3% (1234/1414 lines)
// Extra arguments go to vitest (a spec file or folder narrows the run). Exit status is vitest's.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const reports = join(root, 'coverage', 'wg');
const env = { ...process.env };
// No real wg, whatever the machine has: the real-wg specs are left out, and nothing finds one.
delete env.WG_BIN;
const vitest = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--exclude',
    'specs/real-wg/**',
    '--coverage.enabled',
    '--coverage.provider=v8',
    '--coverage.include=src/wg/**',
    '--coverage.reporter=json-summary',
    `--coverage.reportsDirectory=${reports}`,
    // The figure is printed even when a spec fails: the exit status says that.
    '--coverage.reportOnFailure',
    ...process.argv.slice(2),
  ],
  { cwd: root, env, stdio: 'inherit' },
);
const summary = JSON.parse(readFileSync(join(reports, 'coverage-summary.json'), 'utf8'));
const rows = Object.entries(summary)
  .filter(([file]) => file !== 'total')
  .map(([file, s]) => [relative(root, file), s.lines])
  .sort(([a], [b]) => a.localeCompare(b));
const pct = (l) => (l.total === 0 ? 100 : (100 * l.covered) / l.total).toFixed(1);
for (const [file, lines] of rows) console.log(`${pct(lines).padStart(6)}%  ${String(lines.covered).padStart(4)}/${String(lines.total).padEnd(4)}  ${file}`);
const total = summary.total.lines;
console.log(`src/wg line coverage: ${pct(total)}% (${total.covered}/${total.total} lines)`);
process.exit(vitest.status ?? 1);
