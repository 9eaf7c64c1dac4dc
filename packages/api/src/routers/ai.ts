import type { TRPCRouterRecord } from '@trpc/server';
import { completeAs, streamAs } from '../completion/calls';
import { completionInputSchema } from '../completion/input';
import { listModels } from '../completion/models';
import { authedProcedure } from '../trpc';

export const aiRouter = {
  /** Models this gateway can route to, with whether each has a price. */
  models: authedProcedure.query(({ ctx }) => ({ models: listModels(ctx.deps) })),

  /** One completion: priced, limited, traced and recorded. */
  complete: authedProcedure
    .input(completionInputSchema)
    .mutation(({ ctx, input, signal }) => completeAs(ctx, ctx.principal, input, signal)),

  /** The same call streamed: content deltas as they arrive, then one `done` event with usage and cost. */
  stream: authedProcedure.input(completionInputSchema).mutation(async function* ({ ctx, input, signal }) {
    yield* streamAs(ctx, ctx.principal, input, signal);
  }),
} satisfies TRPCRouterRecord;
