import type { AppRouter } from '@tollgate/api';
import { costMicros, lookupCatalog } from '@tollgate/pricing';
import { type FakeUpstream, startFakeUpstream } from '@tollgate/test-tools';
import { createTRPCClient, httpBatchStreamLink, httpLink } from '@trpc/client';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer, upstreamEnv } from './testing/test-server';

const PROVIDERS = [
  { provider: 'openai', model: 'gpt-4o-mini', priced: ['openai', 'gpt-4o-mini'] },
  { provider: 'azure', model: 'prod-chat', priced: ['azure', 'gpt-4o-mini'] },
  { provider: 'anthropic', model: 'claude-3-5-haiku-latest', priced: ['anthropic', 'claude-3-5-haiku-latest'] },
] as const;

/** What the fake upstream reports for one user message: (words + 1) prompt tokens, `reply` completion tokens. */
function expectedCost(priced: readonly [string, string], prompt: string, reply: number): number {
  const entry = lookupCatalog(priced[0] as 'openai', priced[1], new Date());
  if (!entry) throw new Error('unpriced');
  const input = prompt.split(/\s+/).filter(Boolean).length + 1;
  return costMicros(entry.sheet, {
    inputTokens: input,
    outputTokens: reply,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  });
}

describe.each([
  ['memory', false],
  ['redis', true],
] as const)('completions through every entry point (%s store)', (_store, useRedis) => {
  let fake: FakeUpstream;
  let server: TestServer;
  let userKey: string;
  const userId = `cu${Math.floor(Math.random() * 1e9)}`;

  beforeAll(async () => {
    fake = await startFakeUpstream();
    server = await startTestServer(
      { ...upstreamEnv(fake), PROVIDER_MAX_RETRIES: '2' },
      useRedis ? { redisUrl: inject('redisUrl') } : {},
    );
    const res = await server.call('/api/v1/ai/admin/keys/', {
      method: 'POST',
      token: TEST_ADMIN_TOKEN,
      json: { user_id: userId, role: 'user', name: 'completions' },
    });
    userKey = ((await res.json()) as { key: string }).key;
  });
  afterAll(async () => {
    await server.shutdown();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const spent = async () =>
    (
      (await (await server.call('/api/v1/ai/analytics/user/spend-limit/', { token: userKey })).json()) as {
        daily_spend: number;
      }
    ).daily_spend;
  const micros = (usd: number) => Math.round(usd * 1e6);

  const trpc = () =>
    createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${server.url}/trpc`, headers: { authorization: `Bearer ${userKey}` } })],
    });
  const trpcStream = () =>
    createTRPCClient<AppRouter>({
      links: [httpBatchStreamLink({ url: `${server.url}/trpc`, headers: { authorization: `Bearer ${userKey}` } })],
    });
  const openai = () => new OpenAI({ apiKey: userKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
  const openaiModel = (p: (typeof PROVIDERS)[number]) =>
    p.provider === 'openai' ? p.model : `${p.provider}/${p.model}`;

  for (const p of PROVIDERS) {
    const prompt = `Explain the ${p.provider} gateway briefly`;
    const cost = expectedCost(p.priced, prompt, 12);

    it(`${p.provider}: tRPC ai.complete charges exactly the priced usage`, async () => {
      const before = await spent();
      const result = await trpc().ai.complete.mutate({ provider: p.provider, model: p.model, prompt, tags: ['t1'] });
      expect(result).toMatchObject({
        provider: p.provider,
        content: 'Tollgate fake upstream says hello and counts every token it sends back',
        finish_reason: 'stop',
        usage: { prompt_tokens: prompt.split(' ').length + 1, completion_tokens: 12 },
        cost_usd: cost / 1e6,
        estimated: false,
        limit: { blocked: false },
      });
      expect(result.request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(micros(await spent()) - micros(before)).toBe(cost);
    });

    it(`${p.provider}: REST complete returns the reference fields and headers`, async () => {
      const before = await spent();
      const res = await server.call('/api/v1/ai/complete/', {
        method: 'POST',
        token: userKey,
        json: { provider: p.provider, model: p.model, prompt, max_tokens: 5 },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      const fiveTokenCost = expectedCost(p.priced, prompt, 5);
      expect(body).toMatchObject({ provider: p.provider, finish_reason: 'length', cost_usd: fiveTokenCost / 1e6 });
      for (const f of ['id', 'provider', 'model', 'content', 'usage', 'cost_usd', 'latency_ms', 'trace_id'])
        expect(body).toHaveProperty(f);
      expect(res.headers.get('x-tollgate-request-id')).toBe(body.id);
      expect(Number(res.headers.get('x-tollgate-cost-usd'))).toBe(fiveTokenCost / 1e6);
      expect(Number(res.headers.get('x-tollgate-daily-remaining-usd'))).toBeGreaterThan(0);
      expect(micros(await spent()) - micros(before)).toBe(fiveTokenCost);
    });

    it(`${p.provider}: /v1/chat/completions through the official OpenAI SDK`, async () => {
      const before = await spent();
      const completion = await openai().chat.completions.create({
        model: openaiModel(p),
        messages: [{ role: 'user', content: prompt }],
      });
      expect(completion.object).toBe('chat.completion');
      expect(completion.model).toBe(openaiModel(p));
      expect(completion.choices[0]?.message.content).toContain('Tollgate fake upstream');
      expect(completion.usage).toMatchObject({ prompt_tokens: prompt.split(' ').length + 1, completion_tokens: 12 });
      expect(micros(await spent()) - micros(before)).toBe(cost);
    });

    it(`${p.provider}: /v1 streaming via the SDK ends with the usage chunk and is charged from it`, async () => {
      const before = await spent();
      const stream = await openai().chat.completions.create({
        model: openaiModel(p),
        messages: [{ role: 'user', content: prompt }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let usage: OpenAI.CompletionUsage | null | undefined = null;
      let finish: string | null = null;
      for await (const c of stream) {
        text += c.choices[0]?.delta.content ?? '';
        finish = c.choices[0]?.finish_reason ?? finish;
        usage = c.usage ?? usage;
      }
      expect(text).toBe('Tollgate fake upstream says hello and counts every token it sends back');
      expect(finish).toBe('stop');
      expect(usage).toMatchObject({ completion_tokens: 12 });
      expect(micros(await spent()) - micros(before)).toBe(cost);
      if (p.provider !== 'anthropic')
        expect(fake.requests.at(-1)?.body).toMatchObject({ stream_options: { include_usage: true } });
    });

    it(`${p.provider}: REST and tRPC streams deliver deltas then a done event`, async () => {
      const res = await server.call('/api/v1/ai/complete/', {
        method: 'POST',
        token: userKey,
        json: { provider: p.provider, model: p.model, prompt, stream: true },
      });
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const sse = await res.text();
      expect(sse.match(/event: delta/g)?.length).toBe(12);
      expect(sse).toMatch(/event: done\ndata: .*"cost_usd":/);

      const events = [];
      for await (const e of await trpcStream().ai.stream.mutate({ provider: p.provider, model: p.model, prompt }))
        events.push(e);
      expect(events.filter((e) => e.type === 'delta')).toHaveLength(12);
      expect(events.at(-1)).toMatchObject({ type: 'done', cost_usd: cost / 1e6, usage: { completion_tokens: 12 } });
    });

    it(`${p.provider}: provider 500s are retried a bounded number of times, then 502, nothing charged`, async () => {
      const before = await spent();
      fake.enqueue({ kind: 'status', status: 500, times: 3 });
      const res = await server.call('/api/v1/ai/complete/', {
        method: 'POST',
        token: userKey,
        json: { provider: p.provider, model: p.model, prompt },
      });
      expect(res.status).toBe(502);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ code: 'PROVIDER_ERROR', provider: p.provider });
      expect(JSON.stringify(body)).not.toContain('fake upstream error');
      expect(fake.requests).toHaveLength(3);
      expect(await spent()).toBe(before);
      const status = (await (
        await server.call('/api/v1/ai/analytics/user/spend-limit/', { token: userKey })
      ).json()) as {
        daily_reserved: number;
      };
      expect(status.daily_reserved).toBe(0);

      fake.enqueue({ kind: 'status', status: 500, times: 3 });
      const sdkError = await openai()
        .chat.completions.create({ model: openaiModel(p), messages: [{ role: 'user', content: prompt }] })
        .catch((e: unknown) => e);
      expect(sdkError).toBeInstanceOf(OpenAI.APIError);
      expect((sdkError as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    });
  }

  it('honours retry-after on a provider 429: one retry, charged once', async () => {
    const before = await spent();
    fake.enqueue({ kind: 'status', status: 429, retryAfterSec: 1 });
    const started = Date.now();
    const res = await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: userKey,
      json: { model: 'gpt-4o-mini', prompt: 'retry me' },
    });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.requests).toHaveLength(2);
    expect(micros(await spent()) - micros(before)).toBe(expectedCost(['openai', 'gpt-4o-mini'], 'retry me', 12));
  });

  it('never retries a provider quota error', async () => {
    fake.enqueue({ kind: 'status', status: 429, code: 'insufficient_quota' });
    const res = await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: userKey,
      json: { model: 'gpt-4o-mini', prompt: 'quota' },
    });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'PROVIDER_QUOTA_EXCEEDED' });
    expect(fake.requests).toHaveLength(1);
  });

  it('charges an aborted stream more than zero and leaves no reservation', async () => {
    fake.set({ chunkDelayMs: 30, replyTokens: 40 });
    const before = await spent();
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/v1/ai/complete/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${userKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', prompt: 'stream a long answer please', stream: true }),
      signal: controller.signal,
    });
    const reader = res.body?.getReader();
    await reader?.read();
    await reader?.read();
    controller.abort();
    let status = { daily_reserved: 1, daily_spend: before };
    for (let i = 0; i < 50 && (status.daily_reserved !== 0 || status.daily_spend === before); i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await (
        await server.call('/api/v1/ai/analytics/user/spend-limit/', { token: userKey })
      ).json()) as typeof status;
    }
    expect(status.daily_reserved).toBe(0);
    expect(status.daily_spend).toBeGreaterThan(before);
    expect(micros(status.daily_spend) - micros(before)).toBeLessThan(
      expectedCost(['openai', 'gpt-4o-mini'], 'stream a long answer please', 40),
    );
  });

  it('refuses a call over the limit before it reaches the provider', async () => {
    const poor = `poor-${userId}`;
    await server.call(`/api/v1/ai/admin/limits/users/${poor}/`, {
      method: 'PUT',
      token: TEST_ADMIN_TOKEN,
      json: { daily_usd: 0 },
    });
    const key = (await (
      await server.call('/api/v1/ai/admin/keys/', {
        method: 'POST',
        token: TEST_ADMIN_TOKEN,
        json: { user_id: poor, role: 'user' },
      })
    ).json()) as { key: string };
    const res = await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: key.key,
      json: { prompt: 'hello' },
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({
      error: 'Daily spend limit exceeded',
      code: 'SPEND_LIMIT_EXCEEDED',
      scope: 'user_daily',
      blocked: true,
      daily_limit: 0,
    });
    const sdk = new OpenAI({ apiKey: key.key, baseURL: `${server.url}/v1`, maxRetries: 2 });
    const error = (await sdk.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(429);
    expect(error.code).toBe('SPEND_LIMIT_EXCEEDED');
    const tRPCError = await createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${server.url}/trpc`, headers: { authorization: `Bearer ${key.key}` } })],
    })
      .ai.complete.mutate({ prompt: 'hi' })
      .catch((e: unknown) => e);
    expect(tRPCError).toMatchObject({ data: { code: 'TOO_MANY_REQUESTS', appCode: 'SPEND_LIMIT_EXCEEDED' } });
    expect(fake.requests).toHaveLength(0);
  });

  it('clamps max_tokens to the model limit and to what the budget affords', async () => {
    const tight = `tight-${userId}`;
    await server.call(`/api/v1/ai/admin/limits/users/${tight}/`, {
      method: 'PUT',
      token: TEST_ADMIN_TOKEN,
      json: { daily_usd: 0.001 },
    });
    const key = (await (
      await server.call('/api/v1/ai/admin/keys/', {
        method: 'POST',
        token: TEST_ADMIN_TOKEN,
        json: { user_id: tight, role: 'user' },
      })
    ).json()) as { key: string };
    await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: key.key,
      json: { model: 'gpt-4o-mini', prompt: 'hi', max_tokens: 999_999 },
    });
    // $0.001 at $0.60/Mtok output affords ~1,600 tokens, well under gpt-4o-mini's 16,384.
    const sent = fake.requests.at(-1)?.body.max_tokens as number;
    expect(sent).toBeGreaterThan(1_000);
    expect(sent).toBeLessThan(1_700);
  });

  it('replays an idempotent request once and refuses the key with another body', async () => {
    const before = await spent();
    const send = (prompt: string) =>
      server.call('/api/v1/ai/complete/', {
        method: 'POST',
        token: userKey,
        headers: { 'idempotency-key': `idem-${userId}` },
        json: { model: 'gpt-4o-mini', prompt },
      });
    const first = (await (await send('same body')).json()) as { id: string; cost_usd: number };
    const replay = await send('same body');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(((await replay.json()) as { id: string }).id).toBe(first.id);
    expect(fake.requests).toHaveLength(1);
    expect(micros(await spent()) - micros(before)).toBe(micros(first.cost_usd));
    const conflict = await send('another body');
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('rejects bad completion input with 400 and never lets a request choose the base URL', async () => {
    for (const body of [
      {},
      { prompt: '' },
      { prompt: 'x', messages: [{ role: 'user', content: 'y' }] },
      { prompt: 'x', max_tokens: -1 },
      { prompt: 'x', temperature: 9 },
    ]) {
      const res = await server.call('/api/v1/ai/complete/', { method: 'POST', token: userKey, json: body });
      expect(res.status).toBe(400);
    }
    const res = await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: userKey,
      json: { prompt: 'x', base_url: 'http://evil.example', api_base: 'http://evil.example' },
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(fake.requests)).not.toContain('evil.example');
    // Tokenizer control sequences in a prompt are text to count, not an internal error.
    const special = await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: userKey,
      json: { prompt: 'say <|endoftext|> and <|im_start|>' },
    });
    expect(special.status).toBe(200);
    const unpriced = await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: userKey,
      json: { prompt: 'x', model: 'gpt-nonexistent-9' },
    });
    expect(unpriced.status).toBe(400);
    expect(await unpriced.json()).toMatchObject({ code: 'UNPRICED_MODEL' });
  });

  it('lists models in OpenAI format', async () => {
    const list = await openai().models.list();
    const ids = list.data.map((m) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining(['gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest', 'azure/prod-chat']),
    );
  });
});
