import { defineConfig } from 'vitest/config';

// The summary reporter prints the plain `N passed, N failed, N skipped` line that CI reads;
// vitest's own summary changes shape with the terminal, ours never does.
export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts'],
    // Fails a spec file that leaves a process, a listening socket or a temp file behind.
    setupFiles: ['./specs/setup/no-leaks.ts'],
    reporters: ['default', './src/report/vitest-summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real ptys and real processes: two cores, so keep the pool small and predictable.
    pool: 'forks',
    maxWorkers: 2,
  },
});
