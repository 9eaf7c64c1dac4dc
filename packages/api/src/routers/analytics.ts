import { dims, mergeTotals, percentiles, type RecentFilters } from '@tollgate/analytics';
import { daysSchema, microsToUsd, userIdInputSchema } from '@tollgate/schemas';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { actingUserId } from '../acting-user';
import { adminProcedure, authedProcedure } from '../trpc';
import { jsonUserId, totalsJson } from '../views/analytics';
import { limitStatusJson } from '../views/limit-status';

const days = (fallback: number) => daysSchema.default(fallback);
const optionalUser = userIdInputSchema.optional();

const pointJson = (d: Parameters<typeof totalsJson>[0] & { date: string }) => ({
  date: d.date,
  cost_usd: microsToUsd(d.costMicros),
  requests: d.requests,
  errors: d.errors,
  prompt_tokens: d.promptTokens,
  completion_tokens: d.completionTokens,
  ...percentiles(d),
});

export const analyticsRouter = {
  /** The caller's standing against every spend window (service/admin may name a user). */
  spendLimit: authedProcedure.input(z.object({ user_id: optionalUser }).optional()).query(async ({ ctx, input }) => {
    const userId = actingUserId(ctx.principal, input?.user_id);
    return { user_id: jsonUserId(userId), ...limitStatusJson(await ctx.deps.ledger.status(userId)) };
  }),

  /** A user's usage over the last N UTC days (reference: GET /api/v1/ai/analytics/user/). */
  user: authedProcedure
    .input(z.object({ days: days(30), user_id: optionalUser }).optional())
    .query(async ({ ctx, input }) => {
      const userId = actingUserId(ctx.principal, input?.user_id);
      const period = input?.days ?? 30;
      const [daily, status] = await Promise.all([
        ctx.deps.analytics.daily(dims.user(userId), period),
        ctx.deps.ledger.status(userId),
      ]);
      const limit = limitStatusJson(status);
      return {
        user_id: jsonUserId(userId),
        period_days: period,
        ...totalsJson(mergeTotals(daily)),
        daily_spend: limit.daily_spend,
        monthly_spend: limit.monthly_spend,
        daily_limit: limit.daily_limit,
        monthly_limit: limit.monthly_limit,
        limit_status: limit.limit_status,
        daily: daily.map(pointJson),
      };
    }),

  /** System-wide figures (reference: GET /api/v1/ai/analytics/system/). */
  system: adminProcedure.input(z.object({ days: days(7) }).optional()).query(async ({ ctx, input }) => {
    const period = input?.days ?? 7;
    const [daily, providers] = await Promise.all([
      ctx.deps.analytics.daily(dims.system, period),
      ctx.deps.analytics.top('providers', period, 50),
    ]);
    const perProvider = await Promise.all(
      providers.map(async (p) => [p.member, await ctx.deps.analytics.totals(dims.provider(p.member), period)] as const),
    );
    return {
      period_days: period,
      ...totalsJson(mergeTotals(daily)),
      providers: Object.fromEntries(
        perProvider.map(([name, t]) => [name, { cost: microsToUsd(t.costMicros), requests: t.requests }]),
      ),
      daily: daily.map(pointJson),
    };
  }),

  /** Daily series for charts: a user's own, or (admins) the system's, optionally split by a dimension. */
  timeseries: authedProcedure
    .input(
      z.object({
        days: days(30),
        groupBy: z.enum(['none', 'provider', 'model', 'entry', 'user']).default('none'),
        user_id: optionalUser,
      }),
    )
    .query(async ({ ctx, input }) => {
      const q = ctx.deps.analytics;
      if (ctx.principal.role !== 'admin' || input.user_id) {
        const userId = actingUserId(ctx.principal, input.user_id);
        return {
          group_by: 'none' as const,
          series: [{ key: userId, points: (await q.daily(dims.user(userId), input.days)).map(pointJson) }],
        };
      }
      if (input.groupBy === 'none') {
        return {
          group_by: 'none' as const,
          series: [{ key: 'system', points: (await q.daily(dims.system, input.days)).map(pointJson) }],
        };
      }
      const index = { provider: 'providers', model: 'models', entry: 'entries', user: 'users' } as const;
      const members = await q.top(index[input.groupBy], input.days, 10);
      const dimOf = (m: string) => {
        if (input.groupBy === 'provider') return dims.provider(m);
        if (input.groupBy === 'entry') return dims.entry(m);
        if (input.groupBy === 'user') return dims.user(m);
        return `m:${m}`;
      };
      const series = await Promise.all(
        members.map(async (m) => ({
          key: m.member,
          points: (await q.daily(dimOf(m.member), input.days)).map(pointJson),
        })),
      );
      return { group_by: input.groupBy, series };
    }),

  /** Top spenders over the period. */
  topUsers: adminProcedure
    .input(z.object({ days: days(30), limit: z.number().int().min(1).max(100).default(10) }).optional())
    .query(async ({ ctx, input }) => {
      const period = input?.days ?? 30;
      const top = await ctx.deps.analytics.top('users', period, input?.limit ?? 10);
      const rows = await Promise.all(
        top.map(async (u) => {
          const t = await ctx.deps.analytics.totals(dims.user(u.member), period);
          return { user_id: u.member, ...totalsJson(t) };
        }),
      );
      return { period_days: period, users: rows };
    }),

  /** Cost, tokens, requests and errors per model and per provider. */
  models: adminProcedure.input(z.object({ days: days(30) }).optional()).query(async ({ ctx, input }) => {
    const period = input?.days ?? 30;
    const top = await ctx.deps.analytics.top('models', period, 100);
    const models = await Promise.all(
      top.map(async (m) => {
        const [provider, ...rest] = m.member.split('/');
        return {
          provider,
          model: rest.join('/'),
          ...totalsJson(await ctx.deps.analytics.totals(`m:${m.member}`, period)),
        };
      }),
    );
    return { period_days: period, models };
  }),

  /** Cost, tokens and latency by prompt template and version. */
  prompts: adminProcedure.input(z.object({ days: days(30) }).optional()).query(async ({ ctx, input }) => {
    const period = input?.days ?? 30;
    const top = await ctx.deps.analytics.top('prompts', period, 200);
    const prompts = await Promise.all(
      top.map(async (p) => {
        const at = p.member.lastIndexOf('@');
        return {
          name: p.member.slice(0, at),
          version: p.member.slice(at + 1),
          ...totalsJson(await ctx.deps.analytics.totals(`t:${p.member}`, period)),
        };
      }),
    );
    return { period_days: period, prompts };
  }),

  /** Error rates by provider and by entry point. */
  errors: adminProcedure.input(z.object({ days: days(7) }).optional()).query(async ({ ctx, input }) => {
    const period = input?.days ?? 7;
    const q = ctx.deps.analytics;
    const [providers, entries] = await Promise.all([q.top('providers', period, 50), q.top('entries', period, 50)]);
    const rows = (list: { member: string }[], dim: (m: string) => string) =>
      Promise.all(list.map(async (p) => ({ name: p.member, ...totalsJson(await q.totals(dim(p.member), period)) })));
    return {
      period_days: period,
      providers: await rows(providers, dims.provider),
      entry_points: await rows(entries, dims.entry),
    };
  }),

  /** p50/p95/p99 latency overall and per provider, with a daily series. */
  latency: adminProcedure.input(z.object({ days: days(7) }).optional()).query(async ({ ctx, input }) => {
    const period = input?.days ?? 7;
    const q = ctx.deps.analytics;
    const [daily, providers] = await Promise.all([q.daily(dims.system, period), q.top('providers', period, 50)]);
    const perProvider = await Promise.all(
      providers.map(async (p) => ({
        provider: p.member,
        ...percentiles(await q.totals(dims.provider(p.member), period)),
      })),
    );
    return {
      period_days: period,
      overall: percentiles(mergeTotals(daily)),
      providers: perProvider,
      daily: daily.map((d) => ({ date: d.date, ...percentiles(d) })),
    };
  }),

  /** Recent calls, newest first. Admins filter by anything; everyone else sees only their own. */
  recent: authedProcedure
    .input(
      z
        .object({
          user_id: optionalUser,
          provider: z.string().max(32).optional(),
          model: z.string().max(200).optional(),
          status: z.enum(['success', 'error', 'aborted']).optional(),
          tag: z.string().max(64).optional(),
          from: z.coerce.date().optional(),
          to: z.coerce.date().optional(),
          cursor: z.number().int().min(0).max(1_000_000).default(0),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      const userId = ctx.principal.role === 'admin' ? input?.user_id : actingUserId(ctx.principal, input?.user_id);
      const filters: RecentFilters = {
        userId,
        provider: input?.provider,
        model: input?.model,
        status: input?.status,
        tag: input?.tag,
        from: input?.from?.getTime(),
        to: input?.to?.getTime(),
      };
      const { items, nextCursor } = await ctx.deps.analytics.recent(filters, input?.cursor ?? 0, input?.limit ?? 50);
      return {
        items: items.map((e) => ({
          ...e,
          user_id: e.user_id,
          cost_usd: microsToUsd(e.cost_micros),
          at: new Date(e.at).toISOString(),
        })),
        next_cursor: nextCursor,
      };
    }),
} satisfies TRPCRouterRecord;
