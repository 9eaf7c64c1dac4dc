import { bodyObject, queryObject, type RestRoute, SseResult } from './route';

const body = (i: { body: unknown }) => bodyObject(i.body) as never;

/**
 * The legacy `/api/v1` surface. Each line calls the same tRPC procedure as the typed API, through
 * createCaller, so auth, validation and errors are shared.
 */
export const restRoutes: RestRoute[] = [
  { method: 'GET', path: '/api/v1/auth/me', call: (c) => c.auth.me() },

  // Completions (reference: AIProvider.complete). `"stream": true` answers with server-sent events.
  {
    method: 'POST',
    path: '/api/v1/ai/complete',
    entryPoint: 'rest.complete',
    call: async (c, i) => {
      const { stream, ...input } = bodyObject(i.body);
      if (stream === true) return new SseResult(await c.ai.stream(input as never));
      return c.ai.complete(input as never);
    },
  },

  // Spend limits and usage (reference: "Check Spend Limit", "Manual Cost Tracking", "Reset User Spend").
  {
    method: 'GET',
    path: '/api/v1/ai/analytics/user/spend-limit',
    call: (c, i) => c.analytics.spendLimit(queryObject(i.query) as never),
  },
  {
    method: 'POST',
    path: '/api/v1/ai/analytics/user/:user_id/reset',
    call: (c, i) => c.admin.resetUserSpend({ user_id: i.params.user_id as string }),
  },
  { method: 'POST', path: '/api/v1/ai/usage', call: (c, i) => c.usage.track(body(i)) },

  // Admin: API keys.
  { method: 'POST', path: '/api/v1/ai/admin/keys', status: 201, call: (c, i) => c.admin.keys.create(body(i)) },
  { method: 'GET', path: '/api/v1/ai/admin/keys', call: (c) => c.admin.keys.list() },
  {
    method: 'DELETE',
    path: '/api/v1/ai/admin/keys/:key_id',
    call: (c, i) => c.admin.keys.revoke({ key_id: i.params.key_id as string }),
  },

  // Admin: price overrides.
  { method: 'GET', path: '/api/v1/ai/admin/pricing', call: (c) => c.admin.pricing.list() },
  { method: 'POST', path: '/api/v1/ai/admin/pricing', status: 201, call: (c, i) => c.admin.pricing.set(body(i)) },
  {
    method: 'DELETE',
    path: '/api/v1/ai/admin/pricing/:id',
    call: (c, i) => c.admin.pricing.remove({ id: i.params.id as string }),
  },

  // Admin: limits and the reset audit log.
  { method: 'GET', path: '/api/v1/ai/admin/limits', call: (c) => c.admin.limits.get() },
  { method: 'PUT', path: '/api/v1/ai/admin/limits', call: (c, i) => c.admin.limits.setDefaults(body(i)) },
  {
    method: 'GET',
    path: '/api/v1/ai/admin/limits/users/:user_id',
    call: (c, i) => c.admin.limits.getUser({ user_id: i.params.user_id as string }),
  },
  {
    method: 'PUT',
    path: '/api/v1/ai/admin/limits/users/:user_id',
    call: (c, i) => c.admin.limits.setUser({ ...bodyObject(i.body), user_id: i.params.user_id as string } as never),
  },
  { method: 'GET', path: '/api/v1/ai/admin/resets', call: (c) => c.admin.resetAudit() },
];
