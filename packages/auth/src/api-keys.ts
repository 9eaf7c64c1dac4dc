import type { Role } from '@tollgate/schemas';
import { type Store, taggedKey } from '@tollgate/store';
import { generateApiKey, newId, sha256Hex } from './secrets';

/** An API key as stored and listed: never the key itself, never its hash. */
export interface ApiKeyInfo {
  key_id: string;
  user_id: string;
  role: Role;
  name: string;
  /** First characters of the key, enough to recognise it in a list. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

interface StoredKey extends ApiKeyInfo {
  sha256: string;
}

const BY_HASH = taggedKey('auth', 'keys', 'by-hash');
const BY_ID = taggedKey('auth', 'keys', 'by-id');
// Kept apart from the records so a last-used write can never overwrite a revocation.
const LAST_USED = taggedKey('auth', 'keys', 'last-used');

export interface ApiKeyRepoOptions {
  store: Store;
  now?: () => number;
  /** How long a looked-up key is trusted without asking the store again (ms). Revocation on this instance is immediate. */
  cacheTtlMs?: number;
  /** last_used_at is written at most this often per key (ms), to keep writes off the hot path. */
  touchIntervalMs?: number;
}

export type ApiKeyRepo = ReturnType<typeof createApiKeyRepo>;

export function createApiKeyRepo(options: ApiKeyRepoOptions) {
  const { store } = options;
  const now = options.now ?? Date.now;
  const cacheTtl = options.cacheTtlMs ?? 5_000;
  const touchInterval = options.touchIntervalMs ?? 60_000;
  // By the presented key's hash: the active key's public info (frozen, shared by every request) or null.
  const cache = new Map<string, { key: StoredKey | null; info: Readonly<ApiKeyInfo> | null; until: number }>();
  const touched = new Map<string, number>();

  const info = ({ sha256: _hidden, ...rest }: StoredKey): ApiKeyInfo => rest;

  async function create(input: {
    userId: string;
    role: Role;
    name: string;
  }): Promise<{ key: string; info: ApiKeyInfo }> {
    const key = generateApiKey();
    const stored: StoredKey = {
      key_id: newId('key'),
      user_id: input.userId,
      role: input.role,
      name: input.name,
      prefix: key.slice(0, 10),
      created_at: new Date(now()).toISOString(),
      last_used_at: null,
      revoked_at: null,
      sha256: sha256Hex(key),
    };
    await store.hset(BY_HASH, { [stored.sha256]: JSON.stringify(stored) });
    await store.hset(BY_ID, { [stored.key_id]: stored.sha256 });
    return { key, info: info(stored) };
  }

  async function list(): Promise<ApiKeyInfo[]> {
    const [all, lastUsed] = await Promise.all([store.hgetall(BY_HASH), store.hgetall(LAST_USED)]);
    return Object.values(all)
      .map((json) => {
        const key = info(JSON.parse(json) as StoredKey);
        return { ...key, last_used_at: lastUsed[key.key_id] ?? null };
      })
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /** Returns the revoked key, or null when no such key exists. Revoking twice keeps the first time. */
  async function revoke(keyId: string): Promise<ApiKeyInfo | null> {
    const sha = await store.hget(BY_ID, keyId);
    if (!sha) return null;
    const json = await store.hget(BY_HASH, sha);
    if (!json) return null;
    const stored = JSON.parse(json) as StoredKey;
    stored.revoked_at ??= new Date(now()).toISOString();
    await store.hset(BY_HASH, { [sha]: JSON.stringify(stored) });
    cache.delete(sha);
    return info(stored);
  }

  /**
   * The active key matching `presented`, or null. Keys are found by the SHA-256 of the presented
   * key, so finding one is the comparison: no secret is ever compared byte by byte.
   */
  async function verify(presented: string): Promise<Readonly<ApiKeyInfo> | null> {
    const sha = sha256Hex(presented);
    const t = now();
    let entry = cache.get(sha);
    if (!entry || entry.until <= t) {
      const json = await store.hget(BY_HASH, sha);
      const key = json ? (JSON.parse(json) as StoredKey) : null;
      const active = key && !key.revoked_at && key.sha256 === sha ? key : null;
      entry = { key: active, info: active && Object.freeze(info(active)), until: t + cacheTtl };
      if (cache.size > 10_000) cache.clear();
      cache.set(sha, entry);
    }
    const stored = entry.key;
    if (!stored) return null;
    if ((touched.get(stored.key_id) ?? 0) + touchInterval <= t) {
      touched.set(stored.key_id, t);
      // Informational only: a store hiccup here must not fail the request.
      store.hset(LAST_USED, { [stored.key_id]: new Date(t).toISOString() }).catch(() => {});
    }
    return entry.info;
  }

  return { create, list, revoke, verify };
}
