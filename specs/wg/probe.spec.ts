import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, hasFlag, parseSubcommands } from '../../src/wg/probe.js';

// The probe decides the chat driver from a build's own help texts, recorded per build in
// snapshots/real-wg/<build>/help/ (file name = the command, spaces as underscores).

function recordedHelp(build: string): Record<string, string> {
  const dir = new URL(`../../snapshots/real-wg/${build}/help/`, import.meta.url).pathname;
  return Object.fromEntries(readdirSync(dir).map((f) => [f.replace(/\.txt$/, '').replace(/_/g, ' '), readFileSync(join(dir, f), 'utf8')]));
}

describe('probe', () => {
  it('reads the April build as the nex-pane chat', () => {
    const caps = classify(recordedHelp('workgraph-3b885405'));
    expect(caps.generation).toBe('nex-pane');
    expect(caps.nexSubcommand).toBe(true);
    expect(caps.tuiDump).toBe(true);
    expect(caps.init).toMatchObject({ model: true, endpoint: true, executor: true, route: false });
    expect(caps.tuiRecordingFlag).toBe(true);
  });

  it('finds subcommands in wg\'s split "Core commands:" layout and in plain clap', () => {
    expect(parseSubcommands('Core commands:\n  status          Quick\n  tui-dump  Dump\n\nOptions:\n  -d, --dir <PATH>  x\n')).toEqual(['status', 'tui-dump']);
    expect(parseSubcommands('Commands:\n  init  Initialize\n  help  Print this message\n')).toEqual(['init', 'help']);
  });

  it('tells a listed flag from a mention in prose', () => {
    expect(hasFlag('  -e, --endpoint <URL>  endpoint', 'endpoint')).toBe(true);
    expect(hasFlag('  -x, --executor <EXECUTOR>', 'endpoint')).toBe(false);
    expect(hasFlag('configure --endpoints elsewhere', 'endpoint')).toBe(false);
  });

  it('refuses to guess on a build it does not know', () => {
    const caps = classify({ wg: 'Commands:\n  init  x\n', 'wg init': '  --global  g\n' });
    expect(caps.generation).toBe('unknown');
    expect(caps.reasons[0]).toMatch(/no known generation/);
  });
});

describe("probe on today's wg", () => {
  it('reads graphwork/wg b0892ea7 as the Pi-in-tmux chat', () => {
    const caps = classify(recordedHelp('wg-b0892ea7'));
    expect(caps.generation).toBe('pi-tmux');
    expect(caps.init.endpoint).toBe(false);
    expect(caps.init.route).toBe(true);
    expect(caps.chatCreate).toBe(true);
  });
});

describe('probe across wg history', () => {
  it('reads graphwork/wg bc1dbece (2026-04-18) as the composer chat: no -m/-e/-x on init, set up with wg config and wg endpoints', () => {
    const caps = classify(recordedHelp('wg-bc1dbece'));
    expect(caps.generation).toBe('composer');
    expect(caps.init).toMatchObject({ model: false, endpoint: false, executor: false });
    expect(caps.subcommands).toEqual(expect.arrayContaining(['nex', 'endpoints', 'config', 'tui-dump']));
    expect(caps.reasons.join(' ')).toMatch(/composer/);
  });

  it('reads graphwork/wg b66be5d3 (2026-06-05) as wg nex in tmux: init takes -m/-e/-x and --route, chats are created', () => {
    const caps = classify(recordedHelp('wg-b66be5d3'));
    expect(caps.generation).toBe('nex-tmux');
    expect(caps.init).toMatchObject({ model: true, endpoint: true, executor: true, route: true });
    expect(caps.chatCreate).toBe(true);
  });

  it('does not take a build without `wg config --coordinator-executor` for the composer chat', () => {
    const texts = recordedHelp('wg-bc1dbece');
    expect(classify({ ...texts, 'wg config': 'Options:\n      --show  Show\n' }).generation).toBe('unknown');
  });
});

describe("probe on July's wg", () => {
  it('reads graphwork/wg 829c9de4 (2026-07-25) as the Pi-in-tmux chat: -m is a Pi route, no -e/-x, no nex pane', () => {
    const caps = classify(recordedHelp('wg-829c9de4'));
    expect(caps.generation).toBe('pi-tmux');
    expect(caps.init).toMatchObject({ endpoint: false, executor: false, route: true });
    expect(caps.chatCreate).toBe(true);
  });
});

describe('probe on late April and May', () => {
  it("reads graphwork/wg 78bb9e2c (2026-04-25) as the nex-pane generation (its help is the April pane's)", () => {
    expect(classify(recordedHelp('wg-78bb9e2c')).generation).toBe('nex-pane');
  });
  it('reads graphwork/wg 4ad9da75 (2026-05-23) and 1d1e4152 (2026-07-18) as wg nex in tmux', () => {
    expect(classify(recordedHelp('wg-4ad9da75')).generation).toBe('nex-tmux');
    expect(classify(recordedHelp('wg-1d1e4152')).generation).toBe('nex-tmux');
  });
});

describe("wg's own trace (`wg tui --trace`)", () => {
  const builds = readdirSync(new URL('../../snapshots/real-wg/', import.meta.url).pathname).filter((b) => /^(wg|workgraph)-/.test(b));
  const withHelp = builds.filter((b) => readdirSync(new URL(`../../snapshots/real-wg/${b}/`, import.meta.url).pathname).includes('help'));

  it('is offered by every recorded build, from April to today', () => {
    expect(withHelp.length).toBeGreaterThanOrEqual(10);
    for (const build of withHelp) expect([build, classify(recordedHelp(build)).tuiTrace]).toEqual([build, true]);
  });

  it('is not offered where `wg tui --help` does not list it (the line taken out of a recorded help)', () => {
    const texts = recordedHelp('wg-b0892ea7');
    const tui = (texts['wg tui'] ?? '').replace(/^.*--trace <FILE>.*\n/m, '');
    expect(tui).not.toMatch(/--trace/);
    expect(classify({ ...texts, 'wg tui': tui }).tuiTrace).toBe(false);
    expect(classify({ ...texts, 'wg tui': `${tui}\nRecords with --trace-ish words in prose` }).tuiTrace).toBe(false);
  });
});
