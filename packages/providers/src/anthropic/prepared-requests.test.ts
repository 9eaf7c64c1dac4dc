import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { debugLines, recordingFetch, wire } from '../testing/recording-fetch';
import { withPreparedRequests } from './prepared-requests';

const message = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-3-5-haiku-latest',
  content: [{ type: 'text', text: 'hi' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 3, output_tokens: 1 },
};
const events = [
  ['message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null } }],
  ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } }],
  ['message_stop', { type: 'message_stop' }],
] as const;

/** Records what the SDK sends, and answers 500 to the calls listed in `failing`. */
const recording = (failing = new Set<number>()) =>
  recordingFetch(
    {
      failure: () =>
        new Response('{"type":"error","error":{"type":"api_error","message":"down"}}', {
          status: 500,
          headers: { 'content-type': 'application/json', 'retry-after-ms': '1' },
        }),
      json: () => new Response(JSON.stringify(message), { headers: { 'content-type': 'application/json' } }),
      stream: () =>
        new Response(events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join(''), {
          headers: { 'content-type': 'text/event-stream' },
        }),
    },
    failing,
  );

const messages = [{ role: 'user' as const, content: 'Say hello' }];

/** The same calls through a client: models, timeouts, a signal, a stream, a retried call, per-call headers. */
async function calls(client: Anthropic): Promise<void> {
  const signal = new AbortController().signal;
  for (const model of ['claude-3-5-haiku-latest', 'claude-sonnet-4-5', 'claude-3-5-haiku-latest']) {
    await client.messages.create({ model, messages, max_tokens: 5 }, { timeout: 60_000 });
  }
  await client.messages.create({ model: 'claude-sonnet-4-5', messages, max_tokens: 5 }, { timeout: 5_000, signal });
  await client.messages.create({ model: 'claude-sonnet-4-5', messages, max_tokens: 5 }, { timeout: 5_000, signal });
  const stream = await client.messages.create(
    { model: 'claude-sonnet-4-5', messages, max_tokens: 5, stream: true },
    { timeout: 60_000 },
  );
  for await (const _ of stream);
  // The 7th request fails, so the 8th is the SDK's retry of the same call (retry count 1).
  await client.messages.create(
    { model: 'claude-sonnet-4-5', messages, max_tokens: 5 },
    { timeout: 60_000, maxRetries: 1 },
  );
  await client.messages.create(
    { model: 'claude-sonnet-4-5', messages, max_tokens: 5 },
    { timeout: 60_000, headers: { 'x-call': 'one' } },
  );
  await client.messages.create(
    { model: 'claude-sonnet-4-5', messages, max_tokens: 5 },
    { timeout: 60_000, query: { beta: 'true' } },
  );
}

type Options = NonNullable<ConstructorParameters<typeof Anthropic>[0]>;
const make = (fetch: typeof globalThis.fetch, extra: Partial<Options> = {}): [Anthropic, Anthropic] => {
  const options = { apiKey: 'sk-ant-secret-0123', baseURL: 'http://upstream.test', maxRetries: 0, fetch, ...extra };
  return [new Anthropic(options), new (withPreparedRequests(Anthropic))(options)];
};

describe('prepared Anthropic requests', () => {
  it('send exactly what the SDK sends: URL, method, headers and body, call by call', async () => {
    const plain = recording(new Set([7]));
    const prepared = recording(new Set([7]));
    await calls(make(plain.fetch)[0]);
    await calls(make(prepared.fetch)[1]);

    expect(prepared.sent).toHaveLength(10);
    expect(prepared.sent.map(wire)).toEqual(plain.sent.map(wire));
    expect(prepared.sent[7]?.headers['x-stainless-retry-count']).toBe('1');
    expect(prepared.sent[3]?.headers['x-stainless-timeout']).toBe('5');
    expect(prepared.sent[8]?.headers['x-call']).toBe('one');
    expect(prepared.sent[9]?.url).toBe('http://upstream.test/v1/messages?beta=true');
  });

  it('reuse one set of headers per kind of call after its first, and go the SDK way for anything else', async () => {
    const { sent, fetch } = recording(new Set([7]));
    await calls(make(fetch)[1]);
    const shared = (i: number, j: number) => sent[i]?.headersObject === sent[j]?.headersObject;
    // Built by the SDK: the first of each kind (0, 1, 3), the retry (7), per-call headers (8), a
    // query (9). Prepared: the repeats (2 of 0; 4 of 3; 5, the stream, and 6 of 1).
    expect([shared(1, 4), shared(4, 5), shared(5, 6)]).toEqual([false, false, true]);
    expect(sent[2]?.headersObject).not.toBe(sent[0]?.headersObject);
    const again = recording();
    const [, client] = make(again.fetch);
    for (let i = 0; i < 3; i++)
      await client.messages.create({ model: 'claude-sonnet-4-5', messages, max_tokens: 5 }, { timeout: 60_000 });
    expect(again.sent[0]?.headersObject).not.toBe(again.sent[1]?.headersObject);
    expect(again.sent[1]?.headersObject).toBe(again.sent[2]?.headersObject);
    for (const i of [7, 8, 9]) for (const j of [1, 3]) expect(shared(i, j)).toBe(false);
  });

  it('share headers that refuse changes', async () => {
    const { sent, fetch } = recording();
    const [, client] = make(fetch);
    for (let i = 0; i < 2; i++)
      await client.messages.create({ model: 'claude-sonnet-4-5', messages, max_tokens: 5 }, { timeout: 60_000 });
    const headers = sent[1]?.headersObject as Headers;
    expect(headers).toBeInstanceOf(Headers);
    expect(() => headers.set('x-api-key', 'other')).toThrow(/shared/);
    expect(() => headers.append('x-extra', '1')).toThrow(/shared/);
    expect(() => headers.delete('x-api-key')).toThrow(/shared/);
    expect(sent[1]?.headers).toEqual(sent[0]?.headers);
  });

  it('leave an API key given as a function to the SDK, which asks it on every call', async () => {
    const { sent, fetch } = recording();
    let turn = 0;
    const client = new (withPreparedRequests(Anthropic))({
      apiKey: async () => `sk-ant-rotated-${++turn}`,
      baseURL: 'http://upstream.test',
      maxRetries: 0,
      fetch,
    });
    for (let i = 0; i < 3; i++)
      await client.messages.create({ model: 'claude-sonnet-4-5', messages, max_tokens: 5 }, { timeout: 60_000 });
    const credentials = sent.map((s) => s.headers.authorization ?? s.headers['x-api-key']);
    expect(credentials).toEqual([1, 2, 3].map((n) => expect.stringContaining(`sk-ant-rotated-${n}`)));
  });

  it('keep credentials out of the SDK debug log on the prepared path', async () => {
    const { lines, logger } = debugLines();
    const { fetch } = recording();
    const [, client] = make(fetch, { logLevel: 'debug', logger });
    await client.messages.create({ model: 'claude-sonnet-4-5', messages, max_tokens: 5 }, { timeout: 60_000 });
    lines.length = 0;
    await client.messages.create({ model: 'claude-sonnet-4-5', messages, max_tokens: 5 }, { timeout: 60_000 });
    const log = lines.join('\n');
    expect(log).toContain('sending request');
    expect(log).not.toMatch(/secret-0123/);
  });
});
