import { microsToUsd, usdAmountSchema, usdToMicros, userIdInputSchema } from '@tollgate/schemas';
import type { EffectiveDefaults, UserLimitOverride } from '@tollgate/spend';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { adminProcedure } from '../trpc';

const change = usdAmountSchema.nullable().optional();
const toMicros = (v: number | null | undefined) => (v === undefined ? undefined : v === null ? null : usdToMicros(v));

const defaultsJson = (d: EffectiveDefaults) => ({
  user_daily_usd: microsToUsd(d.userDailyMicros),
  user_monthly_usd: d.userMonthlyMicros === null ? null : microsToUsd(d.userMonthlyMicros),
  system_monthly_usd: microsToUsd(d.systemMonthlyMicros),
  overridden: {
    user_daily: d.overridden.userDaily,
    user_monthly: d.overridden.userMonthly,
    system_monthly: d.overridden.systemMonthly,
  },
});

const userJson = (u: UserLimitOverride) => ({
  user_id: u.userId,
  daily_usd: u.dailyMicros === undefined ? null : microsToUsd(u.dailyMicros),
  monthly_usd: u.monthlyMicros === undefined || u.monthlyMicros < 0 ? null : microsToUsd(u.monthlyMicros),
  monthly_unlimited: u.monthlyMicros !== undefined && u.monthlyMicros < 0,
});

export const adminLimitsRouter = {
  /** Effective defaults (configuration plus run-time changes) and every per-user override. */
  get: adminProcedure.query(async ({ ctx }) => ({
    defaults: defaultsJson(await ctx.deps.limits.defaults()),
    users: (await ctx.deps.limits.users()).map(userJson),
  })),
  /** A number sets a default; null goes back to the configured value. */
  setDefaults: adminProcedure
    .input(
      z.object({
        user_daily_usd: change,
        user_monthly_usd: change,
        system_monthly_usd: change,
        /** Explicitly no per-user monthly limit, whatever the configuration says. */
        user_monthly_unlimited: z.boolean().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      defaultsJson(
        await ctx.deps.limits.setDefaults({
          userDaily: toMicros(input.user_daily_usd),
          userMonthly: input.user_monthly_unlimited ? -1 : toMicros(input.user_monthly_usd),
          systemMonthly: toMicros(input.system_monthly_usd),
        }),
      ),
    ),
  getUser: adminProcedure
    .input(z.object({ user_id: userIdInputSchema }))
    .query(async ({ ctx, input }) => userJson(await ctx.deps.limits.user(input.user_id))),
  /** A number overrides the user's limit; null removes the override. */
  setUser: adminProcedure
    .input(
      z.object({
        user_id: userIdInputSchema,
        daily_usd: change,
        monthly_usd: change,
        monthly_unlimited: z.boolean().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      userJson(
        await ctx.deps.limits.setUser(input.user_id, {
          daily: toMicros(input.daily_usd),
          monthly: input.monthly_unlimited ? -1 : toMicros(input.monthly_usd),
        }),
      ),
    ),
} satisfies TRPCRouterRecord;
