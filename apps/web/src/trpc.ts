import { QueryClient } from '@tanstack/react-query';
import { createTollgateClient } from '@tollgate/client';
import { useTollgate } from '@tollgate/client/react';
import { session } from './session';

/** SPA singletons: no SSR, so one query cache and one client for the page's life. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (count, error) =>
        count < 2 &&
        !/UNAUTHORIZED|FORBIDDEN|BAD_REQUEST/.test(String((error as { data?: { code?: string } }).data?.code)),
      refetchOnWindowFocus: true,
    },
  },
});

export const trpcClient = createTollgateClient({ url: window.location.origin, token: session.token });

export const useTRPC = useTollgate;
