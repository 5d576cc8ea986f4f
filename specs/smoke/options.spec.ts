import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { DEFAULT_MESSAGES, normalizeRunOptions } from '../../src/smoke/options.js';

describe('run options', () => {
  it("defaults to every scenario, the user's five messages and a 30 s first budget", () => {
    const o = normalizeRunOptions({}, {});
    expect(o.scenarios).toEqual(['nex-local', 'nex-live', 'claude-local', 'pi-local', 'claude']);
    expect(o.messages).toEqual(DEFAULT_MESSAGES);
    expect(o.messages[0]).toBe('hi');
    expect(o.messages).toHaveLength(5);
    expect(o.firstReplyMs).toBe(30_000);
    expect(o.model).toBe('qwen3-coder');
    expect(o.endpoint).toBeUndefined();
  });

  it('takes the live endpoint from the environment, never from a default', () => {
    expect(normalizeRunOptions({}, { WG_E2E_NEX_ENDPOINT: 'https://example.invalid:30000/' }).endpoint).toBe('https://example.invalid:30000');
  });

  it.each([
    [{ scenario: ['nope'] }, /--scenario takes/],
    [{ flavor: 'ollama' }, /--flavor/],
    [{ endpoint: 'ftp://x' }, /--endpoint must be/],
    [{ 'first-reply-timeout': '-1' }, /--first-reply-timeout/],
    [{ size: '10x2' }, /--size/],
    [{ message: [' '] }, /--message/],
  ])('rejects %j with an error naming the option', (raw, message) => {
    expect(() => normalizeRunOptions(raw, {})).toThrow(OptionError);
    expect(() => normalizeRunOptions(raw, {})).toThrow(message);
  });

  it('--allow-skip: scenarios or all, repeatable and comma lists; anything else refused naming the choices', () => {
    expect(normalizeRunOptions({}, {}).allowSkip).toEqual([]);
    expect(normalizeRunOptions({ 'allow-skip': ['nex-live', 'pi-local,nex-live'] }, {}).allowSkip).toEqual(['nex-live', 'pi-local']);
    expect(normalizeRunOptions({ 'allow-skip': ['all'] }, {}).allowSkip).toEqual(['all']);
    expect(() => normalizeRunOptions({ 'allow-skip': ['nex-lvie'] }, {})).toThrow(/--allow-skip takes a scenario \(nex-local, .*\) or all; got "nex-lvie"/);
  });

  it('splits comma lists and removes repeats', () => {
    expect(normalizeRunOptions({ scenario: ['nex-local,claude', 'nex-local'] }, {}).scenarios).toEqual(['nex-local', 'claude']);
  });
  it('--setup: literal by default, plain when asked, anything else refused naming the choices', () => {
    expect(normalizeRunOptions({}, {}).setup).toBe('literal');
    expect(normalizeRunOptions({ setup: 'plain' }, {}).setup).toBe('plain');
    expect(normalizeRunOptions({ setup: 'route' }, {}).setup).toBe('route');
    expect(() => normalizeRunOptions({ setup: 'named' }, {})).toThrow('--setup takes literal, plain, route; got "named"');
  });

  it('--startup: person by default (what the user did), settled when asked, anything else refused naming the choices', () => {
    expect(normalizeRunOptions({}, {}).startup).toBe('person');
    expect(normalizeRunOptions({ startup: 'settled' }, {}).startup).toBe('settled');
    expect(() => normalizeRunOptions({ startup: 'late' }, {})).toThrow('--startup takes person or settled, got "late"');
  });

  it('--jitter: a whole-number seed or random; none by default', () => {
    expect(normalizeRunOptions({}, {}).jitter).toBeUndefined();
    expect(normalizeRunOptions({ jitter: '0' }, {}).jitter).toBe(0);
    expect(normalizeRunOptions({ jitter: '4294967296' }, {}).jitter).toBe(4294967296);
    expect(normalizeRunOptions({ jitter: 'random' }, {}).jitter).toBe('random');
    expect(normalizeRunOptions({ jitter: '7', 'jitter-cpu': true }, {}).jitterCpu).toBe(true);
  });

  it.each(['abc', '-1', '1.5', '1e3', '', '9007199254740992', 'Random'])('--jitter %j is refused, naming what it takes', (value) => {
    expect(() => normalizeRunOptions({ jitter: value }, {})).toThrow(OptionError);
    expect(() => normalizeRunOptions({ jitter: value }, {})).toThrow(
      `--jitter takes a seed (a whole number from 0 to 9007199254740991) or random, got "${value}"`,
    );
  });

  it('--jitter-cpu needs --jitter, and --jitter does not go with --from-trace', () => {
    expect(() => normalizeRunOptions({ 'jitter-cpu': true }, {})).toThrow(/--jitter-cpu .* needs --jitter/);
    expect(() => normalizeRunOptions({ jitter: '1', 'from-trace': 'trace.jsonl' }, {})).toThrow(/--from-trace replays the user's own: use one/);
  });
});
