import type { WgCapabilities } from '../probe.js';
import { composerDriver } from './composer.js';
import { NO_EXECUTOR_SETUP_PATH } from '../flows/init-no-executor.js';
import { nexPaneOrComposerDriver } from './nex-pane-fallback.js';
import { nexTmuxDriver } from './nex-tmux.js';
import { piTmuxDriver } from './pi-tmux.js';
import type { ChatDriver } from '../types.js';

// The one factory that maps a probed build to its chat driver.
export function driverFor(caps: WgCapabilities): ChatDriver | undefined {
  switch (caps.generation) {
    case 'composer':
      return composerDriver;
    case 'nex-pane':
      // 2026-04-21..25: `wg init` takes -m/-e but not yet -x (the executor follows the model).
      return caps.init.executor ? nexPaneOrComposerDriver : { ...nexPaneOrComposerDriver, setupPath: NO_EXECUTOR_SETUP_PATH };
    case 'nex-tmux':
      return nexTmuxDriver;
    case 'pi-tmux':
      return piTmuxDriver;
    default:
      return undefined;
  }
}
