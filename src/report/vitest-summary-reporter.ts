import type { Reporter, TestModule } from 'vitest/node';

// Prints one plain closing line, identical on a TTY and in CI: `N passed, N failed, N skipped`.
// Specs that skip because a prerequisite (real wg, tmux, Pi) is missing say why in their skip note,
// and those notes are repeated here so a skip is never silent.
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const skipNotes = new Map<string, number>();
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') passed++;
        else if (result.state === 'failed') failed++;
        else {
          skipped++;
          const note = result.state === 'skipped' ? result.note : undefined;
          if (note) skipNotes.set(note, (skipNotes.get(note) ?? 0) + 1);
        }
      }
      // A module that failed to load (syntax error, missing import) has no tests but is a failure.
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    failed += unhandledErrors.length;
    for (const [note, count] of skipNotes) process.stdout.write(`SKIPPED (${count}): ${note}\n`);
    process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
