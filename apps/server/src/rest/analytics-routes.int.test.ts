import { type FakeUpstream, startFakeUpstream } from '@tollgate/test-tools';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer, upstreamEnv } from '../testing/test-server';

describe.each([
  ['memory', false],
  ['redis', true],
] as const)('analytics REST contract (%s store)', (_name, useRedis) => {
  let fake: FakeUpstream;
  let server: TestServer;
  const keys: Record<string, string> = {};
  const costs: Record<string, number> = { '123': 0, alice: 0 };
  const requestIds: Record<string, string[]> = { '123': [], alice: [] };

  beforeAll(async () => {
    fake = await startFakeUpstream();
    server = await startTestServer(upstreamEnv(fake), useRedis ? { redisUrl: inject('redisUrl') } : {});
    for (const [uid, role] of [
      ['123', 'user'],
      ['alice', 'user'],
      ['backend', 'service'],
    ] as const) {
      const res = await server.call('/api/v1/ai/admin/keys/', {
        method: 'POST',
        token: TEST_ADMIN_TOKEN,
        json: { user_id: uid, role },
      });
      keys[uid] = ((await res.json()) as { key: string }).key;
    }
    const call = async (uid: string, model: string) => {
      const res = await server.call('/api/v1/ai/complete/', {
        method: 'POST',
        token: keys[uid],
        json: { model, prompt: `hello from ${uid}` },
      });
      const body = (await res.json()) as { cost_usd: number; id: string };
      if (res.status === 200) {
        costs[uid] = (costs[uid] ?? 0) + Math.round(body.cost_usd * 1e6);
        requestIds[uid]?.push(body.id);
      }
    };
    await call('123', 'gpt-4o-mini');
    await call('123', 'anthropic/claude-3-5-haiku-latest');
    await call('123', 'gpt-4o');
    fake.enqueue({ kind: 'status', status: 500, times: 3 });
    await call('123', 'gpt-4o-mini');
    await call('alice', 'gpt-4o-mini');
    await call('alice', 'azure/prod-chat');
    // Recording is off the request path: wait for it to land.
    await new Promise((r) => setTimeout(r, 200));
  });
  afterAll(async () => {
    await server.shutdown();
    await fake.close();
  });

  it('GET /api/v1/ai/analytics/user/?days=30 has the reference fields and JSON types', async () => {
    const res = await server.call('/api/v1/ai/analytics/user/?days=30', { token: keys['123'] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      user_id: 123,
      period_days: 30,
      total_requests: 4,
      total_cost_usd: (costs['123'] ?? 0) / 1e6,
      daily_spend: (costs['123'] ?? 0) / 1e6,
      monthly_spend: (costs['123'] ?? 0) / 1e6,
      daily_limit: 5,
      monthly_limit: 1000,
      limit_status: 'ok',
    });
    for (const f of ['total_tokens', 'avg_latency_ms', 'avg_cost_per_request']) expect(typeof body[f]).toBe('number');
    expect(body.total_tokens).toBeGreaterThan(0);
    expect(String(body.avg_cost_per_request).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(6);

    const alice = (await (await server.call('/api/v1/ai/analytics/user/', { token: keys.alice })).json()) as Record<
      string,
      unknown
    >;
    expect(alice).toMatchObject({ user_id: 'alice', period_days: 30, total_requests: 2 });
  });

  it('GET /api/v1/ai/analytics/system/?days=7 has the reference fields, admins only', async () => {
    expect((await server.call('/api/v1/ai/analytics/system/', { token: keys['123'] })).status).toBe(403);
    const res = await server.call('/api/v1/ai/analytics/system/?days=7', { token: TEST_ADMIN_TOKEN });
    const body = (await res.json()) as Record<string, unknown> & {
      providers: Record<string, { cost: number; requests: number }>;
    };
    expect(body).toMatchObject({
      period_days: 7,
      total_requests: 6,
      error_count: 1,
      error_rate: 16.67,
      total_cost_usd: ((costs['123'] ?? 0) + (costs.alice ?? 0)) / 1e6,
    });
    expect(body.providers.openai?.requests).toBe(4);
    expect(body.providers.anthropic?.requests).toBe(1);
    expect(body.providers.azure?.requests).toBe(1);
    expect(typeof body.providers.openai?.cost).toBe('number');
    expect(typeof body.avg_cost_per_request).toBe('number');
  });

  it('refuses days outside 1–365 or not an integer with a 400 JSON error', async () => {
    for (const days of ['0', '366', '1.5', 'abc', '-3', '']) {
      const res = await server.call(`/api/v1/ai/analytics/user/?days=${days}`, { token: keys['123'] });
      expect(res.status, days).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'INVALID_INPUT', error: expect.stringContaining('days') });
    }
  });

  it('gives admins latency percentiles, top users, models, errors and recent calls', async () => {
    const trpc = async (path: string, input?: unknown) => {
      const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      const res = await server.call(`/trpc/${path}${q}`, { token: TEST_ADMIN_TOKEN });
      return ((await res.json()) as { result: { data: Record<string, unknown> } }).result.data;
    };
    const latency = await trpc('analytics.latency', { days: 7 });
    expect((latency.overall as { p50: number }).p50).toBeGreaterThan(0);
    const top = (await trpc('analytics.topUsers', { days: 7 })).users as { user_id: string }[];
    expect(top.map((u) => u.user_id).sort()).toEqual(['123', 'alice']);
    const models = (await trpc('analytics.models', { days: 7 })).models as { model: string }[];
    expect(models.map((m) => m.model)).toEqual(
      expect.arrayContaining(['gpt-4o-mini', 'claude-3-5-haiku-latest', 'prod-chat']),
    );
    const errors = await trpc('analytics.errors', { days: 7 });
    expect(
      (errors.providers as { name: string; error_count: number }[]).find((p) => p.name === 'openai')?.error_count,
    ).toBe(1);
    const recent = (await trpc('analytics.recent', { provider: 'anthropic' })).items as { user_id: string }[];
    expect(recent).toHaveLength(1);
    const series = await trpc('analytics.timeseries', { days: 7, groupBy: 'provider' });
    expect((series.series as { key: string }[]).map((s) => s.key).sort()).toEqual(['anthropic', 'azure', 'openai']);
  });

  it('never shows a user another user’s data, whatever the parameters (property)', async () => {
    const foreign = [...(requestIds['123'] ?? []), '"user_id":"123"', '"user_id":123'];
    const routes = [
      (p: Record<string, unknown>) => `/api/v1/ai/analytics/user/?${new URLSearchParams(p as Record<string, string>)}`,
      (p: Record<string, unknown>) =>
        `/api/v1/ai/analytics/user/spend-limit/?${new URLSearchParams(p as Record<string, string>)}`,
      (p: Record<string, unknown>) => `/trpc/analytics.recent?input=${encodeURIComponent(JSON.stringify(p))}`,
      (p: Record<string, unknown>) =>
        `/trpc/analytics.timeseries?input=${encodeURIComponent(JSON.stringify({ days: 7, ...p }))}`,
      (p: Record<string, unknown>) => `/trpc/analytics.user?input=${encodeURIComponent(JSON.stringify(p))}`,
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: routes.length - 1 }),
        fc.record(
          {
            user_id: fc.constantFrom('123', 123, ' 123', '0123', 'alice', '123 ', 'ALICE', '*', '', '12%33'),
            days: fc.constantFrom('7', '30', 7),
            groupBy: fc.constantFrom('user', 'provider', 'none'),
            provider: fc.constantFrom('openai', 'anthropic'),
          },
          { requiredKeys: [] },
        ),
        async (routeIndex, params) => {
          const route = routes[routeIndex] as (p: Record<string, unknown>) => string;
          const res = await server.call(route(params), { token: keys.alice });
          const text = await res.text();
          expect(res.status).toBeLessThan(500);
          for (const f of foreign) expect(text).not.toContain(f);
        },
      ),
      { numRuns: 150 },
    );
  });
});
