import { microsToUsd, userIdInputSchema } from '@tollgate/schemas';
import type { ResetAuditRecord } from '@tollgate/spend';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { adminProcedure } from '../trpc';
import { jsonUserId } from '../views/analytics';
import { limitStatusJson } from '../views/limit-status';

const auditJson = (r: ResetAuditRecord) => ({
  at: r.at,
  by: r.by,
  user_id: r.user_id,
  previous_daily_spend: microsToUsd(r.previous_daily_micros),
  previous_monthly_spend: microsToUsd(r.previous_monthly_micros),
});

export const adminMiscProcedures = {
  /** LangSmith: enabled, project, endpoint, connected (an authenticated call succeeded), error in words. */
  langsmithHealth: adminProcedure.query(({ ctx }) => ctx.deps.tracingHealth()),
  /** Zeroes the user's current day and month (not the analytics history) and audits it. */
  resetUserSpend: adminProcedure.input(z.object({ user_id: userIdInputSchema })).mutation(async ({ ctx, input }) => {
    const by = ctx.principal.keyId ? `key:${ctx.principal.keyId}` : ctx.principal.via;
    const { previous, status } = await ctx.deps.ledger.resetUser(input.user_id, by);
    return {
      user_id: jsonUserId(input.user_id),
      reset: true,
      previous: auditJson(previous),
      ...limitStatusJson(status),
    };
  }),
  resetAudit: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(1000).default(100) }).optional())
    .query(async ({ ctx, input }) => ({
      resets: (await ctx.deps.ledger.resetAudit(input?.limit ?? 100)).map(auditJson),
    })),
} satisfies TRPCRouterRecord;
