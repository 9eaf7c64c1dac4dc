import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure } from '../trpc';

export const authRouter = {
  /** Who the credential says the caller is. */
  me: authedProcedure.query(({ ctx }) => ({
    role: ctx.principal.role,
    user_id: ctx.principal.userId,
    via: ctx.principal.via,
    key_id: ctx.principal.keyId ?? null,
  })),
} satisfies TRPCRouterRecord;
