import type { Principal } from '@tollgate/auth';
import { TRPCError } from '@trpc/server';
import { actingUserId, principalOf } from '../acting-user';
import type { Context } from '../context';
import { problemFromDomainError, toTRPCError } from '../errors';
import { completionHeaders, completionJson } from '../views/completion';
import { withIdempotency } from './idempotency';
import { type CompletionInput, completionInputSchema } from './input';
import { createCompletionRunner } from './runner';

const runners = new WeakMap<Context['deps'], ReturnType<typeof createCompletionRunner>>();
const runnerFor = (deps: Context['deps']) => {
  let runner = runners.get(deps);
  if (!runner) {
    runner = createCompletionRunner(deps);
    runners.set(deps, runner);
  }
  return runner;
};

/** `ai.complete`: one completion, priced, limited, traced and recorded. */
export async function completeAs(ctx: Context, principal: Principal, input: CompletionInput, signal?: AbortSignal) {
  const userId = actingUserId(principal, input.user_id);
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
    const headers = completionHeaders(outcome);
    for (const name in headers) ctx.setHeader(name, headers[name] as string);
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
}

/** `ai.stream`: content deltas as they arrive, then one `done` event with usage and cost. */
export async function* streamAs(ctx: Context, principal: Principal, input: CompletionInput, signal?: AbortSignal) {
  try {
    const events = await runnerFor(ctx.deps).stream({
      userId: actingUserId(principal, input.user_id),
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
}

/** What tRPC makes of an error thrown in a procedure, so direct callers see the same errors. */
function asTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  const problem = problemFromDomainError(error);
  if (problem) return toTRPCError(problem);
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal error', cause: error });
}

function parse(input: unknown): CompletionInput {
  const parsed = completionInputSchema.safeParse(input);
  if (!parsed.success) throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input', cause: parsed.error });
  return parsed.data;
}

/**
 * `ai.complete` and `ai.stream` for the HTTP adapters' hot path, without tRPC's per-call
 * machinery (its middleware chain copies the context several times per call, ~80 µs): the same
 * authentication, validation, code and errors as the procedures, which call the same functions.
 */
export function directCompletions(ctx: Context, signal?: AbortSignal) {
  return {
    async complete(input: unknown) {
      try {
        return await completeAs(ctx, await principalOf(ctx), parse(input), signal);
      } catch (error) {
        throw asTRPCError(error);
      }
    },
    async stream(input: unknown) {
      try {
        return streamAs(ctx, await principalOf(ctx), parse(input), signal);
      } catch (error) {
        throw asTRPCError(error);
      }
    },
  };
}

export type DirectCompletions = ReturnType<typeof directCompletions>;
