import { createUsageQueries, createUsageRecorder, type UsageEvent } from '@tollgate/analytics';
import { createMemoryStore, type Store } from '@tollgate/store';
import { createTestRedisStore } from '@tollgate/store/testing';
import { startWebhookReceiver, type WebhookReceiver } from '@tollgate/test-tools';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AlertEngine, createAlertEngine } from './engine';
import { createWebhookNotifier } from './notifier';
import { DEFAULT_THRESHOLDS } from './rules';
import { createAlertSettings } from './settings';

// Ahead of the real clock: the stores expire keys by real time, and minute rollups live 3 hours.
const T0 = Date.UTC(2030, 5, 12, 12, 0);

describe.each([
  ['memory', async () => createMemoryStore({ sweepIntervalMs: 0 }) as Store],
  ['redis', () => createTestRedisStore(inject('redisUrl')) as Promise<Store>],
])('alert rules on %s', (_name, make) => {
  let receiver: WebhookReceiver;
  const stores: Store[] = [];
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await Promise.all(stores.map((s) => s.close()));
  });

  async function setup(cooldownMs = 30 * 60_000) {
    const store = await make();
    stores.push(store);
    let clock = T0;
    const now = () => clock;
    const recorder = createUsageRecorder({ store });
    let n = 0;
    const record = (over: Partial<UsageEvent> = {}) =>
      recorder.record({
        request_id: `r${n++}`,
        trace_id: null,
        user_id: 'u1',
        provider: 'openai',
        model: 'gpt-4o-mini',
        entry_point: 'ai.complete',
        status: 'success',
        error_class: null,
        prompt_tokens: 10,
        completion_tokens: 10,
        cached_tokens: 0,
        reasoning_tokens: 0,
        cost_micros: 100,
        estimated: false,
        latency_ms: 200,
        tags: [],
        at: clock,
        price_source: null,
        ...over,
      });
    const engine = (path: string) =>
      createAlertEngine({
        store,
        queries: createUsageQueries({ store, now }),
        settings: createAlertSettings(store),
        notifier: createWebhookNotifier({
          webhooks: [
            { url: `${receiver.url}${path}/json`, format: 'json' },
            { url: `${receiver.url}${path}/slack`, format: 'slack' },
          ],
        }),
        cooldownMs,
        now,
      });
    return { store, record, engine, advance: (ms: number) => (clock += ms), now };
  }

  const firing = async (e: AlertEngine) =>
    ((await e.evaluate()) ?? []).filter((s) => s.state === 'firing').map((s) => `${s.rule}|${s.subject}`);

  it('error rate: fires above 5% with enough calls, resolves when the window clears', async () => {
    const { record, engine, advance } = await setup();
    const e = engine('/err');
    for (let i = 0; i < 19; i++) await record({ status: i < 5 ? 'error' : 'success', error_class: 'provider_5xx' });
    expect(await firing(e)).not.toContain('error_rate|system'); // 19 calls: below the minimum
    await record();
    expect(await firing(e)).toContain('error_rate|system'); // 5 of 20 = 25%
    advance(16 * 60_000);
    for (let i = 0; i < 20; i++) await record();
    expect(await firing(e)).not.toContain('error_rate|system');
    const history = await e.history();
    expect(history.filter((h) => h.rule === 'error_rate').map((h) => h.state)).toEqual(['resolved', 'firing']);
  });

  it('p95 latency: fires above 5 s and resolves', async () => {
    const { record, engine, advance } = await setup();
    const e = engine('/lat');
    for (let i = 0; i < 20; i++) await record({ latency_ms: i < 18 ? 7_000 : 100 });
    expect(await firing(e)).toContain('latency_p95|system');
    advance(16 * 60_000);
    for (let i = 0; i < 20; i++) await record({ latency_ms: 300 });
    expect(await firing(e)).not.toContain('latency_p95|system');
  });

  it('system spend: fires past $100 today and resolves the next UTC day', async () => {
    const { record, engine, advance } = await setup();
    const e = engine('/spend');
    await record({ cost_micros: 99_000_000 });
    expect(await firing(e)).not.toContain('daily_spend|system');
    await record({ cost_micros: 2_000_000 });
    expect(await firing(e)).toContain('daily_spend|system');
    advance(13 * 3_600_000);
    expect(await firing(e)).not.toContain('daily_spend|system');
  });

  it("a user's spend far above their usual fires for that user only", async () => {
    const { record, engine, advance } = await setup();
    const e = engine('/user');
    for (let d = 0; d < 7; d++) {
      await record({ user_id: 'steady', cost_micros: 1_000_000 });
      await record({ user_id: 'spiky', cost_micros: 1_000_000 });
      advance(86_400_000);
    }
    await record({ user_id: 'steady', cost_micros: 1_500_000 });
    await record({ user_id: 'spiky', cost_micros: 6_000_000 });
    const now = await firing(e);
    expect(now).toContain('user_spend_anomaly|user:spiky');
    expect(now).not.toContain('user_spend_anomaly|user:steady');
    advance(86_400_000);
    expect(await firing(e)).not.toContain('user_spend_anomaly|user:spiky');
  });

  it('provider failures: consecutive failures or a high error rate fire for that provider', async () => {
    const { record, engine, advance } = await setup();
    const e = engine('/prov');
    for (let i = 0; i < 4; i++) await record({ provider: 'anthropic', status: 'error', error_class: 'provider_5xx' });
    await record();
    expect(await firing(e)).not.toContain('provider_failures|provider:anthropic');
    await record({ provider: 'anthropic', status: 'error', error_class: 'provider_5xx' });
    expect(await firing(e)).toContain('provider_failures|provider:anthropic');
    expect(await firing(e)).not.toContain('provider_failures|provider:openai');
    await record({ provider: 'anthropic' });
    advance(6 * 60_000);
    expect(await firing(e)).not.toContain('provider_failures|provider:anthropic');
  });

  it('notifies each webhook exactly once per firing, whichever of two instances evaluates, honouring the cooldown', async () => {
    const { store, record, engine, advance } = await setup(10 * 60_000);
    const path = `/once-${Math.random().toString(36).slice(2)}`;
    const a = engine(path);
    const b = engine(path);
    const mine = () =>
      receiver.received.filter(
        (r) =>
          r.path.startsWith(path) &&
          ((r.body.alert as { rule?: string } | undefined)?.rule === 'daily_spend' ||
            String(r.body.text ?? '').includes('daily_spend')),
      );
    await record({ cost_micros: 150_000_000 });
    for (let i = 0; i < 5; i++) {
      await Promise.all([a.tick(60_000), b.tick(60_000)]);
      advance(60_000);
    }
    const fired = mine().filter((r) => r.path.endsWith('/json'));
    expect(fired).toHaveLength(1);
    expect(fired[0]?.body).toMatchObject({ source: 'tollgate', alert: { rule: 'daily_spend', state: 'firing' } });
    expect(mine().filter((r) => r.path.endsWith('/slack'))[0]?.body.text).toMatch(/daily_spend.*FIRING/);

    await createAlertSettings(store).update('daily_spend', { micros: 500_000_000 });
    await a.evaluate();
    expect(
      mine()
        .filter((r) => r.path.endsWith('/json'))
        .map((r) => (r.body.alert as { state: string }).state),
    ).toEqual(['firing', 'resolved']);
    // Firing again inside the cooldown: recorded, not notified.
    await createAlertSettings(store).reset('daily_spend');
    await a.evaluate();
    expect(mine().filter((r) => r.path.endsWith('/json'))).toHaveLength(2);
    const last = (await a.history(1))[0];
    expect(last).toMatchObject({ rule: 'daily_spend', state: 'firing', notified: false });
  });

  it('defaults match the reference thresholds', () => {
    expect(DEFAULT_THRESHOLDS.error_rate.percent).toBe(5);
    expect(DEFAULT_THRESHOLDS.latency_p95.ms).toBe(5_000);
    expect(DEFAULT_THRESHOLDS.daily_spend.micros).toBe(100_000_000);
  });
});
