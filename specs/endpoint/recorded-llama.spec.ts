import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startEndpoint, type TrafficEntry } from '../../src/endpoint/index.js';
import { chatBody, eventually, post } from './helpers.js';

// Real llama-server answers, recorded by the proxy in live runs on real wg (snapshots/real-wg/*/
// nex-live-llama-server), served again offline: each recorded stream replays whole, and what the
// replay makes of it (reply, complete, the server's own numbers) is what the live run recorded.

const dirs = ['workgraph-5422563c', 'wg-b0892ea7'].map((b) => new URL(`../../snapshots/real-wg/${b}/nex-live-llama-server/`, import.meta.url).pathname);

describe.each(dirs)('the recording in %s', (dir) => {
  it('replays every exchange as the live run recorded it', async () => {
    const live = readFileSync(`${dir}endpoint-traffic.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TrafficEntry);
    const replay = await startEndpoint({ replay: { file: `${dir}endpoint-recording.ndjson` } });
    try {
      for (const entry of live) {
        const answer = await post(`${replay.baseUrl}${entry.path}`, chatBody('qwen3-coder', [entry.lastUser ?? '']));
        expect(answer.status).toBe(entry.status);
      }
      await eventually(() => (replay.traffic.length === live.length ? true : undefined), 60_000);
      for (const [i, entry] of live.entries()) {
        const again = replay.traffic[i];
        expect(again).toMatchObject({ mode: 'replay', lastUser: entry.lastUser, reply: entry.reply, complete: entry.complete });
        // llama.cpp's own numbers come back out of the recorded stream.
        expect(again?.relay?.finishReason).toBe(entry.relay?.finishReason);
        expect(again?.relay?.promptTokens).toBe(entry.relay?.promptTokens);
        expect(again?.relay?.chunks).toBe(entry.relay?.chunks);
      }
    } finally {
      await replay.close();
    }
  }, 120_000);
});
