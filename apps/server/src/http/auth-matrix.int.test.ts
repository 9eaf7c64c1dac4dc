import { appRouter } from '@tollgate/api';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { restRoutes } from '../rest/routes';
import { startTestServer, TEST_ADMIN_TOKEN, TEST_JWT_SECRET, type TestServer } from '../testing/test-server';

type Cred = 'none' | 'malformed' | 'expired_jwt' | 'revoked_key' | 'user' | 'service' | 'admin';
type Access = 'user' | 'service' | 'admin';

interface Route {
  name: string;
  access: Access;
  request: (s: TestServer, token: string | undefined) => Promise<Response>;
}

/** Who may call what, by path: deny by default, so anything not listed is admin-only. */
function accessOf(path: string): Access {
  const userLevel = [
    /^auth\./,
    /^ai\./,
    /^analytics\.(spendLimit|user|timeseries|recent)$/,
    /\/auth\/me$/,
    /\/analytics\/user(\/spend-limit)?$/,
    /\/ai\/complete$/,
    // Prompt templates: any signed-in caller reads and renders; writing, tags and the hub are admin.
    /^prompts\.(list|get|history|render)$/,
  ];
  if (userLevel.some((r) => r.test(path))) return 'user';
  if (/^usage\./.test(path) || path === '/api/v1/ai/usage') return 'service';
  return 'admin';
}

// Every tRPC procedure and every REST route, enumerated from the router and the route table.
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>);
const routes: Route[] = [
  ...procedures.map(
    ([path, proc]): Route => ({
      name: `tRPC ${path}`,
      access: accessOf(path),
      request: (s, token) =>
        proc._def.type === 'query'
          ? s.call(`/trpc/${path}`, { token })
          : s.call(`/trpc/${path}`, { method: 'POST', token, json: {} }),
    }),
  ),
  ...restRoutes.map(
    (r): Route => ({
      name: `REST ${r.method} ${r.path}`,
      // A REST route is exactly as open as the procedure it calls (one path may serve several).
      access: accessOf(r.procedure ?? r.path.replace(/\/:(\w+)/g, '/x')),
      request: (s, token) =>
        s.call(`${r.path.replace(/:(\w+)/g, 'x')}/`, {
          method: r.method,
          token,
          ...(r.method === 'POST' || r.method === 'PUT' ? { json: {} } : {}),
        }),
    }),
  ),
];

const ALLOWED: Record<Access, Cred[]> = {
  user: ['user', 'service', 'admin'],
  service: ['service', 'admin'],
  admin: ['admin'],
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
  it('covers every procedure and route', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(15);
    expect(routes.length).toBe(procedures.length + restRoutes.length);
  });
  for (const route of routes) {
    it.each(creds)(`${route.name} with %s credential`, async (cred) => {
      const res = await route.request(server, tokens[cred]);
      if (['none', 'malformed', 'expired_jwt', 'revoked_key'].includes(cred)) expect(res.status).toBe(401);
      else if (!ALLOWED[route.access].includes(cred)) expect(res.status).toBe(403);
      else {
        expect([401, 403]).not.toContain(res.status);
        expect(res.status).toBeLessThan(500);
      }
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
