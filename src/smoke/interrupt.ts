// Ctrl-C and SIGTERM still tear down what a scenario started: each running scenario registers
// its teardown here, and the first signal runs them all before the process exits (130/143).

const teardowns = new Set<() => Promise<void>>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nwg-tui-e2e: ${signal}: tearing down (service, tmux sessions, processes) …\n`);
      const all = [...teardowns].map((t) => t().catch((error: Error) => void process.stderr.write(`wg-tui-e2e: teardown failed: ${error.stack ?? error}\n`)));
      void Promise.all(all).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}

/** Runs `teardown` on an interrupt until the returned function is called. */
export function onInterrupt(teardown: () => Promise<void>): () => void {
  install();
  teardowns.add(teardown);
  return () => teardowns.delete(teardown);
}
