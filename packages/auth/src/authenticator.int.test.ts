import { createMemoryStore, type Store } from '@tollgate/store';
import { createTestRedisStore } from '@tollgate/store/testing';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createApiKeyRepo } from './api-keys';
import { createAuthenticator } from './authenticator';
import { createFailureLimiter } from './failure-limiter';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const ADMIN = 'admin-token-for-tests-0123456789';

async function jwt(claims: Record<string, unknown>, opts: { secret?: string; exp?: string | number } = {}) {
  const builder = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (opts.exp !== undefined) builder.setExpirationTime(opts.exp);
  return builder.sign(new TextEncoder().encode(opts.secret ?? SECRET));
}

const stores: [string, () => Promise<Store>][] = [
  ['memory', async () => createMemoryStore({ sweepIntervalMs: 0 })],
  ['redis', () => createTestRedisStore(inject('redisUrl'))],
];

describe.each(stores)('authentication on the %s store', (_name, make) => {
  const opened: Store[] = [];
  afterAll(() => Promise.all(opened.map((s) => s.close())));

  async function setup(jwtOptions: { issuer?: string; audience?: string } = {}) {
    const store = await make();
    opened.push(store);
    const apiKeys = createApiKeyRepo({ store });
    const failures = createFailureLimiter({ store, maxFailures: 3 });
    const authenticate = createAuthenticator({
      apiKeys,
      failures,
      adminToken: ADMIN,
      jwt: { secret: SECRET, ...jwtOptions },
    });
    return { apiKeys, authenticate, failures };
  }

  it('accepts the admin token and nothing like it', async () => {
    const { authenticate } = await setup();
    expect(await authenticate(`Bearer ${ADMIN}`, 'a1')).toMatchObject({ ok: true, principal: { role: 'admin' } });
    expect(await authenticate(`Bearer ${ADMIN}x`, 'a1')).toMatchObject({ ok: false, code: 'INVALID_CREDENTIAL' });
    expect(await authenticate(undefined, 'a1')).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(await authenticate(`Basic ${ADMIN}`, 'a1')).toMatchObject({ ok: false, code: 'INVALID_CREDENTIAL' });
  });

  it('issues API keys that are stored only as hashes, listed without secrets, and revocable', async () => {
    const { apiKeys, authenticate } = await setup();
    const { key, info } = await apiKeys.create({ userId: '123', role: 'service', name: 'ci' });
    expect(key).toMatch(/^tg_[A-Za-z0-9_-]{43}$/);
    expect(await authenticate(`Bearer ${key}`, 'k1')).toMatchObject({
      ok: true,
      principal: { role: 'service', userId: '123', via: 'api_key', keyId: info.key_id },
    });
    const listed = await apiKeys.list();
    expect(listed.find((k) => k.key_id === info.key_id)).toMatchObject({ user_id: '123', role: 'service', name: 'ci' });
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(JSON.stringify(listed)).not.toMatch(/[0-9a-f]{64}/);

    expect(await apiKeys.revoke(info.key_id)).toMatchObject({ key_id: info.key_id });
    expect(await authenticate(`Bearer ${key}`, 'k1')).toMatchObject({ ok: false, code: 'INVALID_CREDENTIAL' });
    expect(await apiKeys.revoke('key_nope')).toBeNull();
  });

  it('verifies JWTs: sub, role, exp, issuer and audience', async () => {
    const { authenticate } = await setup({ issuer: 'tg-test', audience: 'tollgate' });
    const good = await jwt({ sub: '42', iss: 'tg-test', aud: 'tollgate' }, { exp: '5m' });
    expect(await authenticate(`Bearer ${good}`, 'j1')).toMatchObject({
      ok: true,
      principal: { role: 'user', userId: '42', via: 'jwt' },
    });
    const svc = await jwt({ sub: 'backend', role: 'service', iss: 'tg-test', aud: 'tollgate' }, { exp: '5m' });
    expect(await authenticate(`Bearer ${svc}`, 'j1')).toMatchObject({ ok: true, principal: { role: 'service' } });

    const cases = [
      await jwt({ sub: '42', iss: 'tg-test', aud: 'tollgate' }, { exp: Math.floor(Date.now() / 1000) - 60 }),
      await jwt({ sub: '42', iss: 'tg-test', aud: 'tollgate' }),
      await jwt({ sub: '42', iss: 'other', aud: 'tollgate' }, { exp: '5m' }),
      await jwt({ sub: '42', iss: 'tg-test', aud: 'other' }, { exp: '5m' }),
      await jwt({ sub: '42', iss: 'tg-test', aud: 'tollgate' }, { exp: '5m', secret: `${SECRET}-wrong` }),
      await jwt({ sub: '42', role: 'root', iss: 'tg-test', aud: 'tollgate' }, { exp: '5m' }),
      await jwt({ iss: 'tg-test', aud: 'tollgate' }, { exp: '5m' }),
    ];
    for (const [i, token] of cases.entries()) {
      expect(await authenticate(`Bearer ${token}`, `j-bad-${i}`), `case ${i}`).toMatchObject({ ok: false });
    }
    const expired = await authenticate(`Bearer ${cases[0]}`, 'j-exp');
    expect(expired).toMatchObject({ ok: false, message: 'Token expired' });

    // alg "none" must never be accepted.
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: '1', role: 'admin', exp: 9_999_999_999 }),
    ).toString('base64url')}.`;
    expect(await authenticate(`Bearer ${none}`, 'j-none')).toMatchObject({ ok: false });
  });

  it('refuses an address after repeated failures, even with a good credential', async () => {
    const { authenticate } = await setup();
    for (let i = 0; i < 3; i++) await authenticate('Bearer wrong', 'brute');
    const blocked = await authenticate(`Bearer ${ADMIN}`, 'brute');
    expect(blocked).toMatchObject({ ok: false, code: 'TOO_MANY_AUTH_FAILURES' });
    expect(blocked.ok === false && blocked.retryAfterSec).toBeGreaterThan(0);
    expect(await authenticate(`Bearer ${ADMIN}`, 'someone-else')).toMatchObject({ ok: true });
  });
});
