// Entry point for running the endpoint alone: `node --import tsx src/endpoint/command-main.ts [options]`.
import { ExitError, OptionError, SetupError } from '../errors.js';
import { runEndpointCommand } from './command.js';

// Exit codes follow the harness: 2 for a bad option, 3 for setup trouble, 1 for anything else.
runEndpointCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`wg-tui-e2e endpoint: ${(error as Error).message ?? error}\n`);
    process.exitCode =
      error instanceof ExitError ? error.exitCode : error instanceof OptionError ? 2 : error instanceof SetupError ? 3 : 1;
  },
);
