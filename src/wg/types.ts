import { SKIP_LABEL, SkipError, setupSkipped } from '../errors.js';
import type { TranscriptCheck } from '../report/model.js';
import type { TerminalSession } from '../terminal/index.js';
import type { TurnContext, TurnDetector } from './surfaces/observation.js';
import type { WgEnvironment } from './environment.js';
import type { WgCapabilities } from './probe.js';
import type { CommandRecord } from './workspace.js';

// One ChatDriver per chat UI of wg's history. Nothing above src/wg/drivers branches on the
// generation: the smoke asks the driver to set up, open the chat, read turns and clean up.

/**
 * The ways of setting a project up (`--setup`). `literal`: the user's command first, then the
 * nearest setup the build offers. `plain`: `wg init` with no model flags, the chat made in the
 * TUI's New chat launcher. `route`: `wg init --route NAME`, the build's own named setup route for
 * the scenario (see setupRoute).
 */
export const SETUP_VARIANTS = ['literal', 'plain', 'route'] as const;
export type SetupVariant = (typeof SETUP_VARIANTS)[number];

/** What a scenario wants the chat to talk to. */
export interface ChatTarget {
  /** endpoint: the user's nex flow (nex-local, nex-live); pi: a Pi chat whose provider is the endpoint (pi-local); claude: the claude CLI. */
  kind: 'endpoint' | 'pi' | 'claude';
  /** OpenAI-compatible base URL as the user would give it to `wg init -e` (no `/v1`). */
  endpointUrl?: string;
  model: string;
  /** claude-local: the claude CLI to put on wg's PATH and what it needs in its environment (the embedded endpoint, a private config). */
  claude?: { bin: string; env: Record<string, string> };
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
  /** How the project is set up (`--setup`); see SETUP_VARIANTS. */
  setup: SetupVariant;
  /** Cancels the wg commands of setup and open when the run is stopped; cleared before teardown, whose commands must run. */
  cancel?: AbortSignal;
  /**
   * Said by the opener the moment wg has launched a chat (Enter on a launcher row, the implicit
   * chat's pane or banner drawn), in words. From then on a chat that never becomes ready is wg's
   * verdict (chat-stuck, exit 1), not a setup failure: a bisect must not skip the build that has
   * the bug. The first call's words are kept.
   */
  launched: (what: string) => void;
}

export interface ChatHandle {
  /** The detector for turns in this chat. */
  detector: TurnDetector;
  /** wg's transcript for this chat, to cross-check the screen. */
  readTranscript: (turn: TurnContext) => Promise<TranscriptCheck>;
  /** The chat's last words after this turn's message, when its pane vanished. */
  lastWords?: (turn: TurnContext) => Promise<string | undefined>;
  /** The chat's whole history (scrollback the screen no longer shows); absent when this chat UI keeps none the harness can read. */
  history?: ChatHistory;
  /** Which chat is active, as wg itself reports it (`wg --json tui-dump`). */
  describe: string;
}

/** Where a chat keeps what scrolled out of sight, and how to read a turn off it. */
export interface ChatHistory {
  /** Every line of the chat pane, scrolled-off ones included, given the current screen; undefined when unreadable. */
  read: (screen: readonly string[], turn: TurnContext) => Promise<string[] | undefined>;
  /** Reads a turn off those lines (the pane's own rows, no TUI chrome). */
  detector: TurnDetector;
}

export interface ChatDriver {
  readonly name: string;
  /** How this driver sets the build up, in words (for the probe report). */
  readonly setupPath: string;
  /** It drives wg's claude chat against the embedded endpoint (claude-local); others say so and skip. */
  readonly drivesClaudeLocal?: boolean;
  /** It opens a Pi chat (pi-local) where the build offers one; a build whose screens then show no Pi throws NoPiError. */
  readonly drivesPiLocal?: boolean;
  /** How it sets the build up with `--setup plain`; absent where the build has no chat launcher. */
  readonly plainSetupPath?: string;
  /** How it sets the build up with `--setup route` (`wg init --route NAME`); absent where the build has no named routes. */
  readonly routeSetupPath?: string;
  /** How it sets the build up for pi-local, when that differs from setupPath. */
  readonly piSetupPath?: string;
  /** The chat it opens for this target runs Pi (it needs `pi` on wg's PATH); absent: never. */
  readonly runsPi?: (kind: ChatTarget['kind']) => boolean;
  /** `wg init` and `wg service start` the way this wg offers; throws SetupError when it cannot. */
  setup(ctx: DriverContext): Promise<void>;
  /** Arguments of `wg tui` and extra variables for it. */
  tui(ctx: DriverContext): { args: string[]; env: Record<string, string> };
  /** Opens the chat the way a person does, and confirms which chat is active before typing. */
  open(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle>;
  /** Stops what setup started (service, tmux sessions); never touches anything else. */
  teardown(ctx: DriverContext): Promise<void>;
}

/** The build offers no Pi chat where a person would look for one (the New chat launcher has no Pi row): a loud, counted skip of pi-local, never a setup failure. */
export class NoPiError extends SkipError {
  constructor(message: string) {
    super(SKIP_LABEL.pi, message);
  }
}

/** This build does not offer the asked setup variant (`--setup plain` without a chat launcher): a counted skip. */
export class SetupNotOfferedError extends SkipError {
  constructor(variant: SetupVariant, message: string) {
    super(setupSkipped(variant), message);
  }
}

/** The build offers no claude chat on the path a person would take (late July's wg: chats take only Pi routes): a loud, counted skip of claude-local. */
export class NoClaudeError extends SkipError {
  constructor(message: string) {
    super(SKIP_LABEL.claude, message);
  }
}
