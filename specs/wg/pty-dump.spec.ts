import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finalErrorReport, lastWordsFromDump } from '../../src/wg/transcripts/pty-dump.js';
import { tempDir } from '../setup/temp.js';

// nex's last words in wg's pty dump after 503s on every attempt (the shape seen on workgraph
// 5422563c): retry notices, the spinner not ended before the report, anyhow's exit report.

const DUMP = [
  '\x1b[1;36m> \x1b[0m\r\x1b[1;36m> \x1b[0mhi\r\n',
  '[openai-client] Streaming error (attempt 1/3): API error 503: busy. Retrying in 1245ms\r\n',
  '[nex] API error 503 — retrying (1/3)\r\n',
  '\x1b[38;5;196m↯\x1b[38;5;46m↯↯↯↯\x1b[0m \x1b[2;38;5;244m7s\x1b[0mError: Streaming request failed after retries\n',
  '\nCaused by:\n    API error 503: {"object":"error","message":"Service Unavailable","code":503}\n\nStack backtrace:\n   0: anyhow::error::x\n',
].join('');

describe("nex's last words", () => {
  it('is the final exit report with its causes, not the first retry notice', async () => {
    const dir = tempDir('wg-e2e-dump-');
    writeFileSync(join(dir, 'ptydump.wg.123.bin'), DUMP);
    const words = await lastWordsFromDump(join(dir, 'ptydump'), { text: 'hi', index: 1 });
    expect(words).toBe('Error: Streaming request failed after retries: API error 503: {"object":"error","message":"Service Unavailable","code":503}');
    expect(words).not.toMatch(/Retrying in|retrying \(1\/3\)/);
  });

  it('joins numbered causes and stops at the backtrace', () => {
    const lines = [
      'Error: API request failed',
      '',
      'Caused by:',
      '    0: Streaming request failed after retries',
      '    1: API error 400: LoRA is not enabled',
      '',
      'Stack backtrace:',
      '   0: x',
    ];
    expect(finalErrorReport(lines)).toBe('Error: API request failed: Streaming request failed after retries: API error 400: LoRA is not enabled');
    expect(finalErrorReport(['> hi', 'Hello!'])).toBeUndefined();
  });
});
