import { roleSchema, userIdInputSchema } from '@tollgate/schemas';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { fail } from '../errors';
import { adminProcedure } from '../trpc';

export const adminKeysRouter = {
  /** The key is returned once and never again; only its hash is kept. */
  create: adminProcedure
    .input(
      z.object({
        user_id: userIdInputSchema,
        role: roleSchema.default('user'),
        name: z.string().trim().min(1).max(100).default('api key'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { key, info } = await ctx.deps.apiKeys.create({
        userId: input.user_id,
        role: input.role,
        name: input.name,
      });
      return { key, ...info };
    }),
  list: adminProcedure.query(async ({ ctx }) => ({ keys: await ctx.deps.apiKeys.list() })),
  revoke: adminProcedure.input(z.object({ key_id: z.string().min(1).max(64) })).mutation(async ({ ctx, input }) => {
    const revoked = await ctx.deps.apiKeys.revoke(input.key_id);
    if (!revoked) fail(404, 'KEY_NOT_FOUND', `No API key ${input.key_id}`);
    return revoked;
  }),
} satisfies TRPCRouterRecord;
