import type { WgCapabilities } from '../probe.js';
import { nexPaneDriver } from './nex-pane.js';
import { piTmuxDriver } from './pi-tmux.js';
import type { ChatDriver } from './types.js';

// The one factory that maps a probed build to its chat driver.
export function driverFor(caps: WgCapabilities): ChatDriver | undefined {
  switch (caps.generation) {
    case 'nex-pane':
      return nexPaneDriver;
    case 'pi-tmux':
      return piTmuxDriver;
    default:
      return undefined;
  }
}
