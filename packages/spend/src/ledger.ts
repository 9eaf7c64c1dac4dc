import { isStoreUnavailable, type Store } from '@tollgate/store';
import { createCounterKeyCache, spendKeys } from './keys';
import { describeLimitStatus, type LimitScope, type LimitStatus } from './limit-status';
import { reserveScript } from './scripts/reserve';
import { resetScript } from './scripts/reset';
import { settleScript } from './scripts/settle';
import { statusScript } from './scripts/status';
import { dayExpireAtSec, monthExpireAtSec, type Windows, windowsAt, windowsOf } from './windows';

/** Limits from configuration, in µ$. Admins may override them at run time (see limits.ts). */
export interface DefaultLimits {
  userDailyMicros: number;
  /** null: no per-user monthly limit, only the system cap. */
  userMonthlyMicros: number | null;
  systemMonthlyMicros: number;
}

export interface SpendLedgerOptions {
  store: Store;
  limits: DefaultLimits;
  /** How long a reservation holds budget without a settle (longest request + margin). */
  leaseTtlMs?: number;
  /** Store unreachable: `closed` refuses calls, `open` lets them through unreserved. */
  failureMode?: 'closed' | 'open';
  now?: () => number;
  /** Told about every fail-open admission, so operators can count them. */
  onFailOpen?: (error: unknown) => void;
}

/** What a reservation holds; settle charges the windows the request was admitted in. */
export interface Reservation {
  requestId: string;
  userId: string;
  /** µ$ held. */
  amount: number;
  day: string;
  month: string;
  /** True when admitted without a reservation because the store was down and the policy is open. */
  unreserved: boolean;
}

export type ReserveOutcome =
  | { kind: 'admitted'; reservation: Reservation; replay: boolean }
  | { kind: 'denied'; scope: LimitScope; status: LimitStatus }
  | { kind: 'already_settled' }
  | { kind: 'unavailable'; error: unknown };

const SCOPES: Record<number, LimitScope> = { 1: 'user_daily', 2: 'user_monthly', 3: 'system_monthly' };
const DONE_TTL_SEC = 48 * 3600;
const AUDIT_CAP = 1_000;

export interface ResetAuditRecord {
  at: string;
  by: string;
  user_id: string;
  previous_daily_micros: number;
  previous_monthly_micros: number;
}

export function createSpendLedger(options: SpendLedgerOptions) {
  const { store } = options;
  const now = options.now ?? Date.now;
  const leaseTtl = options.leaseTtlMs ?? 16 * 60_000;
  // Built once: the configured limits as script arguments, and the limit hashes' keys.
  const envDay = String(options.limits.userDailyMicros);
  const envUserMonth = String(options.limits.userMonthlyMicros ?? -1);
  const envSystem = String(options.limits.systemMonthlyMicros);
  const defaultsKey = spendKeys.limitDefaults();
  const usersKey = spendKeys.limitUsers();
  const counters = createCounterKeyCache();
  /** KEYS of reserve and settle: the six counter keys, the request's done marker, the limit hashes. */
  const withRequestKeys = (counterKeyList: readonly string[], requestId: string) => {
    const keys = counterKeyList.slice();
    keys.push(spendKeys.done(requestId), defaultsKey, usersKey);
    return keys;
  };

  const figures = (raw: number[]) => {
    const [
      daySettled,
      dayReserved,
      monthSettled,
      monthReserved,
      systemSettled,
      systemReserved,
      dayLimit,
      userMonthLimit,
      systemLimit,
    ] = raw.map(Number) as [number, number, number, number, number, number, number, number, number];
    return {
      daySettled,
      dayReserved,
      monthSettled,
      monthReserved,
      systemSettled,
      systemReserved,
      dayLimit,
      userMonthLimit,
      systemLimit,
    };
  };

  async function statusAt(userId: string, w: Windows): Promise<LimitStatus> {
    const keys = [...counters.of(userId, w.day, w.month), defaultsKey, usersKey];
    const raw = await store.run(statusScript, keys, [now(), userId, envDay, envUserMonth, envSystem]);
    return describeLimitStatus(userId, figures(raw), w);
  }

  /**
   * Reserves between `minMicros` (the smallest useful call) and `maxMicros` (the worst case).
   * The amount granted tells the caller how large a completion it may ask for.
   */
  async function reserve(input: {
    requestId: string;
    userId: string;
    minMicros: number;
    maxMicros: number;
  }): Promise<ReserveOutcome> {
    const t = now();
    const w = windowsAt(t);
    const keys = withRequestKeys(counters.of(input.userId, w.day, w.month), input.requestId);
    const min = Math.max(0, Math.ceil(input.minMicros));
    const max = Math.max(min, Math.ceil(input.maxMicros));
    let reply: number[];
    try {
      reply = await store.run(reserveScript, keys, [
        input.requestId,
        min,
        max,
        t,
        t + leaseTtl,
        w.dayExpireAtSec,
        w.monthExpireAtSec,
        envDay,
        envUserMonth,
        envSystem,
        input.userId,
      ]);
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      if (options.failureMode !== 'open') return { kind: 'unavailable', error };
      options.onFailOpen?.(error);
      return {
        kind: 'admitted',
        replay: false,
        reservation: {
          requestId: input.requestId,
          userId: input.userId,
          amount: max,
          day: w.day,
          month: w.month,
          unreserved: true,
        },
      };
    }
    const [status, amount, reason] = reply.map(Number) as [number, number, number];
    const reservation: Reservation = {
      requestId: input.requestId,
      userId: input.userId,
      amount,
      day: w.day,
      month: w.month,
      unreserved: false,
    };
    if (status === 1) return { kind: 'admitted', reservation, replay: false };
    if (status === 2) return { kind: 'admitted', reservation, replay: true };
    if (status === 3) return { kind: 'already_settled' };
    return { kind: 'denied', scope: SCOPES[reason] ?? 'user_daily', status: await statusAt(input.userId, w) };
  }

  /**
   * Charges the actual cost in place of the reservation. Settling twice charges once. Returns
   * whether this call settled it and the status of the windows it was charged in.
   */
  async function settle(
    reservation: Pick<Reservation, 'requestId' | 'userId' | 'day' | 'month'>,
    actualMicros: number,
  ): Promise<{ settled: boolean; status: LimitStatus }> {
    const keys = withRequestKeys(
      counters.of(reservation.userId, reservation.day, reservation.month),
      reservation.requestId,
    );
    const reply = await store.run(settleScript, keys, [
      reservation.requestId,
      Math.max(0, Math.ceil(actualMicros)),
      DONE_TTL_SEC,
      dayExpireAtSec(reservation.day),
      monthExpireAtSec(reservation.month),
      reservation.userId,
      envDay,
      envUserMonth,
      envSystem,
    ]);
    const [settled, ...rest] = reply.map(Number);
    return {
      settled: settled === 1,
      status: describeLimitStatus(
        reservation.userId,
        figures(rest),
        windowsOf(reservation.day, reservation.month, now()),
      ),
    };
  }

  /** Records spend that happened elsewhere (no reservation) in the current windows. */
  async function charge(input: {
    requestId: string;
    userId: string;
    micros: number;
  }): Promise<{ charged: boolean; status: LimitStatus }> {
    const w = windowsAt(now());
    const { settled, status } = await settle(
      { requestId: input.requestId, userId: input.userId, day: w.day, month: w.month },
      input.micros,
    );
    return { charged: settled, status };
  }

  async function resetUser(userId: string, by: string): Promise<{ previous: ResetAuditRecord; status: LimitStatus }> {
    const t = now();
    const w = windowsAt(t);
    const record = { at: new Date(t).toISOString(), by, user_id: userId };
    const [pd, pm] = (
      await store.run(
        resetScript,
        [spendKeys.userDay(userId, w.day), spendKeys.userMonth(userId, w.month), spendKeys.resetAudit()],
        [JSON.stringify(record), AUDIT_CAP, w.dayExpireAtSec, w.monthExpireAtSec],
      )
    ).map(Number) as [number, number];
    return {
      previous: { ...record, previous_daily_micros: pd, previous_monthly_micros: pm },
      status: await statusAt(userId, w),
    };
  }

  async function resetAudit(limit = 100): Promise<ResetAuditRecord[]> {
    const rows = await store.range(spendKeys.resetAudit(), 0, Math.max(0, limit - 1));
    return rows.map((r) => JSON.parse(r) as ResetAuditRecord);
  }

  return {
    reserve,
    settle,
    charge,
    status: (userId: string) => statusAt(userId, windowsAt(now())),
    resetUser,
    resetAudit,
  };
}

export type SpendLedger = ReturnType<typeof createSpendLedger>;
