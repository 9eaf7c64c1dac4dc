import { modelNameSchema, providerSchema } from '@tollgate/schemas';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { fail } from '../errors';
import { adminProcedure } from '../trpc';

/** $ per million tokens; $10,000/Mtok is far above any real price and catches unit mistakes. */
const perMtok = z.number().finite().min(0).max(10_000);

export const adminPricingRouter = {
  list: adminProcedure.query(async ({ ctx }) => ({ overrides: await ctx.deps.priceOverrides.list() })),
  /** Creates or replaces the override for (provider, model). */
  set: adminProcedure
    .input(
      z.object({
        provider: providerSchema,
        model: modelNameSchema,
        input_per_mtok_usd: perMtok,
        output_per_mtok_usd: perMtok,
        cache_read_per_mtok_usd: perMtok.nullable().optional(),
        cache_write_per_mtok_usd: perMtok.nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.deps.priceOverrides.set(input, ctx.principal.keyId ?? ctx.principal.via)),
  remove: adminProcedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(async ({ ctx, input }) => {
    const removed = await ctx.deps.priceOverrides.remove(input.id);
    if (!removed) fail(404, 'OVERRIDE_NOT_FOUND', `No price override ${input.id}`);
    return removed;
  }),
} satisfies TRPCRouterRecord;
