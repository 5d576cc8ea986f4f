import { describe, expect, it } from 'vitest';
import { classify } from '../../src/wg/probe.js';
import { wgTui } from '../../src/wg/tui-command.js';

// `wg tui`'s command line: `--trace <artifacts>/wg-trace.jsonl` only where the build lists the flag.

const caps = (tui: string) => ({ ...classify({ wg: 'Commands:\n  tui  TUI\n', 'wg tui': tui }), helpTexts: {} });

describe('wg tui', () => {
  it("keeps wg's own trace in the artifacts where `wg tui --help` lists --trace", () => {
    const tui = wgTui({ artifactsDir: '/a/nex-local', caps: caps('Options:\n      --trace <FILE>  Record all input events\n') });
    expect(tui.args).toEqual(['tui', '--trace', '/a/nex-local/wg-trace.jsonl']);
    expect(tui.env).toEqual({ WG_PTY_DUMP: '/a/nex-local/ptydump' });
  });

  it('starts a plain `wg tui` where it does not', () => {
    expect(wgTui({ artifactsDir: '/a/nex-local', caps: caps('Options:\n      --no-mouse  Disable mouse\n') }).args).toEqual(['tui']);
  });
});
