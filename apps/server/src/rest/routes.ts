import { bodyObject, queryObject, type RestRoute, SseResult } from './route';

const body = (i: { body: unknown }) => bodyObject(i.body) as never;

/**
 * The legacy `/api/v1` surface. Each line calls the same tRPC procedure as the typed API, through
 * createCaller, so auth, validation and errors are shared.
 */
export const restRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/auth/me',
    procedure: 'auth.me',
    summary: 'Who the credential says the caller is',
    call: (c) => c.auth.me(),
  },

  // Completions (reference: AIProvider.complete). `"stream": true` answers with server-sent events.
  {
    method: 'POST',
    path: '/api/v1/ai/complete',
    entryPoint: 'rest.complete',
    procedure: 'ai.complete',
    summary: 'One completion ("stream": true for server-sent events)',
    call: async (_c, i, direct) => {
      // `stream` is no completion field: the input schema drops it, so the body goes as it is
      // (a copy without it, by object rest, cost ~1 µs a call).
      const body = bodyObject(i.body);
      if (body.stream === true) return new SseResult(await direct().stream(body));
      return direct().complete(body);
    },
  },

  // Analytics (reference: "User Analytics", "System Analytics").
  {
    method: 'GET',
    path: '/api/v1/ai/analytics/user',
    procedure: 'analytics.user',
    summary: 'Usage of the caller over the last N UTC days',
    call: (c, i) => c.analytics.user(queryObject(i.query) as never),
  },
  {
    method: 'GET',
    path: '/api/v1/ai/analytics/system',
    procedure: 'analytics.system',
    summary: 'System-wide usage (admin)',
    call: (c, i) => c.analytics.system(queryObject(i.query) as never),
  },

  {
    method: 'GET',
    path: '/api/v1/ai/analytics/langsmith/health',
    procedure: 'admin.langsmithHealth',
    summary: 'LangSmith connectivity (admin)',
    call: (c) => c.admin.langsmithHealth(),
  },

  // Spend limits and usage (reference: "Check Spend Limit", "Manual Cost Tracking", "Reset User Spend").
  {
    method: 'GET',
    path: '/api/v1/ai/analytics/user/spend-limit',
    procedure: 'analytics.spendLimit',
    summary: "The caller's standing against every spend window",
    call: (c, i) => c.analytics.spendLimit(queryObject(i.query) as never),
  },
  {
    method: 'POST',
    path: '/api/v1/ai/analytics/user/:user_id/reset',
    procedure: 'admin.resetUserSpend',
    summary: "Zero a user's current day and month (admin)",
    call: (c, i) => c.admin.resetUserSpend({ user_id: i.params.user_id as string }),
  },
  {
    method: 'POST',
    path: '/api/v1/ai/usage',
    procedure: 'usage.track',
    summary: 'Record a call made elsewhere (service/admin)',
    call: (c, i) => c.usage.track(body(i)),
  },

  // Admin: API keys.
  {
    method: 'POST',
    path: '/api/v1/ai/admin/keys',
    status: 201,
    procedure: 'admin.keys.create',
    summary: 'Create an API key (shown once)',
    call: (c, i) => c.admin.keys.create(body(i)),
  },
  {
    method: 'GET',
    path: '/api/v1/ai/admin/keys',
    procedure: 'admin.keys.list',
    summary: 'List API keys',
    call: (c) => c.admin.keys.list(),
  },
  {
    method: 'DELETE',
    path: '/api/v1/ai/admin/keys/:key_id',
    procedure: 'admin.keys.revoke',
    summary: 'Revoke an API key',
    call: (c, i) => c.admin.keys.revoke({ key_id: i.params.key_id as string }),
  },

  // Admin: price overrides.
  {
    method: 'GET',
    path: '/api/v1/ai/admin/pricing',
    procedure: 'admin.pricing.list',
    summary: 'List price overrides',
    call: (c) => c.admin.pricing.list(),
  },
  {
    method: 'POST',
    path: '/api/v1/ai/admin/pricing',
    status: 201,
    procedure: 'admin.pricing.set',
    summary: 'Set a price override',
    call: (c, i) => c.admin.pricing.set(body(i)),
  },
  {
    method: 'DELETE',
    path: '/api/v1/ai/admin/pricing/:id',
    procedure: 'admin.pricing.remove',
    summary: 'Remove a price override',
    call: (c, i) => c.admin.pricing.remove({ id: i.params.id as string }),
  },

  // Admin: limits and the reset audit log.
  {
    method: 'GET',
    path: '/api/v1/ai/admin/limits',
    procedure: 'admin.limits.get',
    summary: 'Default limits and per-user overrides',
    call: (c) => c.admin.limits.get(),
  },
  {
    method: 'PUT',
    path: '/api/v1/ai/admin/limits',
    procedure: 'admin.limits.setDefaults',
    summary: 'Change default limits',
    call: (c, i) => c.admin.limits.setDefaults(body(i)),
  },
  {
    method: 'GET',
    path: '/api/v1/ai/admin/limits/users/:user_id',
    procedure: 'admin.limits.getUser',
    summary: "A user's limit overrides",
    call: (c, i) => c.admin.limits.getUser({ user_id: i.params.user_id as string }),
  },
  {
    method: 'PUT',
    path: '/api/v1/ai/admin/limits/users/:user_id',
    procedure: 'admin.limits.setUser',
    summary: "Override a user's limits",
    call: (c, i) => c.admin.limits.setUser({ ...bodyObject(i.body), user_id: i.params.user_id as string } as never),
  },
  {
    method: 'GET',
    path: '/api/v1/ai/admin/resets',
    procedure: 'admin.resetAudit',
    summary: 'The reset audit log',
    call: (c) => c.admin.resetAudit(),
  },

  // Admin: alerts.
  {
    method: 'GET',
    path: '/api/v1/ai/admin/alerts',
    procedure: 'admin.alerts.list',
    summary: 'Alert rules, recent alerts and webhooks (admin)',
    call: (c) => c.admin.alerts.list(),
  },
  {
    method: 'GET',
    path: '/api/v1/ai/admin/alerts/history',
    procedure: 'admin.alerts.history',
    summary: 'Alert firings and resolutions, newest first (admin)',
    call: (c, i) => c.admin.alerts.history(queryObject(i.query) as never),
  },
  {
    method: 'PUT',
    path: '/api/v1/ai/admin/alerts/rules/:rule',
    procedure: 'admin.alerts.setRule',
    summary: "Change an alert rule's thresholds (admin)",
    call: (c, i) => c.admin.alerts.setRule({ ...bodyObject(i.body), rule: i.params.rule } as never),
  },
  {
    method: 'DELETE',
    path: '/api/v1/ai/admin/alerts/rules/:rule',
    procedure: 'admin.alerts.resetRule',
    summary: 'Put an alert rule back to its configured thresholds (admin)',
    call: (c, i) => c.admin.alerts.resetRule({ rule: i.params.rule as never }),
  },
  {
    method: 'POST',
    path: '/api/v1/ai/admin/alerts/evaluate',
    procedure: 'admin.alerts.evaluate',
    summary: 'Evaluate every alert rule now (admin)',
    call: (c) => c.admin.alerts.evaluate(),
  },
  {
    method: 'POST',
    path: '/api/v1/ai/admin/alerts/test',
    procedure: 'admin.alerts.testWebhooks',
    summary: 'Send a test notification to every webhook (admin)',
    call: (c) => c.admin.alerts.testWebhooks(),
  },

  // Prompt templates: admins write; any signed-in caller reads and renders.
  {
    method: 'GET',
    path: '/api/v1/ai/prompts',
    procedure: 'prompts.list',
    summary: 'Every prompt template with its tags',
    call: (c) => c.prompts.list(),
  },
  {
    method: 'POST',
    path: '/api/v1/ai/prompts',
    status: 201,
    procedure: 'prompts.create',
    summary: 'Add a version of a prompt template (admin)',
    call: (c, i) => c.prompts.create(body(i)),
  },
  {
    method: 'GET',
    path: '/api/v1/ai/prompts/:name',
    procedure: 'prompts.get',
    summary: 'One version of a prompt (?version= or ?tag=, else latest)',
    call: (c, i) => c.prompts.get({ ...queryObject(i.query), name: i.params.name } as never),
  },
  {
    method: 'GET',
    path: '/api/v1/ai/prompts/:name/versions',
    procedure: 'prompts.history',
    summary: "A prompt's versions, newest first",
    call: (c, i) => c.prompts.history({ ...queryObject(i.query), name: i.params.name } as never),
  },
  {
    method: 'PUT',
    path: '/api/v1/ai/prompts/:name/tags/:tag',
    procedure: 'prompts.tag',
    summary: 'Point a tag at a version (admin)',
    call: (c, i) => c.prompts.tag({ ...bodyObject(i.body), name: i.params.name, tag: i.params.tag } as never),
  },
  {
    method: 'POST',
    path: '/api/v1/ai/prompts/:name/render',
    procedure: 'prompts.render',
    summary: 'Render a prompt with variables, without calling a provider',
    call: (c, i) => c.prompts.render({ ...bodyObject(i.body), name: i.params.name } as never),
  },
  {
    method: 'POST',
    path: '/api/v1/ai/prompts/:name/push',
    procedure: 'prompts.push',
    summary: "Push a version to LangSmith's prompt hub (admin)",
    call: (c, i) => c.prompts.push({ ...bodyObject(i.body), name: i.params.name } as never),
  },
  {
    method: 'POST',
    path: '/api/v1/ai/prompts/:name/pull',
    procedure: 'prompts.pull',
    summary: "Pull a commit from LangSmith's prompt hub as a version (admin)",
    call: (c, i) => c.prompts.pull({ ...bodyObject(i.body), name: i.params.name } as never),
  },
];
