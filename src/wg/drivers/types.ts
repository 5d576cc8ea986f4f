import type { TranscriptCheck } from '../../report/model.js';
import type { TerminalSession } from '../../terminal/index.js';
import type { TurnContext, TurnDetector, TurnObservation } from '../detectors/observation.js';
import type { WgEnvironment } from '../environment.js';
import type { WgCapabilities } from '../probe.js';
import type { CommandRecord } from '../workspace.js';

// One ChatDriver per chat UI of wg's history. Nothing above src/wg/drivers branches on the
// generation: the smoke asks the driver to set up, open the chat, read turns and clean up.

/** What a scenario wants the chat to talk to. */
export interface ChatTarget {
  kind: 'endpoint' | 'claude';
  /** OpenAI-compatible base URL as the user would give it to `wg init -e` (no `/v1`). */
  endpointUrl?: string;
  model: string;
}

export interface DriverContext {
  wg: string;
  caps: WgCapabilities;
  projectDir: string;
  /** Private folder of this scenario (bin/, a private HOME, Pi's config): never the user's. */
  runDir: string;
  /** Where evidence goes. */
  artifactsDir: string;
  environment: WgEnvironment;
  target: ChatTarget;
  /** Every command run outside the pty, for the artifacts. */
  commands: CommandRecord[];
  /** Loud observations (`the user's literal command was rejected: …`). */
  finding: (text: string) => void;
}

export interface ChatHandle {
  /** The detector for turns in this chat. */
  detector: TurnDetector;
  /** wg's transcript for this chat, to cross-check the screen. */
  readTranscript: (turn: TurnContext) => Promise<TranscriptCheck>;
  /** The chat's last words when its pane vanished. */
  lastWords?: () => Promise<string | undefined>;
  /**
   * The turn read off the chat's whole history (scrollback the screen no longer shows), given the
   * current screen; undefined when this chat UI keeps none the harness can read.
   */
  readHistory?: (turn: TurnContext, screen: readonly string[]) => Promise<TurnObservation | undefined>;
  /** Which chat is active, as wg itself reports it (`wg --json tui-dump`). */
  describe: string;
}

export interface ChatDriver {
  readonly name: string;
  /** How this driver sets the build up, in words (for the probe report). */
  readonly setupPath: string;
  /** `wg init` and `wg service start` the way this wg offers; throws SetupError when it cannot. */
  setup(ctx: DriverContext): Promise<void>;
  /** Arguments of `wg tui` and extra variables for it. */
  tui(ctx: DriverContext): { args: string[]; env: Record<string, string> };
  /** Opens the chat the way a person does, and confirms which chat is active before typing. */
  open(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle>;
  /** Stops what setup started (service, tmux sessions); never touches anything else. */
  teardown(ctx: DriverContext): Promise<void>;
}
