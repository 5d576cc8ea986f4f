// Entry point for running the endpoint alone: `node --import tsx src/endpoint/command-main.ts [options]`.
import { ERROR_EXIT_CODE } from '../errors.js';
import { runEndpointCommand } from './command.js';

// Exit codes are the harness's (src/cli.ts): 0 after a clean stop, 3 for any error.
runEndpointCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`wg-tui-e2e endpoint: ${(error as Error).message ?? error}\n`);
    process.exitCode = ERROR_EXIT_CODE;
  },
);
