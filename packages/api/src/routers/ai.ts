import type { TRPCRouterRecord } from '@trpc/server';
import { actingUserId } from '../acting-user';
import { withIdempotency } from '../completion/idempotency';
import { completionInputSchema } from '../completion/input';
import { listModels } from '../completion/models';
import { createCompletionRunner } from '../completion/runner';
import type { Context } from '../context';
import { problemFromDomainError, toTRPCError } from '../errors';
import { authedProcedure } from '../trpc';
import { completionHeaders, completionJson } from '../views/completion';

const runners = new WeakMap<Context['deps'], ReturnType<typeof createCompletionRunner>>();
const runnerFor = (deps: Context['deps']) => {
  let runner = runners.get(deps);
  if (!runner) {
    runner = createCompletionRunner(deps);
    runners.set(deps, runner);
  }
  return runner;
};

export const aiRouter = {
  /** Models this gateway can route to, with whether each has a price. */
  models: authedProcedure.query(({ ctx }) => ({ models: listModels(ctx.deps) })),

  /** One completion: priced, limited, traced and recorded. */
  complete: authedProcedure.input(completionInputSchema).mutation(async ({ ctx, input, signal }) => {
    const userId = actingUserId(ctx.principal, input.user_id);
    const run = async (requestId: string) => {
      const outcome = await runnerFor(ctx.deps).complete({
        userId,
        requestId,
        entryPoint: ctx.entryPoint ?? 'ai.complete',
        input,
        signal,
        parentHeaders: ctx.traceHeaders,
        annotate: ctx.annotate,
      });
      for (const [k, v] of Object.entries(completionHeaders(outcome))) ctx.setHeader(k, v);
      return completionJson(outcome);
    };
    if (!ctx.idempotencyKey) return run(ctx.requestId);
    const { result, replayed } = await withIdempotency(
      ctx.deps.store,
      { userId, key: ctx.idempotencyKey, body: input },
      run,
    );
    if (replayed) {
      ctx.setHeader('idempotent-replayed', 'true');
      ctx.setHeader('x-tollgate-cost-usd', String(result.cost_usd));
    }
    return result;
  }),

  /** The same call streamed: content deltas as they arrive, then one `done` event with usage and cost. */
  stream: authedProcedure.input(completionInputSchema).mutation(async function* ({ ctx, input, signal }) {
    try {
      const events = await runnerFor(ctx.deps).stream({
        userId: actingUserId(ctx.principal, input.user_id),
        requestId: ctx.requestId,
        entryPoint: ctx.entryPoint ?? 'ai.stream',
        input,
        signal,
        parentHeaders: ctx.traceHeaders,
        annotate: ctx.annotate,
      });
      for await (const event of events) {
        if (event.type === 'delta') {
          yield { type: 'delta' as const, content: event.content ?? '', tool_calls: event.tool_calls ?? [] };
        } else {
          yield { type: 'done' as const, ...completionJson(event) };
        }
      }
    } catch (error) {
      // Errors inside a stream bypass the procedure middleware: map them here.
      const problem = problemFromDomainError(error);
      throw problem ? toTRPCError(problem) : error;
    }
  }),
} satisfies TRPCRouterRecord;
