import { randomUUID } from 'node:crypto';
import {
  microsToUsd,
  modelNameSchema,
  providerSchema,
  simpleUsage,
  tokenCountSchema,
  userIdInputSchema,
} from '@tollgate/schemas';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { actingUserId } from '../acting-user';
import { requirePrice } from '../services/require-price';
import { serviceProcedure } from '../trpc';
import { jsonUserId } from '../views/analytics';
import { limitStatusJson } from '../views/limit-status';

export const usageRouter = {
  /**
   * Records an LLM call made outside the gateway, priced like any other (the reference's manual
   * cost tracking). `request_id` makes a retried report count once.
   */
  track: serviceProcedure
    .input(
      z.object({
        user_id: userIdInputSchema,
        provider: providerSchema,
        model: modelNameSchema,
        prompt_tokens: tokenCountSchema,
        completion_tokens: tokenCountSchema,
        cached_tokens: tokenCountSchema.optional(),
        request_id: z.string().trim().min(1).max(128).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const userId = actingUserId(ctx.principal, input.user_id);
      const price = requirePrice(ctx.deps, input.provider, input.model);
      const usage = {
        ...simpleUsage(input.prompt_tokens, input.completion_tokens),
        cacheReadTokens: Math.min(input.cached_tokens ?? 0, input.prompt_tokens),
      };
      const micros = price ? ctx.deps.pricer.cost(price, usage) : 0;
      const requestId = input.request_id ?? randomUUID();
      const { charged, status } = await ctx.deps.ledger.charge({ requestId: `usage:${requestId}`, userId, micros });
      if (charged) {
        ctx.deps.usage.submit({
          request_id: `usage:${requestId}`,
          trace_id: null,
          user_id: userId,
          provider: input.provider,
          model: input.model,
          entry_point: 'usage.track',
          status: 'success',
          error_class: null,
          prompt_tokens: input.prompt_tokens,
          completion_tokens: input.completion_tokens,
          cached_tokens: usage.cacheReadTokens,
          reasoning_tokens: 0,
          cost_micros: micros,
          estimated: false,
          latency_ms: 0,
          tags: ['usage.track'],
          at: Date.now(),
          price_source: price
            ? price.source.kind === 'override'
              ? `override:${price.source.id}`
              : price.source.version
            : null,
        });
      }
      return {
        request_id: requestId,
        recorded: charged,
        user_id: jsonUserId(userId),
        provider: input.provider,
        model: input.model,
        prompt_tokens: input.prompt_tokens,
        completion_tokens: input.completion_tokens,
        total_tokens: input.prompt_tokens + input.completion_tokens,
        cost_usd: microsToUsd(micros),
        price_source: price?.source ?? null,
        limit_exceeded: status.blocked,
        ...limitStatusJson(status),
      };
    }),
} satisfies TRPCRouterRecord;
