import { randomBytes } from 'node:crypto';
import type { PriceOverride } from '@tollgate/pricing';
import { type Store, taggedKey } from '@tollgate/store';

const KEY = taggedKey('pricing', 'overrides');

export interface PriceOverrideInput {
  provider: string;
  model: string;
  input_per_mtok_usd: number;
  output_per_mtok_usd: number;
  cache_read_per_mtok_usd?: number | null | undefined;
  cache_write_per_mtok_usd?: number | null | undefined;
}

/**
 * Admin price overrides, kept in the store. The pricer reads a snapshot synchronously on the hot
 * path; it is refreshed every `refreshMs` (so other instances see a change within that time) and
 * at once after a change made here.
 */
export function createPriceOverrides(options: { store: Store; refreshMs?: number; now?: () => number }) {
  const { store } = options;
  const now = options.now ?? Date.now;
  let snapshot: PriceOverride[] = [];
  let timer: NodeJS.Timeout | null = null;

  async function list(): Promise<PriceOverride[]> {
    const all = await store.hgetall(KEY);
    return Object.values(all)
      .map((json) => JSON.parse(json) as PriceOverride)
      .sort((a, b) => `${a.provider}/${a.model}`.localeCompare(`${b.provider}/${b.model}`));
  }

  async function refresh(): Promise<void> {
    snapshot = await list();
  }

  async function set(input: PriceOverrideInput, by: string): Promise<PriceOverride> {
    const field = `${input.provider}/${input.model}`;
    const existing = await store.hget(KEY, field);
    const override: PriceOverride = {
      id: existing ? (JSON.parse(existing) as PriceOverride).id : `po_${randomBytes(6).toString('base64url')}`,
      provider: input.provider,
      model: input.model,
      input_per_mtok_usd: input.input_per_mtok_usd,
      output_per_mtok_usd: input.output_per_mtok_usd,
      cache_read_per_mtok_usd: input.cache_read_per_mtok_usd ?? null,
      cache_write_per_mtok_usd: input.cache_write_per_mtok_usd ?? null,
      updated_at: new Date(now()).toISOString(),
      updated_by: by,
    };
    await store.hset(KEY, { [field]: JSON.stringify(override) });
    await refresh();
    return override;
  }

  async function remove(id: string): Promise<PriceOverride | null> {
    const found = (await list()).find((o) => o.id === id);
    if (!found) return null;
    await store.hdel(KEY, [`${found.provider}/${found.model}`]);
    await refresh();
    return found;
  }

  return {
    list,
    set,
    remove,
    refresh,
    /** The in-memory snapshot the pricer reads. */
    current: (): readonly PriceOverride[] => snapshot,
    /** Loads now and keeps refreshing in the background until `stop`. */
    async start(refreshMs = options.refreshMs ?? 5_000): Promise<void> {
      await refresh();
      timer = setInterval(() => void refresh().catch(() => {}), refreshMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
    },
  };
}

export type PriceOverrides = ReturnType<typeof createPriceOverrides>;
