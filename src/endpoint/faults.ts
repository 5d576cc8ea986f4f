// Scripted faults: validating rules (from code or a JSON/YAML file) and picking the one for a request.
import { OptionError } from '../errors.js';
import { isRegexText, readRulesFile, toRegex } from './rules-file.js';
import type { FaultRule, FaultType } from './types.js';

const TYPES: readonly FaultType[] = ['status', 'delay', 'stall', 'drop', 'malformed', 'empty', 'long', 'stream-error'];
const KEYS = new Set(['fault', 'request', 'message', 'times', 'status', 'retryAfter', 'body', 'ms', 'afterChunks', 'chars']);

const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

// One rule's problem, or null. Messages name the field and the value it got.
function problemOf(rule: unknown): string | null {
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return 'is not an object';
  const r = rule as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!KEYS.has(key)) return `has unknown field "${key}"`;
  if (!TYPES.includes(r.fault as FaultType)) return `fault ${JSON.stringify(r.fault)} is not one of ${TYPES.join(', ')}`;
  if (r.request !== undefined && !(isNonNegInt(r.request) && r.request >= 1)) {
    return `request ${JSON.stringify(r.request)} is not a positive integer`;
  }
  if (r.message !== undefined) {
    if (typeof r.message !== 'string' || r.message === '') return `message ${JSON.stringify(r.message)} is not a non-empty string`;
    if (isRegexText(r.message)) {
      try {
        toRegex(r.message);
      } catch (error) {
        return `message ${r.message} is not a valid regex (${(error as Error).message})`;
      }
    }
  }
  if (r.times !== undefined && r.times !== 'always' && !(isNonNegInt(r.times) && r.times >= 1)) {
    return `times ${JSON.stringify(r.times)} is not a positive integer or "always"`;
  }
  if (r.fault === 'status' && !(isNonNegInt(r.status) && r.status >= 400 && r.status <= 599)) {
    return `status ${JSON.stringify(r.status)} is not an HTTP error status (400-599)`;
  }
  if (r.fault !== 'status' && r.status !== undefined) return 'has "status" but fault is not "status"';
  if (r.fault === 'delay' && !isNonNegInt(r.ms)) return `ms ${JSON.stringify(r.ms)} is required for delay (milliseconds)`;
  for (const key of ['retryAfter', 'ms', 'afterChunks', 'chars'] as const) {
    if (r[key] !== undefined && !isNonNegInt(r[key])) return `${key} ${JSON.stringify(r[key])} is not a non-negative integer`;
  }
  if (r.body !== undefined && typeof r.body !== 'string') return 'body is not a string';
  return null;
}

/** Checks a list of rules; throws OptionError naming the source, the rule number (1-based) and the problem. */
export function validateFaultRules(input: unknown, source = 'faults'): FaultRule[] {
  const list = input && typeof input === 'object' && !Array.isArray(input) ? (input as { faults?: unknown }).faults : input;
  if (!Array.isArray(list)) throw new OptionError(`${source}: expected a list of fault rules (or {faults: [...]})`);
  list.forEach((rule, i) => {
    const problem = problemOf(rule);
    if (problem) throw new OptionError(`${source}: fault rule ${i + 1} ${problem}: ${JSON.stringify(rule)}`);
  });
  return list as FaultRule[];
}

/** Reads and validates a fault file; `.json` is JSON, anything else is YAML (a superset of JSON). */
export async function loadFaultFile(path: string): Promise<FaultRule[]> {
  return validateFaultRules(await readRulesFile('--faults', path), `--faults ${path}`);
}

/** Picks faults in order: the first rule that matches and still has uses left wins, and uses one up. */
export class FaultPlan {
  private readonly left: number[];
  private readonly matchers: ((text: string) => boolean)[];

  constructor(private readonly rules: readonly FaultRule[]) {
    validateFaultRules([...rules]);
    this.left = rules.map((r) => (r.times === 'always' ? Number.POSITIVE_INFINITY : (r.times ?? 1)));
    this.matchers = rules.map((r) => {
      if (r.message === undefined) return () => true;
      if (isRegexText(r.message)) {
        const re = toRegex(r.message);
        return (text) => re.test(text);
      }
      const needle = r.message;
      return (text) => text.includes(needle);
    });
  }

  /** The fault for chat request `n` whose last user message is `lastUser`, if any. */
  pick(n: number, lastUser: string): FaultRule | undefined {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i]!;
      if ((this.left[i] ?? 0) <= 0) continue;
      if (rule.request !== undefined && rule.request !== n) continue;
      if (!this.matchers[i]!(lastUser)) continue;
      this.left[i]! -= 1;
      return rule;
    }
    return undefined;
  }
}

/** One-line description for the traffic log, e.g. `stall 5000ms after 1 chunk(s)`. */
export function describeFault(rule: FaultRule): string {
  const after = `after ${rule.afterChunks ?? 1} chunk(s)`;
  switch (rule.fault) {
    case 'status':
      return `status ${rule.status}${rule.retryAfter !== undefined ? ` retry-after ${rule.retryAfter}s` : ''}`;
    case 'delay':
      return `delay ${rule.ms}ms before headers`;
    case 'stall':
      return `stall ${rule.ms === undefined ? 'until closed' : `${rule.ms}ms`} ${after}`;
    case 'drop':
      return `drop connection ${after}`;
    case 'malformed':
      return `malformed SSE ${after}`;
    case 'empty':
      return 'empty reply';
    case 'long':
      return `long reply (${rule.chars ?? 20000} chars)`;
    case 'stream-error':
      return `error event in stream ${after}`;
  }
}
