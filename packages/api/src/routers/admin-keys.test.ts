import type { AuthResult, Principal } from '@tollgate/auth';
import { createMemoryStore } from '@tollgate/store';
import { describe, expect, it } from 'vitest';
import { actingUserId } from '../acting-user';
import { createContextInner } from '../context';
import { createApiDeps } from '../deps';
import { createCaller } from '../root';

function callerFor(principal: Principal | null) {
  const deps = createApiDeps({
    store: createMemoryStore({ sweepIntervalMs: 0 }),
    limits: { userDailyMicros: 5_000_000, userMonthlyMicros: null, systemMonthlyMicros: 1_000_000_000 },
  });
  const auth: AuthResult = principal
    ? { ok: true, principal }
    : { ok: false, code: 'UNAUTHENTICATED', message: 'Authentication required' };
  return createCaller(createContextInner({ deps, requestId: 'r1', authenticate: async () => auth }));
}

const admin: Principal = { role: 'admin', userId: null, via: 'admin_token' };
const service: Principal = { role: 'service', userId: 'svc', via: 'api_key' };
const user: Principal = { role: 'user', userId: '7', via: 'jwt' };

describe('admin.keys via createCaller', () => {
  it('denies by default: anonymous 401, user and service 403 on every admin procedure', async () => {
    for (const [p, code] of [
      [null, 'UNAUTHORIZED'],
      [user, 'FORBIDDEN'],
      [service, 'FORBIDDEN'],
    ] as const) {
      const c = callerFor(p);
      await expect(c.admin.keys.list()).rejects.toMatchObject({ code });
      await expect(c.admin.keys.create({ user_id: '1' })).rejects.toMatchObject({ code });
      await expect(c.admin.keys.revoke({ key_id: 'k' })).rejects.toMatchObject({ code });
    }
  });

  it('creates, lists and revokes keys for admins, normalising numeric user ids', async () => {
    const c = callerFor(admin);
    const created = await c.admin.keys.create({ user_id: 123 as unknown as string, role: 'service', name: 'ci' });
    expect(created).toMatchObject({ user_id: '123', role: 'service', name: 'ci' });
    expect(created.key).toMatch(/^tg_/);
    expect((await c.admin.keys.list()).keys.map((k) => k.key_id)).toEqual([created.key_id]);
    expect(await c.admin.keys.revoke({ key_id: created.key_id })).toMatchObject({ revoked_at: expect.any(String) });
    await expect(c.admin.keys.revoke({ key_id: 'key_none' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports who the caller is', async () => {
    expect(await callerFor(user).auth.me()).toEqual({ role: 'user', user_id: '7', via: 'jwt', key_id: null });
  });
});

describe('actingUserId', () => {
  it('keeps users to themselves and lets service/admin name anyone', () => {
    expect(actingUserId(user, undefined)).toBe('7');
    expect(actingUserId(user, '7')).toBe('7');
    expect(() => actingUserId(user, '8')).toThrow(/only as themselves/);
    expect(actingUserId(service, '8')).toBe('8');
    expect(actingUserId(service, undefined)).toBe('svc');
    expect(() => actingUserId(admin, undefined)).toThrow(/user_id is required/);
  });
});
