import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayOnFakeUpstream } from '../testing/gateway-suite';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../testing/test-server';

describe('HTTP behaviour', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MAX_BODY_BYTES: '2048', CORS_ORIGINS: 'https://app.example.com' });
  });
  afterAll(() => server.shutdown());

  it('answers health and readiness', async () => {
    expect(await (await server.call('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await server.call('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'memory' });
  });

  it('refuses bodies over the limit with 413 and a JSON body on REST and tRPC', async () => {
    const big = { user_id: '1', name: 'x'.repeat(4096) };
    const rest = await server.call('/api/v1/ai/admin/keys/', { method: 'POST', token: TEST_ADMIN_TOKEN, json: big });
    expect(rest.status).toBe(413);
    expect(await rest.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const trpc = await server.call('/trpc/admin.keys.create', { method: 'POST', token: TEST_ADMIN_TOKEN, json: big });
    expect(trpc.status).toBe(413);
    expect((await server.call('/api/v1/ai/admin/keys/', { token: TEST_ADMIN_TOKEN })).status).toBe(200);
  });

  it('answers a chunked body that grows past the limit with 413, then closes the connection unread', async () => {
    const port = Number(new URL(server.url).port);
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (d: Buffer) => {
      received += d.toString();
    });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const chunk = `{"model":"gpt-4o-mini","prompt":"${'x'.repeat(1500)}`;
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TEST_ADMIN_TOKEN}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`,
    );
    // Two chunks past the 2,048-byte limit, and the body never ends: only the 413 can end this.
    for (let i = 0; i < 2; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toMatch(/connection: close/i);
    expect(received).toContain('PAYLOAD_TOO_LARGE');
  }, 5_000);

  it('gives clear 4xx JSON errors for bad input and changes nothing', async () => {
    const before = (await (await server.call('/api/v1/ai/admin/keys/', { token: TEST_ADMIN_TOKEN })).json()) as {
      keys: unknown[];
    };
    const cases: [RequestInit & { token?: string; json?: unknown }, number, string][] = [
      [
        { method: 'POST', token: TEST_ADMIN_TOKEN, body: '{not json', headers: { 'content-type': 'application/json' } },
        400,
        'INVALID_JSON',
      ],
      [{ method: 'POST', token: TEST_ADMIN_TOKEN, json: [1, 2] }, 400, 'INVALID_BODY'],
      [{ method: 'POST', token: TEST_ADMIN_TOKEN, json: { role: 'user' } }, 400, 'INVALID_INPUT'],
      [{ method: 'POST', token: TEST_ADMIN_TOKEN, json: { user_id: 'a b', role: 'user' } }, 400, 'INVALID_INPUT'],
      [{ method: 'POST', token: TEST_ADMIN_TOKEN, json: { user_id: '1', role: 'root' } }, 400, 'INVALID_INPUT'],
      [
        { method: 'POST', token: TEST_ADMIN_TOKEN, body: 'a=1', headers: { 'content-type': 'text/plain' } },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [{ method: 'PUT', token: TEST_ADMIN_TOKEN, json: {} }, 405, 'METHOD_NOT_ALLOWED'],
    ];
    for (const [init, status, code] of cases) {
      const res = await server.call('/api/v1/ai/admin/keys/', init);
      expect(res.status, code).toBe(status);
      expect(await res.json()).toMatchObject({ code, error: expect.any(String) });
    }
    const bad = await server.call('/api/v1/ai/admin/keys/%E0%A4%A/', { method: 'DELETE', token: TEST_ADMIN_TOKEN });
    expect(bad.status).toBe(400);
    const after = (await (await server.call('/api/v1/ai/admin/keys/', { token: TEST_ADMIN_TOKEN })).json()) as {
      keys: unknown[];
    };
    expect(after.keys).toHaveLength(before.keys.length);
  });

  it('answers unknown paths with a JSON 404 and a request id', async () => {
    const res = await server.call('/api/v1/nope/');
    expect(res.status).toBe(404);
    expect(res.headers.get('x-tollgate-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('allows only listed CORS origins and never reflects others', async () => {
    const ok = await server.call('/trpc/auth.me', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    const evil = await server.call('/trpc/auth.me', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.com' },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const nul = await server.call('/api/v1/auth/me/', { headers: { origin: 'null' } });
    expect(nul.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('brute force', () => {
  it('refuses an address with 429 after repeated failures', async () => {
    const server = await startTestServer({ AUTH_MAX_FAILURES: '5' });
    try {
      for (let i = 0; i < 5; i++) expect((await server.call('/api/v1/auth/me/', { token: 'guess' })).status).toBe(401);
      const blocked = await server.call('/api/v1/auth/me/', { token: TEST_ADMIN_TOKEN });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await blocked.json()).toMatchObject({ code: 'TOO_MANY_AUTH_FAILURES' });
      expect((await server.call('/trpc/auth.me', { token: TEST_ADMIN_TOKEN })).status).toBe(429);
    } finally {
      await server.shutdown();
    }
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, then stops accepting', async () => {
    const server = await startTestServer();
    const { port } = server.server.address() as { port: number };
    const body = JSON.stringify({ user_id: '5', role: 'user', name: 'late' });
    const socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let response = '';
    socket.on('data', (d) => {
      response += d.toString();
    });
    // Send the headers and half the body, so the request is in flight when shutdown starts.
    socket.write(
      `POST /api/v1/ai/admin/keys/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_ADMIN_TOKEN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 50));
    const stopped = server.shutdown();
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    socket.write(body.slice(10));
    await stopped;
    await new Promise((r) => socket.once('close', r));
    expect(response).toMatch(/^HTTP\/1.1 201/);
  });
});

/** Status and JSON body of a raw HTTP/1.1 answer (content type checked). */
function jsonAnswer(raw: string): [number, unknown] {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  expect(head).toMatch(/\r\ncontent-type: application\/json/i);
  return [Number(head.split(' ')[1]), JSON.parse(body)];
}

/** A raw connection to the server, and all it answers by the time the connection closes. */
function rawConnection(url: string) {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  let received = '';
  socket.on('data', (d: Buffer) => {
    received += d.toString();
  });
  socket.on('error', () => {});
  const answered = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  return { socket, answered };
}

/** Writes raw bytes to the server and returns all it answers before closing. */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { socket, answered } = rawConnection(url);
  socket.write(bytes);
  return answered;
}

describe('requests node:http cannot parse', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.shutdown());

  it('get a JSON 4xx, not a bare 400, and the server keeps answering', async () => {
    const garbage = await rawExchange(server.url, 'GARBAGE / HTTP/9.9\r\n\r\n');
    expect(jsonAnswer(garbage)).toEqual([400, { error: expect.any(String), code: 'MALFORMED_REQUEST' }]);
    const huge = await rawExchange(
      server.url,
      `GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(jsonAnswer(huge)).toEqual([431, { error: expect.any(String), code: 'HEADERS_TOO_LARGE' }]);
    expect((await server.call('/healthz')).status).toBe(200);
  });
});

describe('a request body the client abandons', () => {
  const gw = gatewayOnFakeUpstream();

  /** Sends the head and part of a declared body, then ends the connection as `close` says. */
  async function abandon(path: string, token: string, close: 'destroy' | 'end'): Promise<string> {
    const { socket, answered } = rawConnection(gw.server.url);
    const body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hel';
    socket.write(
      `POST ${path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json\r\ncontent-length: ${body.length + 40}\r\n\r\n${body}`,
    );
    // Long enough for the server to have read the head and the part sent.
    await new Promise((r) => setTimeout(r, 50));
    if (close === 'destroy') socket.destroy();
    else socket.end();
    return answered;
  }

  it('reaches no provider, charges nothing, leaves no reservation, and the server keeps answering', async () => {
    const token = await gw.server.createKey('abandoner');
    const status = async () =>
      (await (await gw.server.call('/api/v1/ai/analytics/user/spend-limit/', { token })).json()) as {
        daily_spend: number;
        daily_reserved: number;
      };
    for (const path of ['/v1/chat/completions', '/api/v1/ai/complete/', '/trpc/ai.complete']) {
      for (const close of ['destroy', 'end'] as const) {
        const received = await abandon(path, token, close);
        // A connection only half-closed can still read its answer: a JSON 400, as for any bad input.
        if (close === 'destroy') expect(received).toBe('');
        else expect(jsonAnswer(received)).toEqual([400, { error: expect.any(String), code: 'INCOMPLETE_BODY' }]);
      }
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(gw.fake.requests).toHaveLength(0);
    expect(await status()).toMatchObject({ daily_spend: 0, daily_reserved: 0 });

    const ok = await gw.server.call('/v1/chat/completions', {
      method: 'POST',
      token,
      json: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] },
    });
    expect(ok.status).toBe(200);
    expect(gw.fake.requests).toHaveLength(1);
    expect((await status()).daily_spend).toBeGreaterThan(0);
  }, 10_000);
});
