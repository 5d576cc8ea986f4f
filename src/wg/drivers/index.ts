import type { WgCapabilities } from '../probe.js';
import { composerDriver } from './composer.js';
import { nexPaneOrComposerDriver } from './nex-pane-fallback.js';
import { nexTmuxDriver } from './nex-tmux.js';
import { piTmuxDriver } from './pi-tmux.js';
import type { ChatDriver } from './types.js';

// The one factory that maps a probed build to its chat driver.
export function driverFor(caps: WgCapabilities): ChatDriver | undefined {
  switch (caps.generation) {
    case 'composer':
      return composerDriver;
    case 'nex-pane':
      return nexPaneOrComposerDriver;
    case 'nex-tmux':
      return nexTmuxDriver;
    case 'pi-tmux':
      return piTmuxDriver;
    default:
      return undefined;
  }
}
