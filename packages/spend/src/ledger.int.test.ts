import { randomUUID } from 'node:crypto';
import { createMemoryStore, createRedisStore, type MemoryRedis, type Store } from '@tollgate/store';
import { createTestClusterStore, createTestRedisStore } from '@tollgate/store/testing';
import { type PrivateRedis, startPrivateRedis } from '@tollgate/test-tools';
import fc from 'fast-check';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { counterKeys, spendKeys } from './keys';
import { createSpendLedger, type DefaultLimits, type SpendLedgerOptions } from './ledger';
import { createLimitSettings } from './limits';
import { windowsAt } from './windows';

const USD = 1_000_000;
const DAY = 86_400_000;
/** Clocks sit in the future so Redis key expiries (real time) never cut a test short. */
const FUTURE = Date.UTC(new Date().getUTCFullYear() + 1, 5, 10, 12);

class Clock {
  constructor(public t: number) {}
  now = () => this.t;
}

let cluster: PrivateRedis;
beforeAll(async () => {
  cluster = await startPrivateRedis({ cluster: true });
});
afterAll(() => cluster?.stop());

type MakeStore = (clock: Clock) => Promise<Store>;
const backends: [string, MakeStore][] = [
  ['memory', async (clock) => createMemoryStore({ now: clock.now, sweepIntervalMs: 0 })],
  ['redis', () => createTestRedisStore(inject('redisUrl'))],
  ['redis-cluster', () => createTestClusterStore(cluster.url)],
];

const LIMITS: DefaultLimits = { userDailyMicros: 5 * USD, userMonthlyMicros: null, systemMonthlyMicros: 1000 * USD };

describe.each(backends)('spend ledger on %s', (name, makeStore) => {
  const stores: Store[] = [];
  afterAll(() => Promise.all(stores.map((s) => s.close())));

  async function setup(opts: Partial<SpendLedgerOptions> & { clock?: Clock } = {}) {
    const clock = opts.clock ?? new Clock(FUTURE);
    const store = await makeStore(clock);
    stores.push(store);
    const ledger = createSpendLedger({ store, limits: LIMITS, now: clock.now, ...opts });
    return { clock, store, ledger, settings: createLimitSettings(store, opts.limits ?? LIMITS) };
  }

  it('admits exactly 500 of 1,000 concurrent $0.01 reservations against $5, 10 times in 10', async () => {
    const { ledger } = await setup();
    for (let run = 0; run < 10; run++) {
      const userId = `burst-${run}`;
      const outcomes = await Promise.all(
        Array.from({ length: 1000 }, () =>
          ledger.reserve({ requestId: randomUUID(), userId, minMicros: 10_000, maxMicros: 10_000 }),
        ),
      );
      const admitted = outcomes.filter((o) => o.kind === 'admitted');
      expect(admitted).toHaveLength(500);
      expect(
        outcomes.filter((o) => o.kind === 'denied').every((o) => o.kind === 'denied' && o.scope === 'user_daily'),
      ).toBe(true);
      await Promise.all(admitted.map((o) => o.kind === 'admitted' && ledger.settle(o.reservation, 10_000)));
      const status = await ledger.status(userId);
      expect(status.daySettled).toBe(5_000_000);
      expect(status.dayReserved).toBe(0);
      expect(status.blocked).toBe(true);
      expect(status.blockedReason).toBe('user_daily');
    }
  });

  it('never overspends any window under random concurrent costs and settles (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          costs: fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 1, maxLength: 120 }),
          actualRatio: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 120, maxLength: 120 }),
          flexible: fc.boolean(),
          dayLimit: fc.integer({ min: 0, max: 1_500_000 }),
          userMonth: fc.option(fc.integer({ min: 0, max: 1_500_000 }), { nil: null }),
          systemLimit: fc.integer({ min: 0, max: 3_000_000 }),
          users: fc.integer({ min: 1, max: 3 }),
        }),
        async (p) => {
          const limits = {
            userDailyMicros: p.dayLimit,
            userMonthlyMicros: p.userMonth,
            systemMonthlyMicros: p.systemLimit,
          };
          const { ledger } = await setup({ limits });
          const users = Array.from({ length: p.users }, (_, i) => `prop-${i}`);
          const outcomes = await Promise.all(
            p.costs.map((cost, i) =>
              ledger.reserve({
                requestId: `r${i}`,
                userId: users[i % users.length] as string,
                minMicros: p.flexible ? Math.ceil(cost / 4) : cost,
                maxMicros: cost,
              }),
            ),
          );
          const charged = new Map<string, number>();
          await Promise.all(
            outcomes.map(async (o, i) => {
              if (o.kind !== 'admitted') return;
              const actual = Math.floor(o.reservation.amount * (p.actualRatio[i] ?? 1));
              charged.set(o.reservation.userId, (charged.get(o.reservation.userId) ?? 0) + actual);
              await ledger.settle(o.reservation, actual);
            }),
          );
          let system = 0;
          for (const userId of users) {
            const s = await ledger.status(userId);
            expect(s.dayReserved).toBe(0);
            expect(s.monthReserved).toBe(0);
            expect(s.daySettled).toBe(charged.get(userId) ?? 0);
            expect(s.daySettled).toBeLessThanOrEqual(p.dayLimit);
            if (p.userMonth !== null) expect(s.monthSettled).toBeLessThanOrEqual(p.userMonth);
            system += s.daySettled;
            expect(s.systemReserved).toBe(0);
          }
          const any = await ledger.status(users[0] as string);
          expect(any.systemSettled).toBe(system);
          expect(any.systemSettled).toBeLessThanOrEqual(p.systemLimit);
        },
      ),
      { numRuns: name === 'memory' ? 150 : 30 },
    );
  });

  it('grants as much of [min, max] as fits, and writes nothing when denied', async () => {
    const { ledger } = await setup();
    const a = await ledger.reserve({ requestId: 'a', userId: 'u', minMicros: 1_000, maxMicros: 4_000_000 });
    expect(a).toMatchObject({ kind: 'admitted', reservation: { amount: 4_000_000 } });
    const b = await ledger.reserve({ requestId: 'b', userId: 'u', minMicros: 1_000, maxMicros: 4_000_000 });
    expect(b).toMatchObject({ kind: 'admitted', reservation: { amount: 1_000_000 } });
    const before = await ledger.status('u');
    const c = await ledger.reserve({ requestId: 'c', userId: 'u', minMicros: 1, maxMicros: 10 });
    expect(c).toMatchObject({ kind: 'denied', scope: 'user_daily', status: { blocked: true } });
    expect(await ledger.status('u')).toEqual(before);
  });

  it('settles exactly once, and a replayed reserve does not hold twice', async () => {
    const { ledger } = await setup();
    const first = await ledger.reserve({ requestId: 'rid-1', userId: 'u', minMicros: 500, maxMicros: 500 });
    const replay = await ledger.reserve({ requestId: 'rid-1', userId: 'u', minMicros: 500, maxMicros: 500 });
    expect(replay).toMatchObject({ kind: 'admitted', replay: true, reservation: { amount: 500 } });
    expect((await ledger.status('u')).dayReserved).toBe(500);
    if (first.kind !== 'admitted') throw new Error('not admitted');
    expect((await ledger.settle(first.reservation, 300)).settled).toBe(true);
    expect((await ledger.settle(first.reservation, 300)).settled).toBe(false);
    const s = await ledger.status('u');
    expect([s.daySettled, s.dayReserved, s.monthSettled, s.systemSettled]).toEqual([300, 0, 300, 300]);
    expect(await ledger.reserve({ requestId: 'rid-1', userId: 'u', minMicros: 1, maxMicros: 1 })).toEqual({
      kind: 'already_settled',
    });
  });

  it('answers a settle with the windows as they stand after it, as a status read would', async () => {
    const { ledger, settings } = await setup();
    await settings.setUser('u', { monthly: 50 * USD });
    const a = await ledger.reserve({ requestId: 'sa', userId: 'u', minMicros: 300, maxMicros: 300 });
    const b = await ledger.reserve({ requestId: 'sb', userId: 'u', minMicros: 500, maxMicros: 500 });
    await ledger.reserve({ requestId: 'so', userId: 'other', minMicros: 700, maxMicros: 700 });
    if (a.kind !== 'admitted' || b.kind !== 'admitted') throw new Error('not admitted');
    // With b still held and another user's lease on the system window, every figure is non-zero.
    const settled = await ledger.settle(a.reservation, 200);
    expect(settled.settled).toBe(true);
    expect(settled.status).toEqual(await ledger.status('u'));
    expect([settled.status.daySettled, settled.status.dayReserved, settled.status.systemReserved]).toEqual([
      200, 500, 1200,
    ]);
    // Settling again changes nothing and answers the same figures.
    expect(await ledger.settle(a.reservation, 200)).toEqual({ settled: false, status: settled.status });
    // A charge without a lease, for a user with none yet.
    const charged = await ledger.charge({ requestId: 'sc', userId: 'new', micros: 40 });
    expect(charged.status).toEqual(await ledger.status('new'));
    expect([charged.status.daySettled, charged.status.monthSettled, charged.status.systemSettled]).toEqual([
      40, 40, 240,
    ]);
  });

  it('gives every counter and lease index it writes the expiry of its window, on every path', async () => {
    const { ledger, clock, store } = await setup();
    const w = windowsAt(clock.t);
    // New counters; then the same counters again (existing); a held lease; a charge without one.
    const first = await ledger.reserve({ requestId: 'e1', userId: 'u1', minMicros: 100, maxMicros: 100 });
    if (first.kind !== 'admitted') throw new Error('not admitted');
    await ledger.settle(first.reservation, 60);
    expect((await ledger.reserve({ requestId: 'e2', userId: 'u1', minMicros: 100, maxMicros: 100 })).kind).toBe(
      'admitted',
    );
    await ledger.charge({ requestId: 'e3', userId: 'u2', micros: 40 });
    /** A key's expiry, Unix seconds; -1 without one, -2 when it does not exist (as EXPIRETIME). */
    const expiresAt = async (key: string): Promise<number> => {
      if ('redis' in store) {
        const ms = (store.redis as MemoryRedis).pttl(key);
        return ms < 0 ? ms : Math.round((clock.t + ms) / 1000);
      }
      const { client, prefix } = store as Store & { client: Cluster; prefix: string };
      return Number(await client.call('EXPIRETIME', prefix + key));
    };
    const windows = [w.dayExpireAtSec, w.dayExpireAtSec, w.monthExpireAtSec, w.monthExpireAtSec];
    const checked: string[] = [];
    for (const userId of ['u1', 'u2']) {
      for (const [i, key] of counterKeys(userId, w.day, w.month).entries()) {
        const at = await expiresAt(key);
        if (at === -2) continue; // not there: u2 holds no lease
        expect(at, key).toBe(windows[i] ?? w.monthExpireAtSec);
        checked.push(key);
      }
    }
    // u1's six keys (e2 holds a lease), u2's day and month counters, the system's two again.
    expect(checked).toHaveLength(10);
  });

  it('frees the budget of an expired lease, and a late settle still charges', async () => {
    const { ledger, clock } = await setup({ leaseTtlMs: 1_000 });
    const held = await ledger.reserve({ requestId: 'slow', userId: 'u', minMicros: 4 * USD, maxMicros: 4 * USD });
    expect(
      (await ledger.reserve({ requestId: 'next', userId: 'u', minMicros: 2 * USD, maxMicros: 2 * USD })).kind,
    ).toBe('denied');
    clock.t += 2_000;
    expect((await ledger.status('u')).dayReserved).toBe(0);
    const next = await ledger.reserve({ requestId: 'next2', userId: 'u', minMicros: 2 * USD, maxMicros: 2 * USD });
    expect(next.kind).toBe('admitted');
    if (held.kind !== 'admitted' || next.kind !== 'admitted') throw new Error('not admitted');
    expect((await ledger.settle(held.reservation, 3 * USD)).settled).toBe(true);
    expect((await ledger.settle(next.reservation, 1 * USD)).settled).toBe(true);
    const s = await ledger.status('u');
    expect([s.daySettled, s.dayReserved, s.systemReserved]).toEqual([4 * USD, 0, 0]);
  });

  it('reclaims expired leases in the reserve itself, before it weighs the limits', async () => {
    const { ledger, clock } = await setup({ leaseTtlMs: 1_000 });
    expect(
      (await ledger.reserve({ requestId: 'stale', userId: 'r', minMicros: 4 * USD, maxMicros: 4 * USD })).kind,
    ).toBe('admitted');
    clock.t += 2_000;
    // No status read in between: only the reserve can free the stale lease's $4 of the $5 day.
    const next = await ledger.reserve({ requestId: 'fresh', userId: 'r', minMicros: 3 * USD, maxMicros: 3 * USD });
    expect(next.kind).toBe('admitted');
    const s = await ledger.status('r');
    expect([s.dayReserved, s.monthReserved]).toEqual([3 * USD, 3 * USD]);
  });

  it('grants the full amount when only an expired lease stood in its way', async () => {
    const { ledger, clock } = await setup({ leaseTtlMs: 1_000 });
    await ledger.reserve({ requestId: 'stale2', userId: 'g', minMicros: 4 * USD, maxMicros: 4 * USD });
    clock.t += 2_000;
    // With the stale $4 counted, $1 of the $5 day is left: enough to admit, not to grant $3.
    const next = await ledger.reserve({ requestId: 'full', userId: 'g', minMicros: USD / 2, maxMicros: 3 * USD });
    if (next.kind !== 'admitted') throw new Error(`not admitted: ${next.kind}`);
    expect(next.reservation.amount).toBe(3 * USD);
    expect((await ledger.status('g')).dayReserved).toBe(3 * USD);
  });

  it('charges the UTC day and month a call was admitted in, across midnight and month end', async () => {
    const lastDay = new Date(FUTURE);
    const monthEnd = Date.UTC(lastDay.getUTCFullYear(), lastDay.getUTCMonth() + 1, 1) - 100; // 23:59:59.900
    const clock = new Clock(monthEnd - 2 * DAY); // two days before month end, 23:59:59.900
    const { ledger } = await setup({ clock });
    const r1 = await ledger.reserve({ requestId: 'd1', userId: 'u', minMicros: 1000, maxMicros: 1000 });
    clock.t += 200; // past midnight, same month
    if (r1.kind !== 'admitted') throw new Error('not admitted');
    await ledger.settle(r1.reservation, 700);
    let s = await ledger.status('u');
    expect([s.daySettled, s.monthSettled]).toEqual([0, 700]);
    expect(s.dayResetsAt - clock.t).toBe(DAY - 100);

    clock.t = monthEnd;
    const r2 = await ledger.reserve({ requestId: 'm1', userId: 'u', minMicros: 1000, maxMicros: 1000 });
    clock.t += 200; // first instant of the next month
    if (r2.kind !== 'admitted') throw new Error('not admitted');
    await ledger.settle(r2.reservation, 900);
    s = await ledger.status('u');
    expect([s.daySettled, s.monthSettled, s.systemSettled, s.dayReserved]).toEqual([0, 0, 0, 0]);
    clock.t -= 200;
    s = await ledger.status('u');
    expect([s.daySettled, s.monthSettled, s.systemSettled]).toEqual([900, 1600, 1600]);
  });

  it('blocks every user once the system-wide monthly cap is reached', async () => {
    const { ledger } = await setup({ limits: { ...LIMITS, systemMonthlyMicros: 3 * USD } });
    for (const userId of ['a', 'b', 'c']) {
      const r = await ledger.reserve({ requestId: `s-${userId}`, userId, minMicros: USD, maxMicros: USD });
      if (r.kind !== 'admitted') throw new Error('not admitted');
      await ledger.settle(r.reservation, USD);
    }
    const d = await ledger.reserve({ requestId: 's-d', userId: 'd', minMicros: 1, maxMicros: 1 });
    expect(d).toMatchObject({ kind: 'denied', scope: 'system_monthly', status: { blockedReason: 'system_monthly' } });
    expect(d.kind === 'denied' && d.status.warningMessage).toMatch(/system-wide monthly AI budget is exhausted/);
  });

  it('applies per-user and default limit overrides on the next request', async () => {
    const { ledger, settings } = await setup();
    await settings.setUser('vip', { daily: 20 * USD });
    await settings.setUser('tight', { daily: USD, monthly: 2 * USD });
    expect(
      (await ledger.reserve({ requestId: 'v', userId: 'vip', minMicros: 10 * USD, maxMicros: 10 * USD })).kind,
    ).toBe('admitted');
    expect(
      await ledger.reserve({ requestId: 't', userId: 'tight', minMicros: 1.5 * USD, maxMicros: 2 * USD }),
    ).toMatchObject({
      kind: 'denied',
      scope: 'user_daily',
    });
    await settings.setUser('tight', { daily: null });
    await settings.setDefaults({ userDaily: 3 * USD });
    const t = await ledger.reserve({ requestId: 't2', userId: 'tight', minMicros: 1.5 * USD, maxMicros: 3 * USD });
    expect(t).toMatchObject({ kind: 'admitted', reservation: { amount: 2 * USD } });
    expect(await settings.users()).toEqual([
      { userId: 'tight', monthlyMicros: 2 * USD },
      { userId: 'vip', dailyMicros: 20 * USD },
    ]);
    expect(await settings.defaults()).toMatchObject({ userDailyMicros: 3 * USD, overridden: { userDaily: true } });
  });

  it('resets a user’s current windows with an audit record, leaving the system total', async () => {
    const { ledger } = await setup();
    const r = await ledger.reserve({ requestId: 'x', userId: '123', minMicros: 2 * USD, maxMicros: 2 * USD });
    if (r.kind !== 'admitted') throw new Error('not admitted');
    await ledger.settle(r.reservation, 2 * USD);
    const { previous, status } = await ledger.resetUser('123', 'admin');
    expect(previous).toMatchObject({
      user_id: '123',
      by: 'admin',
      previous_daily_micros: 2 * USD,
      previous_monthly_micros: 2 * USD,
    });
    expect([status.daySettled, status.monthSettled, status.systemSettled]).toEqual([0, 0, 2 * USD]);
    expect((await ledger.resetAudit())[0]).toMatchObject({ user_id: '123', previous_daily_micros: 2 * USD });
  });

  it('reports usage made elsewhere and the status after it', async () => {
    const { ledger } = await setup();
    const { charged, status } = await ledger.charge({ requestId: 'ext-1', userId: '9', micros: 4_500_000 });
    expect(charged).toBe(true);
    expect(status).toMatchObject({ daySettled: 4_500_000, level: 'warning', blocked: false });
    expect(status.warningMessage).toMatch(/90% of your daily AI spend limit/);
    expect((await ledger.charge({ requestId: 'ext-1', userId: '9', micros: 4_500_000 })).charged).toBe(false);
  });
});

describe('cluster safety', () => {
  it('puts every key of every script in one Redis Cluster slot', async () => {
    const store = createRedisStore({ url: cluster.url, cluster: true, commandTimeoutMs: 5_000 });
    await store.ping();
    const client = store.client as Cluster;
    const keys = [
      ...counterKeys('user-1', '20261204', '202612'),
      ...counterKeys('someone@example.com', '20270101', '202701'),
      spendKeys.done(randomUUID()),
      spendKeys.limitDefaults(),
      spendKeys.limitUsers(),
      spendKeys.resetAudit(),
    ];
    const slots = new Set(await Promise.all(keys.map((k) => client.cluster('KEYSLOT', k))));
    expect(slots.size).toBe(1);
    await store.close();
  });
});

describe('store failure policy', () => {
  const dead = () => createRedisStore({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 100, connectTimeoutMs: 100 });

  it('refuses fast when closed', async () => {
    const store = dead();
    const ledger = createSpendLedger({ store, limits: LIMITS, failureMode: 'closed' });
    const started = Date.now();
    const outcome = await ledger.reserve({ requestId: 'f', userId: 'u', minMicros: 1, maxMicros: 1 });
    expect(outcome.kind).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(150);
    await store.close();
  });

  it('lets calls through unreserved when open, and says so', async () => {
    const store = dead();
    const seen: unknown[] = [];
    const ledger = createSpendLedger({ store, limits: LIMITS, failureMode: 'open', onFailOpen: (e) => seen.push(e) });
    const outcome = await ledger.reserve({ requestId: 'f', userId: 'u', minMicros: 1, maxMicros: 7 });
    expect(outcome).toMatchObject({ kind: 'admitted', reservation: { unreserved: true, amount: 7 } });
    expect(seen).toHaveLength(1);
    await store.close();
  });
});
