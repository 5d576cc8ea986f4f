import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { keyTarget, parseTrace, redactTrace, type TraceEntry } from '../../src/wg/trace.js';
import { tempDir } from '../setup/temp.js';
import { captured } from '../setup/captured.js';

// `wg-tui-e2e trace redact`: the text a user typed goes (one `x` per key), the way they went stays.

const FIXTURES = new URL('../fixtures/wg-traces/', import.meta.url).pathname;
const key = (code: string, modifiers: string, state: TraceEntry['state'], t = 1): TraceEntry => ({ t, event: { type: 'Key', code, modifiers }, state });
const codes = (entries: TraceEntry[]) =>
  entries.map((e) => (e.event.type === 'Key' ? `${e.event.modifiers ? `${e.event.modifiers}+` : ''}${e.event.code}` : e.event.type));

describe('which keys were text', () => {
  it("reads July's input mode and route", () => {
    expect(keyTarget({ input_mode: 'Normal', chat_input_route: 'embedded_vendor_pty' }).target).toBe('text');
    expect(keyTarget({ input_mode: 'ChatInput', chat_input_route: 'native_composer' }).target).toBe('text');
    expect(keyTarget({ input_mode: 'Normal', chat_input_route: 'startup_buffer' }).target).toBe('text');
    expect(keyTarget({ input_mode: 'TextPrompt(RenameChat)', chat_input_route: null }).target).toBe('text');
    expect(keyTarget({ input_mode: 'Normal', chat_input_route: null }).target).toBe('navigation');
    expect(keyTarget({ input_mode: 'Normal', chat_input_route: 'host_chat_navigation' }).target).toBe('navigation');
    expect(keyTarget({ input_mode: 'ScrollMode { task_id: "t" }', chat_input_route: null }).target).toBe('navigation');
    expect(keyTarget({ input_mode: 'SomethingNew', chat_input_route: null })).toEqual({ target: 'unsure', why: 'input mode SomethingNew not known' });
  });

  it('before July: the chat panel and search are text, anything else cannot be told', () => {
    expect(keyTarget({ focused_panel: 'right_panel', right_panel_tab: 'chat' }).target).toBe('text');
    expect(keyTarget({ focused_panel: 'graph', search_active: true }).target).toBe('text');
    expect(keyTarget({ focused_panel: 'graph', search_active: false }).target).toBe('unsure');
  });
});

describe('redactTrace', () => {
  it('replaces typed text one for one and keeps commands, named keys and other events', () => {
    const nav = { input_mode: 'Normal', chat_input_route: null, focused_panel: 'graph' };
    const chat = { input_mode: 'Normal', chat_input_route: 'embedded_vendor_pty', focused_panel: 'right_panel' };
    const entries: TraceEntry[] = [
      key('n', '', nav),
      key('Down', '', { ...nav, input_mode: 'Launcher' }),
      key('S', 'Shift', chat),
      key('é', '', chat),
      key(' ', '', chat),
      key('o', 'Ctrl', chat),
      { t: 2, event: { type: 'Paste', len: 42 }, state: chat },
      key('Enter', '', chat),
      { t: 3, event: { type: 'Resize', width: 100, height: 30 }, state: nav },
    ];
    const r = redactTrace(entries);
    expect(codes(r.entries)).toEqual(['n', 'Down', 'x', 'x', 'x', 'Ctrl+o', 'Paste', 'Enter', 'Resize']);
    expect(r.redacted).toEqual({ 'chat input (embedded_vendor_pty)': 3 });
    expect(r.keptCommands).toBe(1);
    expect(r.keptOther).toBe(5);
    expect(r.entries[6]).toEqual(entries[6]);
    expect(r.entries.map((e) => [e.t, e.state])).toEqual(entries.map((e) => [e.t, e.state]));
  });
});

describe('wg-tui-e2e trace redact', () => {
  it("redacts a trace kept on wg 2b52e303: `hi` typed into Pi's pane becomes `xx`, the launcher's Enter stays", async () => {
    const dir = tempDir('wg-e2e-trace-');
    const file = join(dir, 'wg-trace.jsonl');
    copyFileSync(join(FIXTURES, 'wg-2b52e303.jsonl'), file);
    const { value, text } = await captured(process.stdout, () => main(['trace', 'redact', file]));
    expect(value).toBe(0);
    expect(text).toContain('redacted 2 typed keys');
    expect(text).toContain('  2 chat input (embedded_vendor_pty)');
    expect(text).toContain(`wrote ${join(dir, 'wg-trace.redacted.jsonl')}`);
    const out = parseTrace(readFileSync(join(dir, 'wg-trace.redacted.jsonl'), 'utf8'));
    expect(codes(out)).toEqual(['Enter', 'x', 'x', 'Enter']);
    expect(readFileSync(join(dir, 'wg-trace.redacted.jsonl'), 'utf8')).not.toMatch(/"code":"[hi]"/);
  });

  it('an April trace (no input mode): keys in the chat panel are text; --out names the file', async () => {
    const dir = tempDir('wg-e2e-trace-');
    const out = join(dir, 'clean.jsonl');
    const { value, text } = await captured(process.stdout, () => main(['trace', 'redact', join(FIXTURES, 'workgraph-5422563c.jsonl'), '--out', out]));
    expect(value).toBe(0);
    expect(text).toContain('  2 the chat panel');
    expect(codes(parseTrace(readFileSync(out, 'utf8')))).toEqual(['x', 'x', 'Enter']);
  });

  it('refuses a file that is not a wg trace, naming the line', async () => {
    const dir = tempDir('wg-e2e-trace-');
    const file = join(dir, 'notes.jsonl');
    writeFileSync(file, '{"t":0.1,"event":{"type":"FocusGained"},"state":{}}\nhello\n');
    const { value, text } = await captured(process.stderr, () => main(['trace', 'redact', file]));
    expect(value).toBe(3);
    expect(text).toMatch(/is not a wg trace: line 2: not JSON/);
  });
});
