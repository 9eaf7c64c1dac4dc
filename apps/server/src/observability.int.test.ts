import { type FakeUpstream, startFakeUpstream, startWebhookReceiver, type WebhookReceiver } from '@tollgate/test-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer, upstreamEnv } from './testing/test-server';

const METRICS_TOKEN = 'metrics-token-0123456789';
const CANARY_PROMPT = 'canary prompt 7f3a9c do not log me';

/** Prometheus text exposition format 0.0.4: every line a comment, a blank or a sample. */
const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*)?\})? (-?[0-9.]+(e[+-]?[0-9]+)?|NaN|[+-]Inf)( -?[0-9]+)?$/;

function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      typed.add(type[1] as string);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not Prometheus text format: ${line}`);
    const family = (m[1] as string).replace(/_(bucket|sum|count)$/, '');
    if (!typed.has(family) && !typed.has(m[1] as string)) throw new Error(`sample before its TYPE: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ''}`, Number(m[7]));
  }
  return samples;
}

describe('metrics, request logs and alerts through the server', () => {
  let fake: FakeUpstream;
  let hooks: WebhookReceiver;
  let server: TestServer;
  let userKey: string;
  const lines: string[] = [];

  beforeAll(async () => {
    fake = await startFakeUpstream();
    hooks = await startWebhookReceiver();
    server = await startTestServer(
      {
        ...upstreamEnv(fake),
        LOG_LEVEL: 'info',
        METRICS_TOKEN,
        ALERT_EVAL_INTERVAL_MS: '0',
        ALERT_WEBHOOK_URLS: `${hooks.url}/json`,
        ALERT_SLACK_WEBHOOK_URLS: `${hooks.url}/services/T000/B000/slacksecret`,
      },
      { logTo: { write: (line) => void lines.push(line) } },
    );
    userKey = await server.createKey('77');
  });
  afterAll(async () => {
    await server.shutdown();
    await fake.close();
    await hooks.close();
  });

  const metrics = async () => {
    const res = await server.call('/metrics', { token: METRICS_TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheus(await res.text());
  };

  it('serves /metrics in Prometheus text format, behind its token, counting calls, tokens, cost and refusals', async () => {
    expect((await server.call('/metrics')).status).toBe(401);
    expect((await server.call('/metrics', { token: userKey })).status).toBe(401);
    let charged = 0;
    for (const model of ['gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest']) {
      const res = await server.call('/api/v1/ai/complete/', {
        method: 'POST',
        token: userKey,
        json: { model, prompt: 'count me' },
      });
      expect(res.status).toBe(200);
      charged += Math.round(((await res.json()) as { cost_usd: number }).cost_usd * 1e6);
    }
    await server.call('/api/v1/ai/admin/limits/users/77/', {
      method: 'PUT',
      token: TEST_ADMIN_TOKEN,
      json: { daily_usd: 0 },
    });
    expect(
      (await server.call('/api/v1/ai/complete/', { method: 'POST', token: userKey, json: { prompt: 'refused' } }))
        .status,
    ).toBe(429);
    await server.call('/api/v1/ai/admin/limits/users/77/', {
      method: 'PUT',
      token: TEST_ADMIN_TOKEN,
      json: { daily_usd: null },
    });

    const m = await metrics();
    const sum = (prefix: string) => [...m].filter(([k]) => k.startsWith(prefix)).reduce((total, [, v]) => total + v, 0);
    expect(
      m.get(
        'tollgate_requests_total{entry_point="rest.complete",provider="openai",model="gpt-4o-mini",status="success"}',
      ),
    ).toBe(1);
    expect(sum('tollgate_requests_total{')).toBe(2);
    expect(sum('tollgate_cost_micro_usd_total{')).toBe(charged);
    expect(sum('tollgate_tokens_total{')).toBeGreaterThan(0);
    expect(m.get('tollgate_spend_limit_refusals_total{scope="user_daily"}')).toBe(1);
    expect(m.get('tollgate_reservations_in_flight')).toBe(0);
    expect(sum('tollgate_gateway_overhead_seconds_count{')).toBe(2);
    expect(m.get('tollgate_upstream_latency_seconds_count{provider="anthropic"}')).toBe(1);
    expect(m.has('tollgate_langsmith_dropped_traces')).toBe(true);
    expect(m.has('tollgate_process_resident_memory_bytes')).toBe(true);
  });

  it('logs one line per request with who, what and how much, and never a secret or a prompt', async () => {
    lines.length = 0;
    const res = await server.call('/v1/chat/completions', {
      method: 'POST',
      token: userKey,
      headers: { 'x-api-key': 'sk-client-side-secret' },
      json: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: CANARY_PROMPT }] },
    });
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-tollgate-request-id');
    await server.call('/api/v1/ai/analytics/user/', { token: 'tg_not_a_real_key_canary_000000000000000000000' });
    await server.call('/api/v1/ai/admin/keys/', { token: TEST_ADMIN_TOKEN });
    await new Promise((r) => setTimeout(r, 50));

    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === 'request');
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({
      req_id: requestId,
      method: 'POST',
      path: '/v1/chat/completions',
      status: 200,
      user_id: '77',
      provider: 'openai',
      model: 'gpt-4o-mini',
      entry_point: 'openai.chat.completions',
      outcome: 'success',
      cost_usd: expect.any(Number),
      latency_ms: expect.any(Number),
    });
    expect(entries[1]).toMatchObject({ status: 401 });
    const all = lines.join('\n');
    for (const secret of [
      userKey,
      TEST_ADMIN_TOKEN,
      METRICS_TOKEN,
      'tg_not_a_real_key_canary',
      'sk-client-side-secret',
      'sk-upstream-secret-openai',
      'ant-upstream-secret',
      'az-upstream-secret',
      'slacksecret',
      CANARY_PROMPT,
    ]) {
      expect(all).not.toContain(secret);
    }
  });

  it('fires an alert once through the admin REST API, notifies each webhook once, and hides webhook secrets', async () => {
    const forbidden = await server.call('/api/v1/ai/admin/alerts/', { token: userKey });
    expect(forbidden.status).toBe(403);
    const set = await server.call('/api/v1/ai/admin/alerts/rules/daily_spend/', {
      method: 'PUT',
      token: TEST_ADMIN_TOKEN,
      json: { usd: 0.000001 },
    });
    expect(set.status).toBe(200);
    const bad = await server.call('/api/v1/ai/admin/alerts/rules/daily_spend/', {
      method: 'PUT',
      token: TEST_ADMIN_TOKEN,
      json: { usd: -5 },
    });
    expect(bad.status).toBe(400);
    expect(
      (await server.call('/api/v1/ai/admin/alerts/rules/nope/', { method: 'PUT', token: TEST_ADMIN_TOKEN, json: {} }))
        .status,
    ).toBe(400);

    for (let i = 0; i < 3; i++) {
      const res = await server.call('/api/v1/ai/admin/alerts/evaluate/', { method: 'POST', token: TEST_ADMIN_TOKEN });
      expect(res.status).toBe(200);
    }
    const list = (await (await server.call('/api/v1/ai/admin/alerts/', { token: TEST_ADMIN_TOKEN })).json()) as {
      alerts: { rule: string; state: string; unit: string; threshold: number }[];
      rules: { id: string; usd?: number }[];
      webhooks: { format: string; host: string }[];
      firing: number;
    };
    expect(list.alerts.find((a) => a.rule === 'daily_spend')).toMatchObject({
      state: 'firing',
      unit: 'usd',
      threshold: 0.000001,
    });
    expect(list.rules.find((r) => r.id === 'daily_spend')?.usd).toBe(0.000001);
    expect(JSON.stringify(list)).not.toContain('slacksecret');
    expect(list.webhooks.map((w) => w.format).sort()).toEqual(['json', 'slack']);

    const spend = hooks.received.filter(
      (r) =>
        (r.body.alert as { rule?: string } | undefined)?.rule === 'daily_spend' ||
        /daily_spend/.test(String(r.body.text)),
    );
    expect(spend.map((r) => (r.path.endsWith('/json') ? 'json' : 'slack')).sort()).toEqual(['json', 'slack']);
    const history = (await (
      await server.call('/api/v1/ai/admin/alerts/history/?limit=10', { token: TEST_ADMIN_TOKEN })
    ).json()) as { history: { rule: string; state: string; notified: boolean }[] };
    expect(history.history.filter((h) => h.rule === 'daily_spend')).toEqual([
      expect.objectContaining({ state: 'firing', notified: true }),
    ]);
  });
});
