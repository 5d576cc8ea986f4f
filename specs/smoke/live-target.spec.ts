import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { normalizeRunOptions } from '../../src/smoke/options.js';
import { lenientServer, prepareTarget, recordingIn, redactUrl } from '../../src/smoke/targets.js';
import { startEndpoint } from '../../src/endpoint/index.js';
import { tempDir } from '../setup/temp.js';

// nex-live's target: through the recording proxy by default (wg's config holds the proxy's URL with
// the user's path), the user's URL itself with --direct. --replay-from takes what a user has at
// hand after a live failure: the record file, or the run's artifacts folder.

describe('--replay-from', () => {
  it('finds the recording in a run folder, two levels down, or takes the file itself', async () => {
    const run = tempDir('replay-from-');
    const file = join(run, 'nex-live', 'endpoint-recording.ndjson');
    mkdirSync(join(run, 'nex-live'));
    writeFileSync(file, '');
    expect(await recordingIn(run)).toBe(file);
    expect(await recordingIn(join(run, 'nex-live'))).toBe(file);
    expect(await recordingIn(file)).toBe(file);
  });

  it('says when there is none, or more than one, or no such path', async () => {
    const run = tempDir('replay-from-');
    await expect(recordingIn(run)).rejects.toThrow(/no endpoint-recording\.ndjson in it or two levels below/);
    for (const d of ['a', 'b']) {
      mkdirSync(join(run, d));
      writeFileSync(join(run, d, 'endpoint-recording.ndjson'), '');
    }
    await expect(recordingIn(run)).rejects.toThrow(/2 recordings found .*; name one/);
    await expect(recordingIn(join(run, 'nope'))).rejects.toThrow(OptionError);
  });

  it('does not go with options that change the answers', () => {
    expect(() => normalizeRunOptions({ 'replay-from': 'x', faults: 'f.yml' }, {})).toThrow(/--replay-from answers as the recording did/);
    expect(normalizeRunOptions({ 'replay-from': 'x' }, {}).replayFrom).toBe('x');
    expect(() => normalizeRunOptions({ direct: true }, {})).toThrow(/--direct hands wg your endpoint itself: it needs --endpoint URL/);
  });

  it('shows an endpoint with credentials masked', () => {
    expect(redactUrl('https://user:secret@h:30000/v1')).toBe('https://***@h:30000/v1');
    expect(redactUrl('http://127.0.0.1:8088')).toBe('http://127.0.0.1:8088');
  });
});

describe("nex-live's target", () => {
  it('goes through the recording proxy: wg gets its loopback URL with the server path, a FINDING says so', async () => {
    const server = await startEndpoint({});
    const dir = tempDir('live-target-');
    try {
      const options = normalizeRunOptions({ scenario: ['nex-live'], endpoint: `${server.baseUrl}/v1` }, {});
      const target = await prepareTarget('nex-live', options, join(dir, 'endpoint-traffic.ndjson'), {});
      if (target.kind !== 'ready') throw new Error(JSON.stringify(target));
      try {
        expect(target.endpoint?.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(target.target.endpointUrl).toBe(`${target.endpoint?.baseUrl}/v1`);
        expect(target.findings?.[0]).toMatch(
          new RegExp(`^wg's config holds the recording proxy ${target.endpoint?.baseUrl}/v1 standing in for ${server.baseUrl}/v1;`),
        );
        // What wg sends reaches the server unchanged, and the server's answer comes back.
        const answer = await fetch(`${target.target.endpointUrl}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'local:qwen3-coder', messages: [{ role: 'user', content: 'hi' }] }),
        });
        expect(answer.status).toBe(400); // the server's strictness decides: SGLang refuses the prefix
        expect(server.traffic.at(-1)?.model).toBe('local:qwen3-coder');
      } finally {
        await target.endpoint?.close();
      }
    } finally {
      await server.close();
    }
  });

  it('--direct: wg gets the URL itself, no proxy, and a FINDING says what that leaves unseen', async () => {
    const server = await startEndpoint({});
    try {
      const options = normalizeRunOptions({ scenario: ['nex-live'], endpoint: server.baseUrl, direct: true }, {});
      const target = await prepareTarget('nex-live', options, join(tempDir('live-target-'), 'endpoint-traffic.ndjson'), {});
      if (target.kind !== 'ready') throw new Error(JSON.stringify(target));
      expect(target.endpoint).toBeUndefined();
      expect(target.target.endpointUrl).toBe(server.baseUrl);
      expect(target.findings?.[0]).toMatch(/^--direct: wg's config holds http:\/\/127\.0\.0\.1:\d+ itself; no request is seen by the harness/);
    } finally {
      await server.close();
    }
  });
});

describe('a lenient server, said up front', () => {
  it("names llama.cpp's leniency from the Server header, and nothing for other servers", () => {
    expect(lenientServer('llama.cpp')[0]).toMatch(/^the server says it is llama\.cpp: llama-server answers any model name .* SGLang and vLLM refuse both/);
    expect(lenientServer('uvicorn')).toEqual([]);
    expect(lenientServer(undefined)).toEqual([]);
  });

  it('reads it off a server that answers as llama-server does (--flavor llamacpp)', async () => {
    const server = await startEndpoint({ flavor: 'llamacpp' });
    try {
      const options = normalizeRunOptions({ scenario: ['nex-live'], endpoint: server.baseUrl, direct: true }, {});
      const target = await prepareTarget('nex-live', options, join(tempDir('live-target-'), 'endpoint-traffic.ndjson'), {});
      if (target.kind !== 'ready') throw new Error(JSON.stringify(target));
      expect(target.findings?.[0]).toMatch(/^the server says it is llama\.cpp:/);
    } finally {
      await server.close();
    }
  });
});
