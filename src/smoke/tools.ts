import { SKIP_LABEL } from '../errors.js';
import { installHint } from '../install/find-tool.js';
import { whichOnPath } from '../wg/binary.js';
import type { TargetKind, Tool } from '../wg/types.js';
import type { ScenarioName } from './options.js';

// What a scenario's chat runs on besides wg (the generation's needs), checked on wg's own PATH
// before anything is set up: a tool the machine lacks is the machine's, never a verdict on wg.

/** What each scenario's chat talks to. */
export const targetKindOf = (name: ScenarioName): TargetKind => (name === 'pi-local' ? 'pi' : name.startsWith('claude') ? 'claude' : 'endpoint');

/** How to get a missing tool, as the machine's own command; Pi at the version `wg` pins. */
const how = (tool: Tool, wgPath: string): string => (tool === 'tmux' ? 'apt-get install tmux' : installHint(tool, wgPath));

/**
 * The first needed tool missing from PATH: Pi is a loud counted skip (PI SMOKE SKIPPED, as a
 * machine without Pi is expected in CI); tmux is a setup failure (exit 3), since every chat of
 * these builds runs in it. claude is resolved with the scenario's target (--claude, CLAUDE_BIN).
 */
export async function missingTools(needs: readonly Tool[], path: string | undefined, wgPath: string): Promise<{ skip?: string; failure: string } | undefined> {
  for (const tool of needs) {
    if (tool === 'claude' || (await whichOnPath(tool, path))) continue;
    const where = tool === 'pi' ? '--pi, PI_BIN, PATH or the install cache' : 'PATH';
    const failure = `this wg's chat runs ${tool === 'pi' ? 'Pi' : 'in tmux'} and there is no \`${tool}\` (${where}): ${how(tool, wgPath)}`;
    return tool === 'pi' ? { skip: `${SKIP_LABEL.pi} — ${failure}`, failure } : { failure };
  }
  return undefined;
}
