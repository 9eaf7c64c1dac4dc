import { userIdInputSchema } from '@tollgate/schemas';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { actingUserId } from '../acting-user';
import { authedProcedure } from '../trpc';
import { limitStatusJson } from '../views/limit-status';

export const analyticsRouter = {
  /** The caller's standing against every spend window (service/admin may name a user). */
  spendLimit: authedProcedure
    .input(z.object({ user_id: userIdInputSchema.optional() }).optional())
    .query(async ({ ctx, input }) => {
      const userId = actingUserId(ctx.principal, input?.user_id);
      return { user_id: userId, ...limitStatusJson(await ctx.deps.ledger.status(userId)) };
    }),
} satisfies TRPCRouterRecord;
