// patches/openai@6.49.0.patch: the SDK formats its debug-log details (every request header, a
// copy of the options) only when debug logging is on, as @anthropic-ai/sdk already does.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { withPreparedRequests } from './prepared-requests';

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
};

// A fetch that never enumerates the request headers, so every enumeration is the logger's.
const fetch = (async () =>
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
    fetch,
    logLevel,
    logger: { debug: log, info: log, warn: log, error: log },
  });
  return { client, counter };
}

const call = (client: OpenAI) =>
  client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

describe('the OpenAI SDK debug log (patched)', () => {
  it('formats no request details when debug logging is off', async () => {
    const logged: unknown[][] = [];
    const { client, counter } = countingClient('warn', logged);
    await call(client);
    await call(client);
    expect(counter.wrapped).toBe(1);
    expect(counter.listings).toBe(0);
    expect(logged).toEqual([]);
  });

  it('still logs every request in detail, credentials hidden, when debug logging is on', async () => {
    const logged: unknown[][] = [];
    const { client, counter } = countingClient('debug', logged);
    await call(client);
    await call(client);
    expect(counter.wrapped).toBe(1);
    expect(counter.listings).toBeGreaterThan(0);
    const messages = logged.map(([message]) => String(message).replace(/^\[log_[0-9a-f]+\] /, ''));
    expect(messages).toEqual(expect.arrayContaining(['sending request', 'response start', 'response parsed']));
    const sending = logged.findLast(([message]) => String(message).endsWith('sending request'))?.[1] as {
      headers: Record<string, string>;
    };
    expect(sending.headers.authorization).toBe('***');
    expect(JSON.stringify(logged)).not.toContain('sk-secret-0123');
  });
});
