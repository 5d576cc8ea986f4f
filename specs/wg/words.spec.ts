import { describe, expect, it } from 'vitest';
import { renderable } from '../../src/smoke/turn-stream.js';
import { isPartOf, replyCoverage } from '../../src/wg/surfaces/words.js';

// How much of a streamed reply a screen shows, whatever the chat did to its layout.

const REPLY =
  '## Plan\n\n1. **Read** the `config.toml` file.\n- Then run `cargo test --workspace --all-features`.\n\n```rust\nfn main() {}\n```\n日本語でも中文也可以 🌏';

describe('reply coverage', () => {
  it('sees all of a reply that was wrapped inside words, rendered as markdown and framed', () => {
    const screen = [
      '│ Plan',
      '│',
      '│ 1. Read the  config.toml  file.',
      '│ • Then run  cargo test --work',
      '│ space --all-features .',
      '│',
      '│ fn main() {}',
      '│ 日本語でも中文',
      '│ 也可以 🌏',
    ].join('\n');
    expect(replyCoverage(renderable(REPLY), screen)).toEqual({ fraction: 1, total: expect.any(Number) });
  });

  it('drops only the fence info string, which every renderer hides', () => {
    expect(renderable(REPLY)).toContain('```\nfn main');
    expect(
      replyCoverage(REPLY, 'Plan 1. Read the config.toml file. Then run cargo test --workspace --all-features. fn main() {} 日本語でも中文也可以').fraction,
    ).toBeLessThan(1);
  });

  it('counts a lost line, and names its first words', () => {
    const screen = 'Plan 1. Read the config.toml file. fn main() {} 日本語でも中文也可以';
    const coverage = replyCoverage(renderable(REPLY), screen);
    expect(coverage.fraction).toBeLessThan(0.8);
    expect(coverage.firstMissing).toMatch(/^then run cargo test/);
  });

  it('sees a reply shown twice, raw then re-rendered with its middle lost from the first copy', () => {
    const raw = '## Plan\n\n1. **Read** the `config.toml` file.';
    const screen = `${raw}\nPlan\n1. Read the config.toml file.\n• Then run cargo test --workspace --all-features.\nfn main() {}\n日本語でも中文也可以`;
    expect(replyCoverage(renderable(REPLY), screen).fraction).toBe(1);
  });

  it('tells a line of the reply from a line that is not', () => {
    expect(isPartOf('Error: connection refused', 'the reply says\nError: connection refused means nothing listens')).toBe(true);
    expect(isPartOf('Error: 500 status code (no body)', 'the reply says\nError: connection refused')).toBe(false);
    expect(isPartOf('Error: anything', undefined)).toBe(false);
  });
});
