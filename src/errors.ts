// One small family of errors. Callers branch on `name`/fields, never on message text.

/** Base of every error the harness raises on purpose. `cause` keeps the original error. */
export class HarnessError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Setup could not be done (wg missing, `wg init` failed, a port could not be bound). Exit code 3. */
export class SetupError extends HarnessError {}

/**
 * A loud, counted skip: this build does not offer what the scenario needs (no Pi chat, no claude
 * chat, a `--setup` variant it lacks). Never a setup failure; `label` starts the SKIP line.
 */
export class SkipError extends HarnessError {
  constructor(
    readonly label: string,
    message: string,
  ) {
    super(message);
  }
}

/** The labels of the loud skips, each written once. */
export const SKIP_LABEL = { pi: 'PI SMOKE SKIPPED', claude: 'CLAUDE SMOKE SKIPPED' } as const;

/** The loud skip of a `--setup` variant the build does not offer: `PLAIN SETUP SKIPPED`, `ROUTE SETUP SKIPPED`. */
export const setupSkipped = (variant: string): string => `${variant.toUpperCase()} SETUP SKIPPED`;

/** A user-supplied option is wrong. Names the option and the value it got. */
export class OptionError extends HarnessError {}

/** The exit status for an error that ended a command: 3, the harness's own, for every one of them (a bad option, setup, a bug). */
export const ERROR_EXIT_CODE = 3;

/**
 * wg itself showed the chat as failed while it was being opened (`Chat unavailable: …`, a refused
 * start, a death panel). Not a harness failure: it is a verdict on wg, a FAIL with wg's words.
 */
export class ChatFailedError extends Error {
  constructor(readonly words: string) {
    super(`wg showed the chat as failed: ${words}`);
    this.name = 'ChatFailedError';
  }
}
