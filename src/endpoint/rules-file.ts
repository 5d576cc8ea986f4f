// Reads a user's rules file (faults, a reply corpus): `.json` is JSON, anything else YAML (a
// superset of JSON). Errors name the flag, the path and what went wrong.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { OptionError } from '../errors.js';

/** A rule's text written as `/regex/flags` rather than a plain substring. */
export const isRegexText = (text: string): boolean => /^\/.*\/[a-z]*$/s.test(text) && text.length >= 2;

/** The RegExp of a `/regex/flags` text (global and sticky dropped: rules test, never scan). */
export function toRegex(text: string): RegExp {
  const end = text.lastIndexOf('/');
  return new RegExp(text.slice(1, end), text.slice(end + 1).replace(/[gy]/g, ''));
}

export async function readRulesFile(flag: string, path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new OptionError(`${flag} ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new OptionError(`${flag} ${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'} (${(error as Error).message})`);
  }
}
