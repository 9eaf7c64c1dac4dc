import { useQuery } from '@tanstack/react-query';
import { useTollgate } from './context';

/** The signed-in user's limit status, refreshed every `refetchMs` (default 30 s). */
export function useSpendLimit(options: { refetchMs?: number; enabled?: boolean } = {}) {
  const trpc = useTollgate();
  return useQuery(
    trpc.analytics.spendLimit.queryOptions(undefined, {
      refetchInterval: options.refetchMs ?? 30_000,
      enabled: options.enabled ?? true,
    }),
  );
}
