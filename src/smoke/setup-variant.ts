import { setupRoute } from '../wg/drivers/setup-route.js';
import type { ChatDriver, ChatTarget, SetupVariant } from '../wg/drivers/types.js';
import type { WgCapabilities } from '../wg/probe.js';

/** The loud skip of a `--setup` variant the build does not offer: `PLAIN SETUP SKIPPED`, `ROUTE SETUP SKIPPED`. */
export function setupSkipped(variant: SetupVariant): string {
  return `${variant.toUpperCase()} SETUP SKIPPED`;
}

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
