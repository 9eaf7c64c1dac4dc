import type { AlertHistoryEntry, AlertRuleId, AlertState, AlertThresholds } from '@tollgate/alerts';
import { RULE_DESCRIPTIONS } from '@tollgate/alerts';
import { microsToUsd, usdAmountSchema, usdToMicros } from '@tollgate/schemas';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { adminProcedure } from '../trpc';

const RULES = Object.keys(RULE_DESCRIPTIONS) as [AlertRuleId, ...AlertRuleId[]];
const UNIT: Record<AlertRuleId, 'percent' | 'ms' | 'usd'> = {
  error_rate: 'percent',
  latency_p95: 'ms',
  daily_spend: 'usd',
  user_spend_anomaly: 'usd',
  provider_failures: 'percent',
};

/** Money leaves as dollars; a provider's streak finding is a count, not a percentage. */
function alertJson<A extends AlertState | AlertHistoryEntry>(a: A) {
  const usd = UNIT[a.rule] === 'usd';
  const streak = a.rule === 'provider_failures' && a.message.includes('consecutive');
  return {
    ...a,
    value: usd ? microsToUsd(a.value) : a.value,
    threshold: usd ? microsToUsd(a.threshold) : a.threshold,
    unit: streak ? ('count' as const) : UNIT[a.rule],
  };
}

function rulesJson(t: AlertThresholds) {
  return RULES.map((id) => {
    const { daily_spend: spend, user_spend_anomaly: user } = t;
    const params =
      id === 'daily_spend'
        ? { enabled: spend.enabled, usd: microsToUsd(spend.micros) }
        : id === 'user_spend_anomaly'
          ? { enabled: user.enabled, factor: user.factor, min_usd: microsToUsd(user.min_micros) }
          : t[id];
    return { id, description: RULE_DESCRIPTIONS[id], ...params };
  });
}

const count = (max: number) => z.number().int().min(1).max(max);
const ruleChange = z.discriminatedUnion('rule', [
  z.object({
    rule: z.literal('error_rate'),
    enabled: z.boolean().optional(),
    percent: z.number().min(0).max(100).optional(),
    window_minutes: count(180).optional(),
    min_requests: count(1_000_000).optional(),
  }),
  z.object({
    rule: z.literal('latency_p95'),
    enabled: z.boolean().optional(),
    ms: count(3_600_000).optional(),
    window_minutes: count(180).optional(),
    min_requests: count(1_000_000).optional(),
  }),
  z.object({ rule: z.literal('daily_spend'), enabled: z.boolean().optional(), usd: usdAmountSchema.optional() }),
  z.object({
    rule: z.literal('user_spend_anomaly'),
    enabled: z.boolean().optional(),
    factor: z.number().min(1).max(1_000).optional(),
    min_usd: usdAmountSchema.optional(),
  }),
  z.object({
    rule: z.literal('provider_failures'),
    enabled: z.boolean().optional(),
    percent: z.number().min(0).max(100).optional(),
    window_minutes: count(180).optional(),
    min_requests: count(1_000_000).optional(),
    consecutive: count(10_000).optional(),
  }),
]);

export const adminAlertsRouter = {
  /** Every rule with its thresholds, every alert that fired recently, and where notifications go. */
  list: adminProcedure.query(async ({ ctx }) => {
    const [thresholds, states] = await Promise.all([
      ctx.deps.alerts.settings.thresholds(),
      ctx.deps.alerts.engine.states(),
    ]);
    return {
      rules: rulesJson(thresholds),
      alerts: states.map(alertJson),
      firing: states.filter((s) => s.state === 'firing').length,
      webhooks: ctx.deps.alerts.engine.webhooks(),
    };
  }),
  history: adminProcedure
    .input(z.object({ limit: z.coerce.number().int().min(1).max(1_000).default(100) }).optional())
    .query(async ({ ctx, input }) => ({
      history: (await ctx.deps.alerts.engine.history(input?.limit ?? 100)).map(alertJson),
    })),
  /** Changes some of one rule's parameters at run time; the rest keep their values. */
  setRule: adminProcedure.input(ruleChange).mutation(async ({ ctx, input }) => {
    const { rule, ...change } = input;
    const stored: Record<string, unknown> = { ...change };
    if ('usd' in change) {
      delete stored.usd;
      if (change.usd !== undefined) stored.micros = usdToMicros(change.usd);
    }
    if ('min_usd' in change) {
      delete stored.min_usd;
      if (change.min_usd !== undefined) stored.min_micros = usdToMicros(change.min_usd);
    }
    return { rules: rulesJson(await ctx.deps.alerts.settings.update(rule, stored as never)) };
  }),
  /** Back to the configured thresholds. */
  resetRule: adminProcedure
    .input(z.object({ rule: z.enum(RULES) }))
    .mutation(async ({ ctx, input }) => ({ rules: rulesJson(await ctx.deps.alerts.settings.reset(input.rule)) })),
  /** Evaluates every rule now (notifying as a scheduled run would), unless an evaluation is under way. */
  evaluate: adminProcedure.mutation(async ({ ctx }) => {
    const states = await ctx.deps.alerts.engine.evaluate();
    return {
      evaluated: states !== null,
      alerts: (states ?? (await ctx.deps.alerts.engine.states())).map(alertJson),
    };
  }),
  /** Sends a test notification to every webhook. */
  testWebhooks: adminProcedure.mutation(async ({ ctx }) => ({
    delivered: await ctx.deps.alerts.engine.test(),
    webhooks: ctx.deps.alerts.engine.webhooks(),
  })),
} satisfies TRPCRouterRecord;
