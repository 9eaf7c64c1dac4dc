import { createMemoryStore, hashSlot, type Store } from '@tollgate/store';
import { createTestRedisStore } from '@tollgate/store/testing';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { UsageEvent } from './event';
import { bucketOf } from './histogram';
import { dayOf, dims, usageKeys } from './keys';
import { createUsageQueries } from './queries';
import { createUsageRecorder, MINUTE_RETENTION_S } from './recorder';

// The start of this hour: Redis expires rollups by its own clock (minute rollups 3 h after their
// minute), so events at a fixed date would leave nothing to compare once its retention ran out.
const AT = Math.floor(Date.now() / 3_600_000) * 3_600_000;
const event = (over: Partial<UsageEvent> = {}): UsageEvent => ({
  request_id: 'r1',
  trace_id: null,
  user_id: '123',
  provider: 'openai',
  model: 'gpt-4o-mini',
  entry_point: 'ai.complete',
  status: 'success',
  error_class: null,
  prompt_tokens: 100,
  completion_tokens: 20,
  cached_tokens: 10,
  reasoning_tokens: 0,
  cost_micros: 27,
  estimated: false,
  latency_ms: 250,
  tags: [],
  at: AT,
  price_source: 'genai-prices@0.1.8',
  ...over,
});

describe.each([
  ['memory', async () => createMemoryStore({ sweepIntervalMs: 0 }) as Store],
  ['redis', () => createTestRedisStore(inject('redisUrl')) as Promise<Store>],
])('usage recorder on %s', (_name, make) => {
  const stores: Store[] = [];
  afterAll(() => Promise.all(stores.map((s) => s.close())));

  it('adds each call to every rollup of its day, counting errors and aborts apart', async () => {
    const store = await make();
    stores.push(store);
    const recorder = createUsageRecorder({ store });
    await recorder.record(event());
    await recorder.record(
      event({ request_id: 'r2', status: 'error', error_class: 'provider_timeout', cost_micros: 0, latency_ms: 5000 }),
    );
    await recorder.record(
      event({
        request_id: 'r3',
        status: 'aborted',
        provider: 'anthropic',
        model: 'claude-3-5-haiku-latest',
        estimated: true,
        cached_tokens: 1,
      }),
    );
    const day = dayOf(AT);
    const sys = await store.hgetall(usageKeys.rollup(day, dims.system));
    // Every counter has its own value, so counters written to each other's fields would show.
    expect(sys).toMatchObject({
      req: '3',
      cost: '54',
      pt: '300',
      ct: '60',
      cached: '21',
      lat: '5500',
      est: '1',
      err: '1',
      'e:provider_timeout': '1',
      aborted: '1',
    });
    expect(sys[`h:${bucketOf(250)}`]).toBe('2');
    expect(await store.hgetall(usageKeys.rollup(day, dims.provider('anthropic')))).toMatchObject({
      req: '1',
      cost: '27',
    });
    expect(await store.zrevrange(usageKeys.index(day, 'models'), 0, -1)).toEqual(
      expect.arrayContaining([
        ['openai/gpt-4o-mini', 27],
        ['anthropic/claude-3-5-haiku-latest', 27],
      ]),
    );
    const recent = await store.range(usageKeys.recentOfUser('123'), 0, -1);
    expect(recent.map((r) => (JSON.parse(r) as UsageEvent).request_id)).toEqual(['r3', 'r2', 'r1']);
  });

  it('writes a rollup only the fields its calls counted: zero totals yes, no error or abort fields', async () => {
    const store = await make();
    stores.push(store);
    const recorder = createUsageRecorder({ store });
    await recorder.record(event({ cost_micros: 0, cached_tokens: 0, user_id: 'quiet' }));
    expect(await store.hgetall(usageKeys.rollup(dayOf(AT), dims.user('quiet')))).toEqual({
      req: '1',
      cost: '0',
      pt: '100',
      ct: '20',
      cached: '0',
      lat: '250',
      [`h:${bucketOf(250)}`]: '1',
    });
  });

  it('writes submitted events together, a batch per round trip, losing none', async () => {
    const store = await make();
    stores.push(store);
    let batches = 0;
    const counting: Store = {
      ...store,
      runBatch: (calls) => {
        batches++;
        return store.runBatch(calls);
      },
    };
    const recorder = createUsageRecorder({ store: counting, batchMax: 100 });
    for (let i = 0; i < 250; i++) recorder.submit(event({ request_id: `b${i}`, user_id: 'batcher' }));
    await recorder.flush();
    expect(batches).toBe(3);
    const user = await store.hgetall(usageKeys.rollup(dayOf(AT), dims.user('batcher')));
    expect(user).toMatchObject({ req: '250', cost: String(250 * 27) });
    expect(await store.range(usageKeys.recentOfUser('batcher'), 0, -1)).toHaveLength(250);
  });

  it('a batch summed in memory leaves exactly what recording its events one by one leaves', async () => {
    const one = await make();
    const batched = await make();
    stores.push(one, batched);
    // A mix of users, models, outcomes, prompts, minutes and two days, in an order that makes
    // the failure streak rise, reset and rise again inside one batch.
    const statuses = ['success', 'error', 'error', 'aborted', 'success', 'error', 'aborted', 'error'] as const;
    const events = Array.from({ length: 40 }, (_, i) =>
      event({
        request_id: `s${i}`,
        user_id: `u${i % 3}`,
        model: i % 4 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
        status: statuses[i % statuses.length],
        error_class: statuses[i % statuses.length] === 'error' ? `provider_${i % 2 ? '5xx' : 'timeout'}` : null,
        cost_micros: i * 7,
        latency_ms: 40 * i,
        estimated: i % 5 === 0,
        at: AT + i * 50_000 + (i >= 36 ? 86_400_000 : 0),
        ...(i % 6 === 0 && { prompt_name: 'greet', prompt_version: 'abc123' }),
      }),
    );
    const sequential = createUsageRecorder({ store: one });
    for (const e of events) await sequential.record(e);
    const together = createUsageRecorder({ store: batched, batchMax: 1_000 });
    for (const e of events) together.submit(e);
    await together.flush();

    const hashes = new Set<string>();
    const zsets = new Set<string>();
    for (const e of events) {
      const day = dayOf(e.at);
      for (const d of [dims.system, dims.user(e.user_id), dims.provider(e.provider), dims.model(e.provider, e.model)])
        hashes.add(usageKeys.rollup(day, d));
      hashes.add(usageKeys.rollup(day, dims.entry(e.entry_point)));
      hashes.add(usageKeys.rollup(day, 't:greet@abc123'));
      hashes.add(usageKeys.minute(day, Math.floor(e.at / 60_000), dims.system));
      hashes.add(usageKeys.minute(day, Math.floor(e.at / 60_000), dims.provider(e.provider)));
      for (const i of ['users', 'models', 'providers', 'entries', 'prompts'] as const)
        zsets.add(usageKeys.index(day, i));
    }
    for (const key of hashes) expect(await batched.hgetall(key), key).toEqual(await one.hgetall(key));
    // Not an empty comparison: the minute rollups are there to compare.
    const firstMinute = await one.hgetall(usageKeys.minute(dayOf(AT), Math.floor(AT / 60_000), dims.system));
    expect(Number(firstMinute.req)).toBe(2);
    for (const key of zsets) {
      const sorted = async (s: Store) => (await s.zrevrange(key, 0, -1)).sort(([a], [b]) => a.localeCompare(b));
      expect(await sorted(batched), key).toEqual(await sorted(one));
    }
    for (const key of [usageKeys.recent(), ...['u0', 'u1', 'u2'].map(usageKeys.recentOfUser)])
      expect(await batched.range(key, 0, -1)).toEqual(await one.range(key, 0, -1));
    expect(await createUsageQueries({ store: batched, now: () => AT }).failureStreak('openai')).toBe(
      await createUsageQueries({ store: one, now: () => AT }).failureStreak('openai'),
    );
  });

  it('keeps minute rollups for alert windows and a provider failure streak that spans midnight', async () => {
    const store = await make();
    stores.push(store);
    const recorder = createUsageRecorder({ store });
    // Minute rollups expire 3 h after their minute by the store's own clock, so the midnight here
    // is the next real one: fixed dates made this test fail from 3 h after them.
    const midnight = Math.floor(Date.now() / 86_400_000) * 86_400_000 + 86_400_000;
    const late = midnight - 2 * 60_000;
    let clock = late;
    const queries = createUsageQueries({ store, now: () => clock });
    const fail = (at: number, id: string) =>
      recorder.record(event({ request_id: id, at, status: 'error', error_class: 'provider_5xx', cost_micros: 0 }));
    await recorder.record(event({ at: late - 10 * 60_000 }));
    await fail(late - 60_000, 'f1');
    await fail(late, 'f2');
    await recorder.record(event({ request_id: 'a1', at: late, status: 'aborted' }));
    const window = await queries.lastMinutes(dims.system, 5);
    expect(window).toMatchObject({ requests: 3, errors: 2, aborted: 1 });
    expect((await queries.lastMinutes(dims.provider('openai'), 15)).requests).toBe(4);
    expect(await queries.failureStreak('openai')).toBe(2);

    clock = midnight + 60_000;
    await fail(clock, 'f3');
    expect(await queries.failureStreak('openai')).toBe(3);
    expect((await queries.lastMinutes(dims.system, 5)).errors).toBe(3);
    await recorder.record(event({ request_id: 'ok', at: clock }));
    expect(await queries.failureStreak('openai')).toBe(0);
  });
});

describe('usage keys', () => {
  it('put each script’s keys in one Redis Cluster slot', () => {
    const day = dayOf(AT);
    const record = [
      usageKeys.rollup(day, dims.system),
      usageKeys.rollup(day, dims.user('42')),
      usageKeys.minute(day, 29_000_000, dims.provider('openai')),
      usageKeys.index(day, 'prompts'),
    ];
    expect(new Set(record.map(hashSlot)).size).toBe(1);
    expect(hashSlot(usageKeys.recent())).toBe(hashSlot(usageKeys.recentOfUser('42')));
  });
});

describe('rollup expiry', () => {
  it('keeps a day’s rollups and indexes until retentionDays after the day ends, minute rollups a few hours', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0, now: () => AT });
    const recorder = createUsageRecorder({ store, retentionDays: 2 });
    await recorder.record(event());
    const day = dayOf(AT);
    const ttl = (key: string) => store.redis.pttl(key);
    // The day AT falls in ends at its midnight, then two days of retention.
    const dayEnd = Math.floor(AT / 86_400_000) * 86_400_000 + 3 * 86_400_000 - AT;
    expect(ttl(usageKeys.rollup(day, dims.system))).toBe(dayEnd);
    expect(ttl(usageKeys.rollup(day, dims.user('123')))).toBe(dayEnd);
    expect(ttl(usageKeys.index(day, 'users'))).toBe(dayEnd);
    const minute = Math.floor(AT / 60_000);
    expect(ttl(usageKeys.minute(day, minute, dims.system))).toBe((minute * 60 + 60 + MINUTE_RETENTION_S) * 1000 - AT);
    await store.close();
  });
});
