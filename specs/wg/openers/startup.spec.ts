import { describe, expect, it } from 'vitest';
import { runOnStandIn } from './stand-in.js';

// `--startup` on the stand-in of the April nex pane, whose daemon runs the chat's
// handler: here the handler takes its lock 3 s after the daemon is up, and the call log says when,
// so the order of `wg tui` and the lock shows which startup the harness followed.

const SLOW_HANDLER = { extends: 'nex-pane', service: { handlerAfterMs: 3_000 } };
const LOCK = '(daemon) handler lock taken';

describe('--startup', () => {
  it("person (the default): `wg tui` starts as `wg service start` returns, before the daemon's handler has its lock", async () => {
    const r = await runOnStandIn(SLOW_HANDLER, { scenario: ['nex-local'] });
    expect(r.exitCode).toBe(0);
    const service = r.calls.indexOf('service start');
    const tui = r.calls.findIndex((c) => c.startsWith('tui'));
    const lock = r.calls.indexOf(LOCK);
    expect(service).toBeGreaterThan(-1);
    expect(tui).toBe(service + 1);
    // The lock came later, or not at all before teardown stopped the daemon.
    expect(lock === -1 || lock > tui).toBe(true);
  });

  it("settled: `wg tui` waits for the daemon's handler to hold its lock", async () => {
    const r = await runOnStandIn(SLOW_HANDLER, { scenario: ['nex-local'], startup: 'settled' });
    expect(r.exitCode).toBe(0);
    expect(r.calls.slice(1, 4)).toEqual(['service start', LOCK, 'tui --trace nex-local/wg-trace.jsonl']);
  });
});
