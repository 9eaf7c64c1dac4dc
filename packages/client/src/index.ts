import type { AppRouter, RouterInputs, RouterOutputs } from '@tollgate/api';
import { createTRPCClient, httpBatchLink, httpBatchStreamLink, splitLink, type TRPCClient } from '@trpc/client';

export type { AppRouter, RouterInputs, RouterOutputs };
/** The limit status of `analytics.spendLimit` / `GET /api/v1/ai/analytics/user/spend-limit/`. */
export type SpendLimit = RouterOutputs['analytics']['spendLimit'];
export type TollgateClient = TRPCClient<AppRouter>;

export interface TollgateClientOptions {
  /** Where Tollgate runs, e.g. `https://tollgate.example.com` (the tRPC API is at `/trpc`). */
  url: string;
  /** An API key (`tg_…`) or a JWT; a function is asked before every request (for sign-in flows). */
  token: string | null | (() => string | null);
  fetch?: typeof fetch;
}

/**
 * The typed tRPC client of a Tollgate gateway. Only types come from the server: no server code
 * ends up in a frontend bundle. `ai.stream` is streamed; everything else is batched.
 */
export function createTollgateClient(options: TollgateClientOptions): TollgateClient {
  const url = `${options.url.replace(/\/+$/, '')}/trpc`;
  const headers = () => {
    const token = typeof options.token === 'function' ? options.token() : options.token;
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  const common = { url, headers, ...(options.fetch && { fetch: options.fetch }) };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.path === 'ai.stream',
        true: httpBatchStreamLink(common),
        false: httpBatchLink(common),
      }),
    ],
  });
}

/** The reference's "warn at 80 %" rule, for apps that check before a request. */
export function shouldWarn(limit: Pick<SpendLimit, 'daily_percent_used' | 'monthly_percent_used'>): boolean {
  return limit.daily_percent_used >= 80 || limit.monthly_percent_used >= 80;
}
