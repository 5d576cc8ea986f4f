// Ctrl-C and SIGTERM still tear down what a scenario started: each running scenario registers
// its teardown here, and the first signal runs them all before the process exits (130/143).
// The handlers exist only while a teardown is registered, so the process's default signal
// behaviour (and any host's, such as a test runner's worker) is untouched the rest of the time.

const teardowns = new Set<() => Promise<void>>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function onSignal(signal: (typeof SIGNALS)[number]): void {
  process.stderr.write(`\nwg-tui-e2e: ${signal}: tearing down (service, tmux sessions, processes) …\n`);
  const all = [...teardowns].map((t) => t().catch((error: Error) => void process.stderr.write(`wg-tui-e2e: teardown failed: ${error.stack ?? error}\n`)));
  void Promise.all(all).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
}

const handlers = new Map(SIGNALS.map((signal) => [signal, () => onSignal(signal)]));

/** Runs `teardown` on an interrupt until the returned function is called. */
export function onInterrupt(teardown: () => Promise<void>): () => void {
  if (teardowns.size === 0) for (const [signal, handler] of handlers) process.once(signal, handler);
  teardowns.add(teardown);
  return () => {
    teardowns.delete(teardown);
    if (teardowns.size === 0) for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}
