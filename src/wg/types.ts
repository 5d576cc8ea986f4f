import { SKIP_LABEL, SkipError, setupSkipped } from '../errors.js';
import type { TranscriptCheck } from '../report/model.js';
import type { TerminalSession } from '../terminal/index.js';
import type { TurnContext, TurnDetector } from './surfaces/observation.js';
import type { WgEnvironment } from './environment.js';
import type { WgCapabilities } from './probe.js';
import type { CommandRecord } from './workspace.js';

// The words of the wg layer. A *generation* is a chat era of wg's history (how a build is set up,
// how a person opens its chat); a *surface* is what a turn is read from (the nex REPL, Pi, the
// composer, claude). Each generation is one module in the table of src/wg/generations/; nothing
// above src/wg/ branches on a generation: the smoke reads the table and asks the generation to set
// up, open the chat, read turns and clean up.

/**
 * The ways of setting a project up (`--setup`). `literal`: the user's command first, then the
 * nearest setup the build offers. `plain`: `wg init` with no model flags, the chat made in the
 * TUI's New chat launcher. `route`: `wg init --route NAME`, the build's own named setup route for
 * the scenario (see setupRoute).
 */
export const SETUP_VARIANTS = ['literal', 'plain', 'route'] as const;
export type SetupVariant = (typeof SETUP_VARIANTS)[number];

/**
 * When `wg tui` starts after `wg service start` (`--startup`). `person`: as soon as the command
 * returns, as the user typed `wg tui` a second later (the default: the smoke reproduces what the
 * user did, and the races of a daemon still starting are theirs). `settled`: once the daemon's files
 * say it is up (service/state.json with a live pid, its socket) and, where the build's daemon runs a
 * chat handler, that handler holds the chat's lock: the TUI never meets a daemon half-started.
 */
export const STARTUPS = ['person', 'settled'] as const;
export type Startup = (typeof STARTUPS)[number];

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
  /** When `wg tui` starts after `wg service start` (`--startup`); see STARTUPS. */
  startup: Startup;
  /** Cancels the wg commands of setup and open when the run is stopped; cleared before teardown, whose commands must run. */
  cancel?: AbortSignal;
  /**
   * Said by the opener the moment wg has launched a chat (Enter on a launcher row, the implicit
   * chat's pane or banner drawn), in words. From then on a chat that never becomes ready is wg's
   * verdict (chat-stuck, exit 1), not a setup failure: a bisect must not skip the build that has
   * the bug. The first call's words are kept.
   */
  launched: (what: string) => void;
  /**
   * wg failed outside any message (its own chat died before anything was typed), in words with the
   * screen's evidence: a counted failure (exit 1), while the opener goes on as a person would.
   */
  wgFailed: (what: string) => void;
}

export interface ChatHandle {
  /** The detector for turns in this chat. */
  detector: TurnDetector;
  /** wg's transcript for this chat, to cross-check the screen. */
  readTranscript: (turn: TurnContext) => Promise<TranscriptCheck>;
  /** The chat's last words after this turn's message, when its pane vanished. */
  lastWords?: (turn: TurnContext) => Promise<string | undefined>;
  /** The chat's whole history (scrollback the screen no longer shows); absent when this surface keeps none the harness can read. */
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

/** What a scenario's chat talks to: the user's nex flow (endpoint), a Pi chat (pi), the claude CLI (claude). */
export type TargetKind = ChatTarget['kind'];
export const TARGET_KINDS: readonly TargetKind[] = ['endpoint', 'pi', 'claude'];

/** A chat era's name (`composer`, `nex-pane`, `nex-tmux`, `pi-tmux`); the table in generations/index.ts is the one list. */
export type GenerationName = string;

/** A program the chat runs on besides wg, which the machine must have. */
export type Tool = 'tmux' | 'pi' | 'claude';

/** One way of setting a build up for one kind of chat, as a person runs it. */
export interface SetupEntry {
  /** The commands, in words (the probe report, the `setup offered` table, run.json). */
  readonly path: string;
  /** `wg init`, `wg service start` and what else this way needs; throws SetupError when wg refuses. */
  run(ctx: DriverContext): Promise<void>;
}

/** The setups a build offers, by variant and kind of chat. An absent entry is a counted skip. */
export type SetupTable = { readonly [V in SetupVariant]?: { readonly [K in TargetKind]?: SetupEntry } };

/** Facts read off a build's help texts, from which the probe recognises its generation. */
export interface BuildFacts {
  subcommands: readonly string[];
  init: WgCapabilities['init'];
  nexSubcommand: boolean;
  chatCreate: boolean;
  /** `wg init` takes `pi:` routes or `--route`. */
  piRoutes: boolean;
  /** `wg chat` takes --coordinator. */
  chatCoordinator: boolean;
  /** `wg config --coordinator-executor` exists (assumed where `wg config --help` was not recorded). */
  coordinatorExecutor: boolean;
}

/** One chat era of wg: how the probe knows it, what it needs, how it is set up, opened and torn down. */
export interface Generation {
  readonly name: GenerationName;
  /** When wg had it and what a person sees, in words. */
  readonly era: string;
  /** Why these facts are this generation's, in words; undefined when they are not. The table is asked newest first. */
  recognise(facts: BuildFacts): string[] | undefined;
  /** The tools its chat of this kind runs on besides wg. */
  needs(kind: TargetKind): readonly Tool[];
  /** What this build offers, by variant and kind (a build of the generation may lack a flag or Pi). */
  setups(caps: WgCapabilities): SetupTable;
  /** Why a whole variant is absent here (no launcher, no routes), for the skip line. */
  readonly notOffered?: Partial<Record<SetupVariant, string>>;
  /** The surface each kind's turns are read from when a recording did not say (replays). */
  readonly surface: Readonly<Record<TargetKind, string>>;
  /** Opens the chat the way a person does, and confirms which chat is active before typing. */
  open(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle>;
  /**
   * The chat a person opened with their own keys (a replayed trace): its handle, read off the screen
   * and wg's tui-dump, pressing no key; undefined when no surface of this generation shows.
   */
  attach(session: TerminalSession, ctx: DriverContext): Promise<ChatHandle | undefined>;
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
