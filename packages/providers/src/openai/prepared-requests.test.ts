import { acceptsLightSignals, LightAbortController } from '@tollgate/abort';
import OpenAI, { APIConnectionTimeoutError, APIUserAbortError, AzureOpenAI } from 'openai';
import { describe, expect, it } from 'vitest';
import { debugLines, recordingFetch, wire } from '../testing/recording-fetch';
import { withPreparedRequests } from './prepared-requests';

type SignalKind = 'node' | 'light' | 'none';
/** What the SDK handed fetch to cancel with: Node's AbortSignal or a light one. */
const signalKind = (signal: RequestInit['signal']): SignalKind =>
  signal instanceof AbortSignal ? 'node' : signal ? 'light' : 'none';

/** The fetch marked as taking light signals, as the gateway's upstream fetch is. */
const takingLight = (fetch: typeof globalThis.fetch) =>
  Object.assign(fetch, { [acceptsLightSignals]: true }) as typeof globalThis.fetch;

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
};
const chunk = { ...completion, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'hi' } }] };

/** Records what the SDK sends, and answers 500 to the calls listed in `failing`. */
const recording = (failing = new Set<number>()) =>
  recordingFetch(
    {
      failure: () => new Response('{"error":{"message":"down"}}', { status: 500, headers: { 'retry-after-ms': '1' } }),
      json: () => new Response(JSON.stringify(completion), { headers: { 'content-type': 'application/json' } }),
      stream: () =>
        new Response(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`, {
          headers: { 'content-type': 'text/event-stream' },
        }),
    },
    failing,
  );

const messages = [{ role: 'user' as const, content: 'Say hello' }];

/** The same calls through a client: models, timeouts, a signal, streams, a retried call. */
async function calls(client: OpenAI): Promise<void> {
  const signal = new AbortController().signal;
  for (const model of ['gpt-4o-mini', 'gpt-4o', 'gpt-4o-mini']) {
    await client.chat.completions.create({ model, messages, max_tokens: 5 }, { timeout: 60_000 });
  }
  await client.chat.completions.create({ model: 'gpt-4o', messages }, { timeout: 5_000, signal });
  await client.chat.completions.create({ model: 'gpt-4o', messages }, { timeout: 5_000, signal });
  const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true }, { timeout: 60_000 });
  for await (const _ of stream);
  // The 7th request fails, so the 8th is the SDK's retry of the same call (retry count 1).
  await client.chat.completions.create({ model: 'gpt-4o', messages }, { timeout: 60_000, maxRetries: 1 });
  await client.chat.completions.create({ model: 'gpt-4o', messages }, { headers: { 'x-call': 'one' } });
}

type Extra = Pick<NonNullable<ConstructorParameters<typeof OpenAI>[0]>, 'logLevel' | 'logger'>;
const clients: [string, (fetch: typeof globalThis.fetch, extra?: Extra) => [OpenAI, OpenAI]][] = [
  [
    'openai',
    (fetch, extra) => {
      const options = { apiKey: 'sk-secret-0123', baseURL: 'http://upstream.test/v1', maxRetries: 0, fetch, ...extra };
      return [new OpenAI(options), new (withPreparedRequests(OpenAI))(options)];
    },
  ],
  [
    'azure',
    (fetch, extra) => {
      const options = {
        apiKey: 'az-secret-0123',
        endpoint: 'http://upstream.test',
        apiVersion: '2024-10-21',
        maxRetries: 0,
        fetch,
        ...extra,
      };
      return [new AzureOpenAI(options), new (withPreparedRequests(AzureOpenAI))(options)];
    },
  ],
];

describe.each(clients)('prepared requests (%s)', (_name, make) => {
  it('send exactly what the SDK sends: URL, method, headers and body, call by call', async () => {
    const plain = recording(new Set([7]));
    const prepared = recording(new Set([7]));
    await calls(make(plain.fetch)[0]);
    await calls(make(prepared.fetch)[1]);

    expect(prepared.sent).toHaveLength(9);
    expect(prepared.sent.map(wire)).toEqual(plain.sent.map(wire));
    expect(prepared.sent[7]?.headers['x-stainless-retry-count']).toBe('1');
    expect(prepared.sent[3]?.headers['x-stainless-timeout']).toBe('5');
    expect(prepared.sent[8]?.headers['x-call']).toBe('one');
  });

  it('reuse the prepared headers after the first call of a kind, and go the SDK way for per-call headers', async () => {
    const prepared = recording(new Set([7]));
    await calls(make(prepared.fetch)[1]);
    const built = prepared.sent.map((s) => s.headersObject instanceof Headers);
    // The first call of each kind (model, timeout, retry count) is built by the SDK, repeats are
    // prepared (the stream too: same path and headers), and per-call headers go the SDK's way.
    expect(built).toEqual([true, true, false, true, false, false, false, true, true]);
  });

  it("cancel a fetch that takes light signals with one light signal, streams and the SDK's own calls with Node's", async () => {
    const plain = recording(new Set([7]));
    const light = recording(new Set([7]));
    await calls(make(plain.fetch)[0]);
    await calls(make(takingLight(light.fetch))[1]);
    expect(light.sent.map(wire)).toEqual(plain.sent.map(wire));
    // Built by the SDK (the first of each kind, the retry, per-call headers) or streaming (the
    // 6th): the SDK's signal. The 7th is prepared and fails, and the SDK retries it.
    expect(light.sent.map((s) => signalKind(s.signal))).toEqual([
      'node',
      'node',
      'light',
      'node',
      'light',
      'node',
      'light',
      'node',
      'node',
    ]);
    expect(plain.sent.every((s) => signalKind(s.signal) === 'node')).toBe(true);
  });

  it("time out and take the caller's abort on the light path as the SDK does on its own", async () => {
    const seen: SignalKind[] = [];
    // Answers nothing until aborted, then rejects as fetch does.
    const hanging = takingLight((async (_url: string, init: RequestInit) => {
      seen.push(signalKind(init.signal));
      const signal = init.signal as AbortSignal;
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    }) as unknown as typeof globalThis.fetch);
    const [, client] = make(hanging);
    const call = (options: { timeout: number; signal?: AbortSignal }) =>
      client.chat.completions.create({ model: 'gpt-4o', messages }, options);
    // The first call of a kind is built by the SDK; the second goes the light way.
    await expect(call({ timeout: 30 })).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    await expect(call({ timeout: 30 })).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    for (const caller of [new AbortController(), new LightAbortController()]) {
      setTimeout(() => caller.abort(), 20);
      await expect(call({ timeout: 60_000, signal: caller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    }
    expect(seen).toEqual(['node', 'light', 'node', 'light']);
  });

  it('keep credentials out of the SDK debug log on the prepared path', async () => {
    const { lines, logger } = debugLines();
    const { fetch } = recording();
    const [, client] = make(fetch, { logLevel: 'debug', logger });
    await client.chat.completions.create({ model: 'gpt-4o', messages }, { timeout: 60_000 });
    lines.length = 0;
    await client.chat.completions.create({ model: 'gpt-4o', messages }, { timeout: 60_000 });
    const log = lines.join('\n');
    expect(log).toContain('sending request');
    expect(log).toContain('***');
    expect(log).not.toMatch(/secret-0123/);
  });
});

it('prepared requests leave an API key given as a function to the SDK, which asks it on every call', async () => {
  const { sent, fetch } = recording();
  let turn = 0;
  const client = new (withPreparedRequests(OpenAI))({
    apiKey: async () => `sk-rotated-${++turn}`,
    baseURL: 'http://upstream.test/v1',
    maxRetries: 0,
    fetch,
  });
  for (let i = 0; i < 3; i++) await client.chat.completions.create({ model: 'gpt-4o', messages }, { timeout: 60_000 });
  expect(sent.map((s) => s.headers.authorization)).toEqual([
    'Bearer sk-rotated-1',
    'Bearer sk-rotated-2',
    'Bearer sk-rotated-3',
  ]);
});

// patches/openai@6.49.0.patch: the SDK formats its debug-log details (every request header, a
// copy of the options) only when debug logging is on, as @anthropic-ai/sdk already does.

// A fetch that never enumerates the request headers, so every enumeration is the logger's.
const quietFetch = (async () =>
  new Response(JSON.stringify(completion), {
    headers: { 'content-type': 'application/json' },
  })) as unknown as typeof globalThis.fetch;

/**
 * A client whose prepared request headers (plain fields, from its second call on) count how
 * often something lists them.
 */
function countingClient(logLevel: 'warn' | 'debug', logged: unknown[][]) {
  const counter = { wrapped: 0, listings: 0 };
  class Counting extends withPreparedRequests(OpenAI) {
    override async buildRequest(...args: Parameters<OpenAI['buildRequest']>) {
      const built = await super.buildRequest(...args);
      if (built.req.headers instanceof Headers) return built;
      counter.wrapped++;
      const headers = new Proxy(built.req.headers as Record<string, string>, {
        ownKeys(target) {
          counter.listings++;
          return Reflect.ownKeys(target);
        },
      });
      return { ...built, req: { ...built.req, headers: headers as unknown as Headers } };
    }
  }
  const log = (...args: unknown[]) => logged.push(args);
  const client = new Counting({
    apiKey: 'sk-secret-0123',
    baseURL: 'http://upstream.test/v1',
    maxRetries: 0,
    fetch: quietFetch,
    logLevel,
    logger: { debug: log, info: log, warn: log, error: log },
  });
  return { client, counter };
}

/** Two calls (the second on prepared headers) at a log level: what was logged and counted. */
async function twoCalls(logLevel: 'warn' | 'debug') {
  const logged: unknown[][] = [];
  const { client, counter } = countingClient(logLevel, logged);
  for (let i = 0; i < 2; i++)
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  expect(counter.wrapped).toBe(1);
  return { logged, listings: counter.listings };
}

describe('the OpenAI SDK debug log (patched)', () => {
  it('formats no request details when debug logging is off', async () => {
    const { logged, listings } = await twoCalls('warn');
    expect(listings).toBe(0);
    expect(logged).toEqual([]);
  });

  it('still logs every request in detail, credentials hidden, when debug logging is on', async () => {
    const { logged, listings } = await twoCalls('debug');
    expect(listings).toBeGreaterThan(0);
    const messages = logged.map(([message]) => String(message).replace(/^\[log_[0-9a-f]+\] /, ''));
    expect(messages).toEqual(expect.arrayContaining(['sending request', 'response start', 'response parsed']));
    const sending = logged.findLast(([message]) => String(message).endsWith('sending request'))?.[1] as {
      headers: Record<string, string>;
    };
    expect(sending.headers.authorization).toBe('***');
    expect(JSON.stringify(logged)).not.toContain('sk-secret-0123');
  });
});
