import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../testing/test-server';

const ADMIN = TEST_ADMIN_TOKEN;

describe.each([
  ['memory', false],
  ['redis', true],
] as const)('spend limits and usage over REST (%s store)', (_name, useRedis) => {
  let server: TestServer;
  let userKey: string;
  let serviceKey: string;
  const userId = `u${Math.floor(Math.random() * 1e9)}`;

  beforeAll(async () => {
    server = await startTestServer({}, useRedis ? { redisUrl: inject('redisUrl') } : {});
    const key = async (role: string, uid: string) => {
      const res = await server.call('/api/v1/ai/admin/keys/', {
        method: 'POST',
        token: ADMIN,
        json: { user_id: uid, role, name: role },
      });
      return ((await res.json()) as { key: string }).key;
    };
    userKey = await key('user', userId);
    serviceKey = await key('service', 'backend');
  });
  afterAll(() => server.shutdown());

  const track = (token: string, body: Record<string, unknown>) =>
    server.call('/api/v1/ai/usage/', { method: 'POST', token, json: body });

  it('returns the reference spend-limit shape with the right JSON types', async () => {
    const res = await server.call('/api/v1/ai/analytics/user/spend-limit/', { token: userKey });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      within_limits: true,
      daily_spend: 0,
      daily_limit: 5,
      daily_remaining: 5,
      daily_percent_used: 0,
      monthly_spend: 0,
      monthly_limit: 1000,
      monthly_percent_used: 0,
      warning_message: null,
      blocked: false,
      limit_status: 'ok',
      blocked_reason: null,
      daily_reserved: 0,
    });
    expect(typeof body.monthly_remaining).toBe('number');
    expect(body.daily_resets_at).toMatch(/T00:00:00\.000Z$/);
    expect(body.monthly_resets_at).toMatch(/-01T00:00:00\.000Z$/);
  });

  it('prices reported usage exactly and shows it in the user’s status', async () => {
    const res = await track(serviceKey, {
      user_id: userId,
      provider: 'azure',
      model: 'gpt-4-turbo',
      prompt_tokens: 500,
      completion_tokens: 250,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    // 500 × $10/Mtok + 250 × $30/Mtok = $0.0125
    expect(body).toMatchObject({ cost_usd: 0.0125, daily_spend: 0.0125, limit_exceeded: false, total_tokens: 750 });
    const status = (await (
      await server.call('/api/v1/ai/analytics/user/spend-limit/', { token: userKey })
    ).json()) as Record<string, unknown>;
    expect(status).toMatchObject({
      daily_spend: 0.0125,
      daily_remaining: 4.9875,
      daily_percent_used: 0.25,
      monthly_spend: 0.0125,
    });
  });

  it('counts a retried report once', async () => {
    const report = {
      user_id: userId,
      provider: 'openai',
      model: 'gpt-3.5-turbo',
      prompt_tokens: 1000,
      completion_tokens: 0,
      request_id: 'once',
    };
    const first = (await (await track(serviceKey, report)).json()) as { daily_spend: number; recorded: boolean };
    const again = (await (await track(serviceKey, report)).json()) as { daily_spend: number; recorded: boolean };
    expect(first.recorded).toBe(true);
    expect(again.recorded).toBe(false);
    expect(again.daily_spend).toBe(first.daily_spend);
  });

  it('refuses unpriced models with UNPRICED_MODEL and charges nothing, until an admin prices them', async () => {
    const before = (await (await server.call('/api/v1/ai/analytics/user/spend-limit/', { token: userKey })).json()) as {
      daily_spend: number;
    };
    const report = {
      user_id: userId,
      provider: 'openai',
      model: 'my-finetune-v2',
      prompt_tokens: 1_000_000,
      completion_tokens: 0,
    };
    const refused = await track(serviceKey, report);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 'UNPRICED_MODEL', provider: 'openai', model: 'my-finetune-v2' });

    const set = await server.call('/api/v1/ai/admin/pricing/', {
      method: 'POST',
      token: ADMIN,
      json: { provider: 'openai', model: 'my-finetune-v2', input_per_mtok_usd: 0.5, output_per_mtok_usd: 1 },
    });
    expect(set.status).toBe(201);
    const override = (await set.json()) as { id: string };
    const priced = (await (await track(serviceKey, report)).json()) as {
      cost_usd: number;
      daily_spend: number;
      price_source: unknown;
    };
    expect(priced.cost_usd).toBe(0.5);
    expect(priced.price_source).toEqual({ kind: 'override', id: override.id });
    expect(priced.daily_spend).toBeCloseTo(before.daily_spend + 0.5, 6);

    expect(
      (await server.call(`/api/v1/ai/admin/pricing/${override.id}/`, { method: 'DELETE', token: ADMIN })).status,
    ).toBe(200);
    expect((await track(serviceKey, report)).status).toBe(400);
  });

  it('warns at 80 %, blocks at 100 %, and an admin reset clears the user’s windows with an audit record', async () => {
    await server.call(`/api/v1/ai/admin/limits/users/${userId}/`, {
      method: 'PUT',
      token: ADMIN,
      json: { daily_usd: 1 },
    });
    const status = async () =>
      (await (await server.call('/api/v1/ai/analytics/user/spend-limit/', { token: userKey })).json()) as Record<
        string,
        unknown
      >;
    const spent = (await status()).daily_spend as number;
    // Top up to 85 % of $1 with gpt-3.5-turbo input tokens at $0.5/Mtok.
    await track(serviceKey, {
      user_id: userId,
      provider: 'openai',
      model: 'gpt-3.5-turbo',
      prompt_tokens: Math.round((0.85 - spent) * 2_000_000),
      completion_tokens: 0,
    });
    const warned = await status();
    expect(warned).toMatchObject({ limit_status: 'warning', blocked: false, daily_limit: 1 });
    expect(warned.warning_message).toMatch(/85% of your daily AI spend limit/);

    const over = (await (
      await track(serviceKey, {
        user_id: userId,
        provider: 'openai',
        model: 'gpt-3.5-turbo',
        prompt_tokens: 400_000,
        completion_tokens: 0,
      })
    ).json()) as Record<string, unknown>;
    expect(over).toMatchObject({
      limit_exceeded: true,
      blocked: true,
      blocked_reason: 'user_daily',
      limit_status: 'exceeded',
    });

    expect(
      (await server.call(`/api/v1/ai/analytics/user/${userId}/reset/`, { method: 'POST', token: userKey })).status,
    ).toBe(403);
    const reset = await server.call(`/api/v1/ai/analytics/user/${userId}/reset/`, { method: 'POST', token: ADMIN });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toMatchObject({ user_id: userId, reset: true, daily_spend: 0, blocked: false });
    const audit = (await (await server.call('/api/v1/ai/admin/resets/', { token: ADMIN })).json()) as {
      resets: Record<string, unknown>[];
    };
    expect(audit.resets[0]).toMatchObject({ user_id: userId, previous_daily_spend: 1.05, by: 'admin_token' });
  });

  it('lets admins change defaults and per-user limits, and nobody else', async () => {
    const put = await server.call('/api/v1/ai/admin/limits/', {
      method: 'PUT',
      token: ADMIN,
      json: { user_daily_usd: 7.5, system_monthly_usd: 2000 },
    });
    expect(await put.json()).toMatchObject({ user_daily_usd: 7.5, system_monthly_usd: 2000, user_monthly_usd: null });
    const other = `other-${userId}`;
    const svcStatus = (await (
      await server.call(`/api/v1/ai/analytics/user/spend-limit/?user_id=${other}`, { token: serviceKey })
    ).json()) as Record<string, unknown>;
    expect(svcStatus).toMatchObject({ user_id: other, daily_limit: 7.5, monthly_limit: 2000 });
    expect(
      (await server.call(`/api/v1/ai/analytics/user/spend-limit/?user_id=${other}`, { token: userKey })).status,
    ).toBe(403);
    expect((await server.call('/api/v1/ai/admin/limits/', { method: 'PUT', token: serviceKey, json: {} })).status).toBe(
      403,
    );
    await server.call('/api/v1/ai/admin/limits/', {
      method: 'PUT',
      token: ADMIN,
      json: { user_daily_usd: null, system_monthly_usd: null },
    });
    const limits = (await (await server.call('/api/v1/ai/admin/limits/', { token: ADMIN })).json()) as {
      defaults: Record<string, unknown>;
      users: unknown[];
    };
    expect(limits.defaults).toMatchObject({ user_daily_usd: 5, system_monthly_usd: 1000 });
    expect(limits.users).toContainEqual({ user_id: userId, daily_usd: 1, monthly_usd: null, monthly_unlimited: false });
  });

  it('rejects bad input with 4xx JSON and records nothing', async () => {
    const cases: Record<string, unknown>[] = [
      { user_id: userId, provider: 'openai', model: 'gpt-4o', prompt_tokens: -1, completion_tokens: 0 },
      { user_id: userId, provider: 'openai', model: 'gpt-4o', prompt_tokens: 1.5, completion_tokens: 0 },
      { user_id: userId, provider: 'bedrock', model: 'gpt-4o', prompt_tokens: 1, completion_tokens: 0 },
      { user_id: userId, provider: 'openai', model: 'gpt 4o', prompt_tokens: 1, completion_tokens: 0 },
      { provider: 'openai', model: 'gpt-4o', prompt_tokens: 1, completion_tokens: 0 },
    ];
    const before = await (await server.call('/api/v1/ai/analytics/user/spend-limit/', { token: userKey })).json();
    for (const c of cases) {
      const res = await track(serviceKey, c);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'INVALID_INPUT', error: expect.any(String) });
    }
    expect((await track(userKey, { ...cases[0], prompt_tokens: 1 })).status).toBe(403);
    expect(await (await server.call('/api/v1/ai/analytics/user/spend-limit/', { token: userKey })).json()).toEqual(
      before,
    );
  });
});

describe('OpenAPI', () => {
  it('documents every REST route with inputs from the zod schemas', async () => {
    const server = await startTestServer();
    try {
      const doc = (await (await server.call('/api/v1/openapi.json')).json()) as {
        openapi: string;
        paths: Record<
          string,
          Record<
            string,
            {
              parameters: { name: string }[];
              requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
            }
          >
        >;
      };
      expect(doc.openapi).toBe('3.1.0');
      const { restRoutes } = await import('./routes');
      for (const r of restRoutes)
        expect(doc.paths[`${r.path.replace(/:(\w+)/g, '{$1}')}/`]?.[r.method.toLowerCase()]).toBeDefined();
      expect(doc.paths['/api/v1/ai/analytics/user/']?.get?.parameters.map((p) => p.name)).toEqual(
        expect.arrayContaining(['days', 'user_id']),
      );
      const usage = doc.paths['/api/v1/ai/usage/']?.post?.requestBody?.content['application/json']?.schema.properties;
      expect(Object.keys(usage ?? {})).toEqual(
        expect.arrayContaining(['user_id', 'provider', 'model', 'prompt_tokens', 'completion_tokens']),
      );
    } finally {
      await server.shutdown();
    }
  });
});
