import { readFile, writeFile } from 'node:fs/promises';
import { OptionError } from '../errors.js';
import { EXIT } from '../report/model.js';
import { formatTraceEntry, parseTrace, redactTrace, TraceError } from '../wg/trace.js';

// `wg-tui-e2e trace redact FILE [--out FILE]`: a trace without what the user typed, to attach to a bug report.

/** The redacted file's default name: `x.jsonl` → `x.redacted.jsonl`. */
export const redactedName = (file: string): string => (/\.jsonl$/.test(file) ? file.replace(/\.jsonl$/, '.redacted.jsonl') : `${file}.redacted.jsonl`);

export async function runTraceRedact(file: string, out: string = redactedName(file), print: (line: string) => void): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new OptionError(`trace redact: cannot read ${file}: ${(error as Error).message}`);
  }
  let result;
  try {
    result = redactTrace(parseTrace(text));
  } catch (error) {
    if (error instanceof TraceError) throw new OptionError(`trace redact: ${file} is not a wg trace: ${error.message}`);
    throw error;
  }
  await writeFile(out, result.entries.map((e) => `${formatTraceEntry(e)}\n`).join(''));
  const total = Object.values(result.redacted).reduce((a, b) => a + b, 0);
  print(`redacted ${total} typed key${total === 1 ? '' : 's'} (each now \`x\`, one for one)`);
  for (const [why, n] of Object.entries(result.redacted)) print(`  ${n} ${why}`);
  print(
    `kept ${result.keptCommands} printable key${result.keptCommands === 1 ? '' : 's'} that were commands, and ${result.keptOther} other events (named keys, mouse, paste lengths, resizes, focus)`,
  );
  print(`wrote ${out}`);
  return EXIT.ok;
}
