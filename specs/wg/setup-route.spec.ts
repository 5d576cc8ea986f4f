import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setupSkipped } from '../../src/errors.js';
import { generationFor, offeredSetups, planSetup } from '../../src/wg/generations/index.js';
import type { SetupVariant, TargetKind } from '../../src/wg/types.js';
import { routeInitArgs, setupRoute } from '../../src/wg/flows/setup-route.js';
import { classify, parseRouteNames, type WgCapabilities } from '../../src/wg/probe.js';

// `--setup route` picks the build's own named `wg init --route` from its recorded help: June's
// and July's (nex-custom for a nex or Pi chat, claude-cli for claude), today's `pi`, and none on
// April's builds, which is a counted ROUTE SETUP SKIPPED rather than a swap for another setup.

function recordedHelp(build: string): Record<string, string> {
  const dir = new URL(`../../snapshots/real-wg/${build}/help/`, import.meta.url).pathname;
  return Object.fromEntries(readdirSync(dir).map((f) => [f.replace(/\.txt$/, '').replace(/_/g, ' '), readFileSync(join(dir, f), 'utf8')]));
}
const capsOf = (build: string): WgCapabilities => ({ ...classify(recordedHelp(build)), helpTexts: {} });

describe('route names from `wg init --help`', () => {
  it("lists June's five routes, today's `pi`, and nothing where there is no --route", () => {
    expect(capsOf('wg-b66be5d3').init.routes).toEqual(['openrouter', 'claude-cli', 'codex-cli', 'local', 'nex-custom']);
    expect(capsOf('wg-1d1e4152').init.routes).toEqual(['openrouter', 'claude-cli', 'codex-cli', 'local', 'nex-custom']);
    expect(capsOf('wg-829c9de4').init.routes).toEqual(['pi']);
    expect(capsOf('workgraph-3b885405').init.routes).toEqual([]);
    expect(parseRouteNames('      --route <ROUTE>  Pick one (see docs)\n')).toEqual([]);
  });
});

describe('setupRoute', () => {
  it('picks nex-custom for a nex chat and claude-cli for claude on June and July builds', () => {
    const june = capsOf('wg-b66be5d3');
    expect(setupRoute(june, 'endpoint')).toEqual({ route: 'nex-custom' });
    expect(setupRoute(june, 'pi')).toEqual({ route: 'nex-custom' });
    expect(setupRoute(june, 'claude')).toEqual({ route: 'claude-cli' });
  });

  it("picks `pi` on today's wg, and says there is no route for claude", () => {
    const today = capsOf('wg-829c9de4');
    expect(setupRoute(today, 'endpoint')).toEqual({ route: 'pi' });
    expect(setupRoute(today, 'pi')).toEqual({ route: 'pi' });
    expect(setupRoute(today, 'claude')).toEqual({ missing: 'its `wg init --route` names (pi) have none for a claude chat (wanted: claude-cli)' });
  });

  it("says April's builds have no --route", () => {
    expect(setupRoute(capsOf('workgraph-3b885405'), 'endpoint')).toEqual({ missing: 'its `wg init` has no --route' });
  });

  it("gives the user's model and endpoint to nex-custom, the exact Pi route to pi", () => {
    const target = { kind: 'endpoint' as const, model: 'qwen3-coder', endpointUrl: 'http://127.0.0.1:9' };
    expect(routeInitArgs('nex-custom', target)).toEqual(['init', '--route', 'nex-custom', '-m', 'qwen3-coder', '-e', 'http://127.0.0.1:9']);
    expect(routeInitArgs('pi', target, 'pi:e2e:qwen3-coder')).toEqual(['init', '--route', 'pi', '-m', 'pi:e2e:qwen3-coder']);
    expect(routeInitArgs('claude-cli', { kind: 'claude', model: 'opus' })).toEqual(['init', '--route', 'claude-cli']);
  });
});

describe('planSetup', () => {
  /** The skip line's label and reason, or undefined where the table has an entry. */
  const skipOf = (caps: WgCapabilities, variant: SetupVariant, kind: TargetKind) => {
    const generation = generationFor(caps);
    if (!generation) throw new Error('no generation');
    const plan = planSetup(generation, caps, variant, kind);
    return 'skip' in plan ? `${plan.skip.label} — ${plan.skip.reason}` : undefined;
  };

  it('offers literal everywhere, and names what is missing for plain and route, each skip under its own marker', () => {
    const april = capsOf('workgraph-3b885405');
    const june = capsOf('wg-b66be5d3');
    const today = capsOf('wg-829c9de4');
    expect(skipOf(april, 'literal', 'endpoint')).toBeUndefined();
    expect(skipOf(april, 'plain', 'claude')).toMatch(/^PLAIN SETUP SKIPPED — this wg \(generation nex-pane\) has no New chat launcher/);
    expect(skipOf(april, 'route', 'endpoint')).toMatch(/^ROUTE SETUP SKIPPED — .*generation nex-pane\) has no named setup routes/);
    expect(skipOf(june, 'plain', 'claude')).toBeUndefined();
    expect(skipOf(june, 'route', 'claude')).toBeUndefined();
    expect(skipOf(today, 'route', 'claude')).toMatch(/^ROUTE SETUP SKIPPED — .*\(pi\) have none for a claude chat/);
    expect(setupSkipped('plain')).toBe('PLAIN SETUP SKIPPED');
    expect(setupSkipped('route')).toBe('ROUTE SETUP SKIPPED');
  });
});

describe('the setups in probe.json', () => {
  it('name, per variant and kind of chat, how the build is set up or why it is not', () => {
    const june = offeredSetups(capsOf('wg-b66be5d3'));
    expect(june.route?.nex).toMatch(/^`wg init --route nex-custom`: /);
    expect(june.route?.claude).toMatch(/^`wg init --route claude-cli`: /);
    expect(june.plain?.nex).toMatch(/New chat launcher/);
    expect(june.literal?.pi).toMatch(/^not offered: this wg offers no Pi chat: no Pi in this build/);
    const april = offeredSetups(capsOf('workgraph-3b885405'));
    expect(april.plain?.nex).toMatch(/^not offered: .*no New chat launcher/);
    expect(april.route?.claude).toMatch(/^not offered: .*no named setup routes/);
    expect(offeredSetups(capsOf('wg-829c9de4')).route?.claude).toMatch(/^not offered: .*\(pi\) have none for a claude chat/);
  });
});
