import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, TEST_JWT_SECRET, type TestServer } from '../testing/test-server';

type Cred = 'none' | 'malformed' | 'expired_jwt' | 'revoked_key' | 'user' | 'service' | 'admin';

interface Route {
  name: string;
  kind: 'user' | 'admin';
  request: (s: TestServer, token: string | undefined) => Promise<Response>;
  success: number;
}

const trpcQuery = (path: string) => (s: TestServer, token: string | undefined) => s.call(`/trpc/${path}`, { token });
const trpcMutation = (path: string, input: unknown) => (s: TestServer, token: string | undefined) =>
  s.call(`/trpc/${path}`, { method: 'POST', token, json: input });

const routes: Route[] = [
  { name: 'tRPC auth.me', kind: 'user', success: 200, request: trpcQuery('auth.me') },
  {
    name: 'REST GET /api/v1/auth/me/',
    kind: 'user',
    success: 200,
    request: (s, t) => s.call('/api/v1/auth/me/', { token: t }),
  },
  { name: 'tRPC admin.keys.list', kind: 'admin', success: 200, request: trpcQuery('admin.keys.list') },
  {
    name: 'tRPC admin.keys.create',
    kind: 'admin',
    success: 200,
    request: trpcMutation('admin.keys.create', { user_id: '9', role: 'user', name: 'matrix' }),
  },
  {
    name: 'tRPC admin.keys.revoke',
    kind: 'admin',
    success: 404,
    request: trpcMutation('admin.keys.revoke', { key_id: 'key_missing' }),
  },
  {
    name: 'REST GET keys',
    kind: 'admin',
    success: 200,
    request: (s, t) => s.call('/api/v1/ai/admin/keys/', { token: t }),
  },
  {
    name: 'REST POST keys',
    kind: 'admin',
    success: 201,
    request: (s, t) =>
      s.call('/api/v1/ai/admin/keys/', {
        method: 'POST',
        token: t,
        json: { user_id: '123', role: 'user', name: 'ci' },
      }),
  },
  {
    name: 'REST DELETE keys/:id',
    kind: 'admin',
    success: 404,
    request: (s, t) => s.call('/api/v1/ai/admin/keys/key_missing/', { method: 'DELETE', token: t }),
  },
];

const expected = (route: Route, cred: Cred): number => {
  if (['none', 'malformed', 'expired_jwt', 'revoked_key'].includes(cred)) return 401;
  if (route.kind === 'admin' && cred !== 'admin') return 403;
  return route.success;
};

describe.each([
  ['memory', undefined],
  ['redis', 'redis'],
] as const)('route × credential matrix (%s store)', (_name, storeKind) => {
  let server: TestServer;
  const tokens = {} as Record<Cred, string | undefined>;

  beforeAll(async () => {
    server = await startTestServer({}, storeKind ? { redisUrl: inject('redisUrl') } : {});
    const create = async (role: string) => {
      const res = await server.call('/api/v1/ai/admin/keys/', {
        method: 'POST',
        token: TEST_ADMIN_TOKEN,
        json: { user_id: `u-${role}`, role, name: role },
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { key: string; key_id: string };
    };
    const revoked = await create('user');
    const del = await server.call(`/api/v1/ai/admin/keys/${revoked.key_id}/`, {
      method: 'DELETE',
      token: TEST_ADMIN_TOKEN,
    });
    expect(del.status).toBe(200);
    tokens.none = undefined;
    tokens.malformed = 'not-a-real-token';
    tokens.expired_jwt = await new SignJWT({ sub: '7' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    tokens.revoked_key = revoked.key;
    tokens.user = (await create('user')).key;
    tokens.service = (await create('service')).key;
    tokens.admin = TEST_ADMIN_TOKEN;
  });
  afterAll(() => server.shutdown());

  const creds: Cred[] = ['none', 'malformed', 'expired_jwt', 'revoked_key', 'user', 'service', 'admin'];
  for (const route of routes) {
    it.each(creds)(`${route.name} with %s credential`, async (cred) => {
      const res = await route.request(server, tokens[cred]);
      expect(res.status).toBe(expected(route, cred));
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const body = (await res.json()) as Record<string, unknown>;
      if (route.name.startsWith('REST') && res.status >= 400) {
        expect(body).toEqual(expect.objectContaining({ error: expect.any(String), code: expect.any(String) }));
      }
    });
  }

  it('lets a JWT user see only itself', async () => {
    const jwt = await new SignJWT({ sub: '4242' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const res = await server.call('/api/v1/auth/me/?user_id=1', { token: jwt });
    expect(await res.json()).toMatchObject({ role: 'user', user_id: '4242', via: 'jwt' });
  });
});
