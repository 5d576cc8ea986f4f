import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chatDirFor, checkNexJournal, checkPiSession } from '../../src/wg/transcripts/journals.js';

// The transcripts wg writes, in the shapes seen on real builds: the nex journal (workgraph,
// April 2026) and Pi's session JSONL (graphwork/wg, August 2026).

const jsonl = (...records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
const turn = { text: 'hi', index: 1 };

// Every folder a case makes is removed after it.
const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function chat(files: Record<string, string>): Promise<{ wgDir: string; dir: string }> {
  const wgDir = await mkdtemp(join(tmpdir(), 'wg-transcript-'));
  made.push(wgDir);
  const dir = join(wgDir, 'chat', '01ab');
  await mkdir(join(dir, 'pi-sessions'), { recursive: true });
  await writeFile(join(wgDir, 'chat', 'sessions.json'), JSON.stringify({ version: 1, sessions: { '01ab': { aliases: ['coordinator-1', '1'] } } }));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return { wgDir, dir };
}

describe('transcripts', () => {
  it('finds a chat folder by alias through sessions.json', async () => {
    const { wgDir, dir } = await chat({});
    expect(await chatDirFor(wgDir, 'coordinator-1')).toBe(dir);
    expect(await chatDirFor(wgDir, 'coordinator-7')).toBeUndefined();
  });

  it('nex journal: a user turn journaled twice and no assistant is missing; a reply is ok', async () => {
    const user = { entry_type: 'message', role: 'user', content: [{ type: 'text', text: 'hi' }] };
    const broken = await chat({ 'conversation.jsonl': jsonl({ entry_type: 'init' }, user, user) });
    expect((await checkNexJournal(broken.dir, turn)).status).toBe('missing');
    const fixed = await chat({
      'conversation.jsonl': jsonl(user, { entry_type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Reply 1 to: hi' }] }),
    });
    expect(await checkNexJournal(fixed.dir, turn)).toMatchObject({ status: 'ok', detail: 'Reply 1 to: hi' });
  });

  it('Pi session: stopReason error is an error, whatever the screen shows', async () => {
    const { dir } = await chat({
      'pi-sessions/2026-11-25_chat-0.jsonl': jsonl(
        { type: 'session', version: 3 },
        { type: 'message', message: { role: 'user', content: [{ type: 'text', text: 'hi' }] } },
        { type: 'message', message: { role: 'assistant', content: [], stopReason: 'error', errorMessage: '400 status code (no body)' } },
      ),
    });
    expect(await checkPiSession(dir, turn)).toMatchObject({ status: 'error', detail: 'error: 400 status code (no body)' });
  });

  it('says unavailable without a chat folder, and tolerates a half-written last line', async () => {
    expect((await checkPiSession(undefined, turn)).status).toBe('unavailable');
    // A reply journaled whole, then a line still being written: the whole lines are read (without
    // the guard the journal could not be read at all, and the reply would be missing).
    const reply = { entry_type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Reply 1 to: hi' }] };
    const { dir } = await chat({ 'conversation.jsonl': `${jsonl({ entry_type: 'message', role: 'user', content: 'hi' }, reply)}{"entry_type":"mess` });
    expect(await checkNexJournal(dir, turn)).toMatchObject({ status: 'ok', assistantText: 'Reply 1 to: hi' });
  });
});
