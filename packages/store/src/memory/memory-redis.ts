/**
 * A synchronous, single-process subset of Redis: the commands our scripts use, with Redis'
 * semantics for types, integers and expiry. Scripts' `memory` implementations call it the way
 * their Lua twin calls `redis.call`.
 */
type Entry =
  | { type: 'string'; value: string; expiresAt: number | null }
  | { type: 'hash'; value: Map<string, string>; expiresAt: number | null }
  | { type: 'zset'; value: Map<string, number>; expiresAt: number | null }
  | { type: 'list'; value: string[]; expiresAt: number | null };

export class WrongTypeError extends Error {
  constructor() {
    super('WRONGTYPE Operation against a key holding the wrong kind of value');
  }
}

function toInteger(value: string | undefined, what = 'value'): number {
  if (value === undefined) return 0;
  if (!/^-?\d+$/.test(value)) throw new Error(`ERR ${what} is not an integer or out of range`);
  return Number(value);
}

export class MemoryRedis {
  private readonly data = new Map<string, Entry>();

  /** `now` is injectable so tests can cross midnight and month ends. */
  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string): Entry | undefined {
    const entry = this.data.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.data.delete(key);
      return undefined;
    }
    return entry;
  }

  private typed<T extends Entry['type']>(key: string, type: T): Extract<Entry, { type: T }> | undefined {
    const entry = this.live(key);
    if (entry && entry.type !== type) throw new WrongTypeError();
    return entry as Extract<Entry, { type: T }> | undefined;
  }

  private create<T extends Entry['type']>(key: string, type: T): Extract<Entry, { type: T }> {
    const existing = this.typed(key, type);
    if (existing) return existing;
    const fresh = {
      type,
      value: type === 'string' ? '' : type === 'list' ? [] : new Map(),
      expiresAt: null,
    } as Extract<Entry, { type: T }>;
    this.data.set(key, fresh);
    return fresh;
  }

  /** Drops expired keys; called on a timer so idle data does not pile up. */
  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.data) if (entry.expiresAt !== null && entry.expiresAt <= now) this.data.delete(key);
  }

  size(): number {
    return this.data.size;
  }

  exists(key: string): number {
    return this.live(key) ? 1 : 0;
  }

  del(...keys: string[]): number {
    let n = 0;
    for (const key of keys) if (this.live(key) && this.data.delete(key)) n++;
    return n;
  }

  get(key: string): string | null {
    return this.typed(key, 'string')?.value ?? null;
  }

  set(key: string, value: string, opts: { px?: number; nx?: boolean } = {}): boolean {
    if (opts.nx && this.live(key)) return false;
    this.data.set(key, {
      type: 'string',
      value,
      expiresAt: opts.px !== undefined ? this.now() + opts.px : null,
    });
    return true;
  }

  incrby(key: string, by: number): number {
    const entry = this.create(key, 'string');
    const next = toInteger(entry.value === '' ? '0' : entry.value) + by;
    entry.value = String(next);
    return next;
  }

  pexpireat(key: string, atMs: number): number {
    const entry = this.live(key);
    if (!entry) return 0;
    entry.expiresAt = atMs;
    return 1;
  }

  expireat(key: string, atSec: number): number {
    return this.pexpireat(key, atSec * 1000);
  }

  pexpire(key: string, ms: number): number {
    return this.pexpireat(key, this.now() + ms);
  }

  /** Milliseconds to live, -1 without expiry, -2 when missing (as PTTL). */
  pttl(key: string): number {
    const entry = this.live(key);
    if (!entry) return -2;
    return entry.expiresAt === null ? -1 : entry.expiresAt - this.now();
  }

  hget(key: string, field: string): string | null {
    return this.typed(key, 'hash')?.value.get(field) ?? null;
  }

  hmget(key: string, ...fields: string[]): (string | null)[] {
    const hash = this.typed(key, 'hash')?.value;
    return fields.map((f) => hash?.get(f) ?? null);
  }

  hgetall(key: string): Record<string, string> {
    return Object.fromEntries(this.typed(key, 'hash')?.value ?? []);
  }

  hexists(key: string, field: string): number {
    return this.typed(key, 'hash')?.value.has(field) ? 1 : 0;
  }

  hset(key: string, fields: Record<string, string | number>): number {
    const hash = this.create(key, 'hash').value;
    let added = 0;
    for (const [f, v] of Object.entries(fields)) {
      if (!hash.has(f)) added++;
      hash.set(f, String(v));
    }
    return added;
  }

  hdel(key: string, ...fields: string[]): number {
    const entry = this.typed(key, 'hash');
    if (!entry) return 0;
    let n = 0;
    for (const f of fields) if (entry.value.delete(f)) n++;
    if (entry.value.size === 0) this.data.delete(key);
    return n;
  }

  hincrby(key: string, field: string, by: number): number {
    const hash = this.create(key, 'hash').value;
    const next = toInteger(hash.get(field), 'hash value') + by;
    hash.set(field, String(next));
    return next;
  }

  zadd(key: string, score: number, member: string): number {
    const zset = this.create(key, 'zset').value;
    const added = zset.has(member) ? 0 : 1;
    zset.set(member, score);
    return added;
  }

  zrem(key: string, ...members: string[]): number {
    const entry = this.typed(key, 'zset');
    if (!entry) return 0;
    let n = 0;
    for (const m of members) if (entry.value.delete(m)) n++;
    if (entry.value.size === 0) this.data.delete(key);
    return n;
  }

  zscore(key: string, member: string): number | null {
    return this.typed(key, 'zset')?.value.get(member) ?? null;
  }

  /** Members with scores, highest score first (ZREVRANGE … WITHSCORES). */
  zrevrangeWithScores(key: string, start: number, stop: number): [string, number][] {
    const zset = this.typed(key, 'zset')?.value;
    if (!zset) return [];
    const sorted = [...zset].sort(([ma, a], [mb, b]) => b - a || (ma < mb ? 1 : ma > mb ? -1 : 0));
    return sliceInclusive(sorted, start, stop);
  }

  zcard(key: string): number {
    return this.typed(key, 'zset')?.value.size ?? 0;
  }

  /** Members with min ≤ score ≤ max, lowest score first (ties by member, as Redis). */
  zrangebyscore(key: string, min: number, max: number, limit = Number.POSITIVE_INFINITY): string[] {
    const zset = this.typed(key, 'zset')?.value;
    if (!zset) return [];
    return [...zset]
      .filter(([, s]) => s >= min && s <= max)
      .sort(([ma, a], [mb, b]) => a - b || (ma < mb ? -1 : ma > mb ? 1 : 0))
      .slice(0, limit)
      .map(([m]) => m);
  }

  lpush(key: string, ...values: string[]): number {
    const list = this.create(key, 'list').value;
    for (const v of values) list.unshift(v);
    return list.length;
  }

  /** Keeps elements start..stop inclusive (negative indexes count from the end). */
  ltrim(key: string, start: number, stop: number): void {
    const entry = this.typed(key, 'list');
    if (!entry) return;
    entry.value = sliceInclusive(entry.value, start, stop);
    if (entry.value.length === 0) this.data.delete(key);
  }

  lrange(key: string, start: number, stop: number): string[] {
    return sliceInclusive(this.typed(key, 'list')?.value ?? [], start, stop);
  }

  llen(key: string): number {
    return this.typed(key, 'list')?.value.length ?? 0;
  }
}

function sliceInclusive<T>(items: T[], start: number, stop: number): T[] {
  const len = items.length;
  const from = start < 0 ? Math.max(len + start, 0) : start;
  const to = stop < 0 ? len + stop : Math.min(stop, len - 1);
  return from > to ? [] : items.slice(from, to + 1);
}
