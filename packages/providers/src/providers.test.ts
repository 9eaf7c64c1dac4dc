import Anthropic from '@anthropic-ai/sdk';
import { type FakeUpstream, startFakeUpstream } from '@tollgate/test-tools';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from './anthropic/adapter';
import { isAbortError, normaliseProviderError, ProviderError } from './errors';
import { createAzureOpenAIProvider, createOpenAIProvider } from './openai/adapter';
import { withRetries } from './retry';
import type { ChatProvider, ChatRequest, StreamEvent } from './types';

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const providers: [string, () => ChatProvider, string][] = [
  ['openai', () => createOpenAIProvider({ apiKey: 'sk-test', baseURL: fake.openaiBaseUrl }), 'gpt-4o-mini'],
  [
    'azure',
    () => createAzureOpenAIProvider({ apiKey: 'az-test', endpoint: fake.azureEndpoint, apiVersion: '2024-10-21' }),
    'prod-deployment',
  ],
  [
    'anthropic',
    () => createAnthropicProvider({ apiKey: 'ant-test', baseURL: fake.anthropicBaseUrl }),
    'claude-3-5-haiku-latest',
  ],
];

const request = (model: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model,
  max_tokens: 100,
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Say hello to the gateway' },
  ],
  ...extra,
});

async function collect(stream: AsyncIterable<StreamEvent>) {
  let text = '';
  let done: Extract<StreamEvent, { type: 'done' }> | null = null;
  for await (const e of stream) {
    if (e.type === 'delta') text += e.content ?? '';
    else done = e;
  }
  return { text, done };
}

describe.each(providers)('%s adapter against the fake upstream', (name, make, model) => {
  it('completes with normalised content, finish reason and usage', async () => {
    const result = await make().complete(request(model));
    expect(result.content).toBe('Tollgate fake upstream says hello and counts every token it sends back');
    expect(result.finish_reason).toBe('stop');
    // prompt: (2 + 1) + (5 + 1) = 9 tokens; completion: 12.
    expect(result.usage).toMatchObject({ inputTokens: 9, outputTokens: 12 });
    const sent = fake.requests.at(-1);
    expect(sent?.provider).toBe(name);
    if (name === 'anthropic') {
      expect(sent?.body).toMatchObject({ system: 'Be brief.', max_tokens: 100 });
      // SDK 1.x may send the key as x-api-key or as a bearer token.
      expect(`${sent?.headers['x-api-key'] ?? ''} ${sent?.headers.authorization ?? ''}`).toContain('ant-test');
    } else {
      expect(sent?.body).toMatchObject({ max_tokens: 100 });
    }
  });

  it('streams deltas as they arrive and ends with the final usage', async () => {
    const { text, done } = await collect(await make().stream(request(model, { max_tokens: 5 })));
    expect(text).toBe('Tollgate fake upstream says hello');
    expect(done).toMatchObject({ finish_reason: 'length', usage: { inputTokens: 9, outputTokens: 5 } });
    if (name !== 'anthropic')
      expect(fake.requests.at(-1)?.body).toMatchObject({ stream_options: { include_usage: true } });
  });

  it('reports cached input tokens in the normalised way', async () => {
    const result = await make().complete(
      request(model, { messages: [{ role: 'user', content: 'long context [[cached:3]] here' }] }),
    );
    expect(result.usage).toMatchObject({ inputTokens: 5, cacheReadTokens: 3 });
  });

  it('translates tool calls both ways', async () => {
    const result = await make().complete(
      request(model, {
        tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }],
        tool_choice: 'auto',
        messages: [{ role: 'user', content: 'please [[tool]]' }],
      }),
    );
    expect(result.finish_reason).toBe('tool_calls');
    expect(result.tool_calls).toEqual([
      { id: expect.any(String), type: 'function', function: { name: 'lookup', arguments: '{"query":"tollgate"}' } },
    ]);
    const followUp = await make().complete(
      request(model, {
        messages: [
          { role: 'user', content: 'please' },
          { role: 'assistant', content: null, tool_calls: result.tool_calls },
          { role: 'tool', content: 'result text', tool_call_id: result.tool_calls[0]?.id },
        ],
      }),
    );
    expect(followUp.finish_reason).toBe('stop');
  });

  it('a stream that ends without usage says so', async () => {
    fake.enqueue({ kind: 'no_usage' });
    const { done } = await collect(await make().stream(request(model)));
    expect(done?.usage).toBeNull();
  });

  it('streams a tool call in pieces that add up to the call', async () => {
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    let done: Extract<StreamEvent, { type: 'done' }> | null = null;
    const stream = await make().stream(
      request(model, {
        tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }],
        messages: [{ role: 'user', content: 'please [[tool]]' }],
      }),
    );
    for await (const e of stream) {
      if (e.type === 'done') done = e;
      for (const t of (e.type === 'delta' && e.tool_calls) || []) {
        const call = calls.get(t.index) ?? { id: '', name: '', arguments: '' };
        calls.set(t.index, {
          id: t.id ?? call.id,
          name: t.name ?? call.name,
          arguments: call.arguments + (t.arguments ?? ''),
        });
      }
    }
    expect([...calls.values()]).toEqual([
      { id: expect.stringMatching(/./), name: 'lookup', arguments: '{"query":"tollgate"}' },
    ]);
    expect(done?.finish_reason).toBe('tool_calls');
  });

  it('a stream the provider fails mid-way with an error event fails, after the deltas before it', async () => {
    fake.enqueue({ kind: 'stream_error', afterChunks: 4 });
    let text = '';
    const error = await (async () => {
      for await (const e of await make().stream(request(model))) if (e.type === 'delta') text += e.content ?? '';
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'unknown' });
    expect((error as Error).message).not.toContain('fake upstream error');
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain('fake upstream error');
  });

  it('a stream aborted mid-way ends quietly, as the SDKs end it', async () => {
    fake.set({ chunkDelayMs: 20 });
    const controller = new AbortController();
    const seen: StreamEvent['type'][] = [];
    for await (const e of await make().stream(request(model), { signal: controller.signal })) {
      seen.push(e.type);
      if (e.type === 'delta') controller.abort();
    }
    expect(seen).toEqual(['delta', 'done']);
  });

  it('normalises errors without echoing the provider body', async () => {
    fake.enqueue({ kind: 'status', status: 429, retryAfterSec: 2 });
    const limited = await make()
      .complete(request(model))
      .catch((e: unknown) => e);
    expect(limited).toMatchObject({ kind: 'rate_limited', status: 429, retryable: true, retryAfterMs: 2000 });
    expect((limited as Error).message).not.toContain('fake upstream error');

    fake.enqueue({ kind: 'status', status: 500 });
    expect(
      await make()
        .complete(request(model))
        .catch((e: unknown) => e),
    ).toMatchObject({ kind: 'server_error', retryable: true });

    fake.enqueue({ kind: 'status', status: 400 });
    expect(
      await make()
        .complete(request(model))
        .catch((e: unknown) => e),
    ).toMatchObject({ kind: 'bad_request', retryable: false });

    fake.enqueue({ kind: 'hang' });
    expect(
      await make()
        .complete(request(model), { timeoutMs: 200 })
        .catch((e: unknown) => e),
    ).toMatchObject({ kind: 'timeout' });

    fake.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(
      await make()
        .complete(request(model), { signal: controller.signal })
        .catch((e: unknown) => e),
    ).toMatchObject({
      kind: 'aborted',
    });
  });
});

describe('aborts', () => {
  it("are aborted whoever reports them: either SDK, or fetch's AbortError; other failures are not", () => {
    for (const error of [
      new OpenAI.APIUserAbortError(),
      new Anthropic.APIUserAbortError(),
      new DOMException('This operation was aborted', 'AbortError'),
    ]) {
      expect(isAbortError(error)).toBe(true);
      expect(normaliseProviderError(error, 'openai').kind).toBe('aborted');
    }
    expect(isAbortError(new TypeError('fetch failed'))).toBe(false);
    expect(normaliseProviderError(new TypeError('fetch failed'), 'openai').kind).toBe('unknown');
  });
});

describe('quota errors', () => {
  it('are never retryable', async () => {
    fake.enqueue({ kind: 'status', status: 429, code: 'insufficient_quota' });
    const error = await createOpenAIProvider({ apiKey: 'k', baseURL: fake.openaiBaseUrl })
      .complete(request('gpt-4o-mini'))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'quota_exceeded', retryable: false });
  });
});

describe('withRetries', () => {
  const policy = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5_000 };
  const norm = (e: unknown) => e as ProviderError;

  it('retries transient failures after retry-after, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const started = Date.now();
    const result = await withRetries(
      async () => {
        calls++;
        if (calls === 1) throw new ProviderError('rate_limited', 429, true, 300, 'rate');
        return 'ok';
      },
      norm,
      policy,
      { onRetry: (_e, d) => delays.push(d) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(2);
    expect(delays).toEqual([300]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('gives up after maxRetries, and never retries what is not retryable', async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw new ProviderError('server_error', 500, true, null, 'boom');
        },
        norm,
        policy,
      ),
    ).rejects.toMatchObject({ kind: 'server_error' });
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw new ProviderError('quota_exceeded', 429, false, null, 'quota');
        },
        norm,
        policy,
      ),
    ).rejects.toMatchObject({ kind: 'quota_exceeded' });
    expect(calls).toBe(1);
  });

  it('does not wait for a retry-after longer than allowed', async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw new ProviderError('rate_limited', 429, true, 60_000, 'later');
        },
        norm,
        policy,
      ),
    ).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(calls).toBe(1);
  });
});
