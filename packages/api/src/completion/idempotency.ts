import { createHash } from 'node:crypto';
import { type Store, taggedKey } from '@tollgate/store';
import { ApiProblem } from '../errors';

const TTL_MS = 24 * 3600_000;

interface Entry {
  state: 'pending' | 'done';
  hash: string;
  result?: unknown;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Idempotency-Key: a retry with the same key and body within 24 h gets the stored result and is
 * charged once; the same key with another body is a 409. Keys are scoped to the user.
 */
export async function withIdempotency<T>(
  store: Store,
  scope: { userId: string; key: string; body: unknown },
  run: (requestId: string) => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  if (scope.key.length > 255)
    throw new ApiProblem(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key is at most 255 characters');
  const id = createHash('sha256').update(`${scope.userId}\u0000${scope.key}`).digest('hex').slice(0, 32);
  const storeKey = taggedKey('idem', id);
  const hash = createHash('sha256').update(canonical(scope.body)).digest('hex');
  const claimed = await store.set(storeKey, JSON.stringify({ state: 'pending', hash } satisfies Entry), {
    ttlMs: TTL_MS,
    onlyIfAbsent: true,
  });
  if (!claimed) {
    const existing = JSON.parse((await store.get(storeKey)) ?? '{}') as Partial<Entry>;
    if (existing.hash !== hash) {
      throw new ApiProblem(
        409,
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with a different request body',
      );
    }
    if (existing.state === 'done') return { result: existing.result as T, replayed: true };
    throw new ApiProblem(
      409,
      'IDEMPOTENCY_IN_PROGRESS',
      'A request with this Idempotency-Key is still in progress',
      {},
      1,
    );
  }
  try {
    const result = await run(`idem-${id}`);
    await store.set(storeKey, JSON.stringify({ state: 'done', hash, result } satisfies Entry), { ttlMs: TTL_MS });
    return { result, replayed: false };
  } catch (error) {
    // A failed call may be retried with the same key.
    await store.del(storeKey).catch(() => {});
    throw error;
  }
}
