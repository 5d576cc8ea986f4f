import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startEndpoint } from '../../src/endpoint/index.js';
import { endpointOracle } from '../../src/smoke/reply-oracle.js';
import { runTurn as judgeTurn } from '../../src/smoke/turn.js';
import { TerminalSession } from '../../src/terminal/index.js';
import { detectNexPane } from '../../src/wg/surfaces/nex-pane.js';
import { chatInputHint, composerInputOpen, followInputHint } from '../../src/wg/flows/input-hint.js';
import type { ChatHandle, DriverContext } from '../../src/wg/types.js';
import { agreeing } from './invariant.js';

// A person reads the screen's own instructions: typed text that never appears means the chat does
// not take keys, and the hint row names the key that opens chat input. One rule for every
// generation, read off real screens, then driven on the fixture's late-April pane.

const runTurn = async (...args: Parameters<typeof judgeTurn>) => agreeing(await judgeTurn(...args));
const FIXTURE = fileURLToPath(new URL('../fixtures/fake-chat-tui.mjs', import.meta.url));
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("the hint for opening chat input, read off wg's screens", () => {
  it.each([
    ['│ Enter: chat  ↑↓: scroll  Ctrl+T: focus PTY      │', 'Enter'],
    ['│ c: chat  ↑↓: scroll     │', 'c'],
    ["│        Press 'c' or ':' to start typing.   │", 'c'],
    ['│ Ctrl+T: focus PTY  PgUp/Dn: scroll │', 'Ctrl+T'],
  ])('%s → %s', (line, key) => {
    expect(chatInputHint(['top', line, 'bottom'])?.key).toBe(key);
  });

  it("reads ` Enter: chat` off late April's real pane (0a373f15), which takes no keys", () => {
    const lines = readFileSync(new URL('../../snapshots/real-wg/workgraph-0a373f15/nex-local-hint-row/msg-1-before.txt', import.meta.url), 'utf8').split('\n');
    expect(chatInputHint(lines)).toEqual({ key: 'Enter', words: 'Enter: chat' });
    expect(composerInputOpen(lines)).toBe(false);
  });

  it('finds none on a pane that takes keys, nor in words that only mention chat', () => {
    expect(chatInputHint(['│ Ctrl+T: leave PTY  PgUp/Dn: scroll │'])).toBeUndefined();
    expect(chatInputHint(['│ Chat input • Ctrl+O commands • n New chat │', '│ let us chat: about it │'])).toBeUndefined();
  });
});

describe("a pane that does not take keys, on the fixture's late-April pane", () => {
  async function setUp() {
    const endpoint = await startEndpoint({ replies: 'corpus', chunkDelayMs: 1 });
    cleanups.push(() => endpoint.close());
    const session = await TerminalSession.spawn({
      file: process.execPath,
      args: [FIXTURE, '--style', 'composer', '--input-closed', '--endpoint', endpoint.baseUrl],
      cols: 140,
      rows: 32,
    });
    cleanups.push(async () => void (await session.dispose({ killLeaked: true })));
    await session.waitForText('Enter: chat', { timeoutMs: 10_000 });
    const project = await mkdtemp(join(tmpdir(), 'wg-tui-e2e-hint-'));
    cleanups.push(() => rm(project, { recursive: true, force: true }));
    const findings: string[] = [];
    const ctx = { projectDir: project, caps: { tuiDump: false }, finding: (f: string) => findings.push(f) } as unknown as DriverContext;
    return { endpoint, session, ctx, findings };
  }

  it('follows ` Enter: chat`: the composer opens, the message is typed again and the reply judged there', async () => {
    const { endpoint, session, ctx, findings } = await setUp();
    let handle: ChatHandle = { detector: detectNexPane, readTranscript: async () => ({ status: 'unavailable' }), describe: 'pane' };
    const result = await runTurn({
      session,
      detector: handle.detector,
      scenario: 'hint',
      turn: { text: 'hi', index: 1 },
      total: 1,
      budgetMs: 10_000,
      typeDelayMs: 0,
      writeScreen: async () => undefined,
      oracle: endpointOracle(endpoint),
      notTaken: async (typed) => {
        const next = await followInputHint(session, ctx, handle, typed);
        if (next) handle = next;
        // The fixture keeps no outbox for the composer's transcript: the screen and the endpoint judge.
        return next && { detector: next.detector, readTranscript: async () => ({ status: 'unavailable' as const }), history: next.history };
      },
    });
    expect(result.verdict, result.signal).toBe('replied');
    // The composer stays open under the chat (read off a whole frame, not one drawn halfway).
    await session.waitFor((s) => composerInputOpen(s.lines) || undefined, { timeoutMs: 3_000, phase: 'the composer open' });
    expect(findings.join('\n')).toMatch(/wg's hint reads "Enter: chat": pressed Enter, as a person would, which opened the composer/);
    expect(endpoint.traffic.filter((t) => t.lastUser === 'hi')).toHaveLength(1);
  });

  it('without the rule, the message is lost: what the harness did before (typed into a pane that takes no keys)', async () => {
    const { endpoint, session } = await setUp();
    const result = await runTurn({
      session,
      detector: detectNexPane,
      scenario: 'hint',
      turn: { text: 'hi', index: 1 },
      total: 1,
      budgetMs: 3_000,
      typeDelayMs: 0,
      writeScreen: async () => undefined,
      oracle: endpointOracle(endpoint),
    });
    expect(result.passed).toBe(false);
    expect(endpoint.traffic).toHaveLength(0);
  });
});
