import { type Store, taggedKey } from '@tollgate/store';

export interface FailureLimiterOptions {
  store: Store;
  /** Failures allowed per address within `windowMs` before it is blocked. */
  maxFailures?: number;
  windowMs?: number;
  blockMs?: number;
  now?: () => number;
}

/**
 * Slows brute force: an address with too many failed authentications is refused (429) for a
 * while. Counts are shared through the store so every instance sees them; the block itself is
 * remembered in process, so a blocked address costs no store round trip.
 */
export function createFailureLimiter(options: FailureLimiterOptions) {
  const max = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 5 * 60_000;
  const blockMs = options.blockMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const blocked = new Map<string, number>();
  const local = new Map<string, { count: number; until: number }>();

  /** Seconds until the address may try again, or 0 when it is not blocked. */
  function blockedFor(address: string): number {
    const until = blocked.get(address);
    if (until === undefined) return 0;
    const left = until - now();
    if (left <= 0) {
      blocked.delete(address);
      return 0;
    }
    return Math.ceil(left / 1000);
  }

  async function recordFailure(address: string): Promise<void> {
    let count: number;
    try {
      count = await options.store.incrby(taggedKey('authfail', address), 1, windowMs);
    } catch {
      // Store down: keep counting in process so brute force is still slowed.
      const t = now();
      const entry = local.get(address);
      count = entry && entry.until > t ? entry.count + 1 : 1;
      local.set(address, { count, until: entry && entry.until > t ? entry.until : t + windowMs });
    }
    if (count >= max) {
      if (blocked.size > 100_000) blocked.clear();
      blocked.set(address, now() + blockMs);
    }
  }

  return { blockedFor, recordFailure };
}

export type FailureLimiter = ReturnType<typeof createFailureLimiter>;
