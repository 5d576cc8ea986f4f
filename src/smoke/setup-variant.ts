import { driverFor } from '../wg/generations/index.js';
import { setupRoute } from '../wg/flows/setup-route.js';
import { SETUP_VARIANTS, type ChatDriver, type ChatTarget, type SetupVariant } from '../wg/types.js';
import type { WgCapabilities } from '../wg/probe.js';

export { setupSkipped } from '../errors.js';

/** Why this build cannot be set up the asked way, in words; undefined when it can. `literal` always can (it falls back to the nearest setup). */
export function setupNotOffered(variant: SetupVariant, driver: ChatDriver, caps: Pick<WgCapabilities, 'init'>, kind: ChatTarget['kind']): string | undefined {
  if (variant === 'plain' && !driver.plainSetupPath) {
    return `this wg (chat UI ${driver.name}) has no New chat launcher: the plain setup (\`wg init\`, then the chat made in the TUI) is not offered`;
  }
  if (variant === 'route') {
    if (!driver.routeSetupPath) return `this wg (chat UI ${driver.name}) has no named setup routes (\`wg init --route\`)`;
    const route = setupRoute(caps, kind);
    if ('missing' in route) return `this wg (chat UI ${driver.name}): ${route.missing}`;
  }
  return undefined;
}

/** Each `--setup` variant for each kind of chat on this build: how it is set up, or why it is not offered. */
export function offeredSetups(caps: WgCapabilities): Record<string, Record<string, string>> {
  const driver = driverFor(caps);
  const kinds = { nex: 'endpoint', pi: 'pi', claude: 'claude' } as const;
  return Object.fromEntries(
    SETUP_VARIANTS.map((variant) => [
      variant,
      Object.fromEntries(
        Object.entries(kinds).map(([chat, kind]) => {
          if (!driver) return [chat, 'not offered: no chat driver for this build'];
          if (kind === 'pi' && !(caps.pi && driver.drivesPiLocal)) return [chat, 'not offered: no Pi chat in this build'];
          if (kind === 'claude' && !driver.drivesClaudeLocal) return [chat, `not offered: chat UI ${driver.name} has no claude path`];
          const missing = setupNotOffered(variant, driver, caps, kind);
          if (missing) return [chat, `not offered: ${missing}`];
          const route = variant === 'route' ? setupRoute(caps, kind) : undefined;
          const literal =
            kind === 'pi'
              ? (driver.piSetupPath ?? driver.setupPath)
              : kind === 'claude'
                ? "this chat UI's claude path (its commands are in the FINDING lines)"
                : driver.setupPath;
          const path = variant === 'plain' ? driver.plainSetupPath : variant === 'route' ? driver.routeSetupPath : literal;
          return [chat, route && 'route' in route ? `\`wg init --route ${route.route}\`: ${path}` : (path ?? '')];
        }),
      ),
    ]),
  );
}
