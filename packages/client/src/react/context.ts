import type { AppRouter } from '@tollgate/api';
import { createTRPCContext } from '@trpc/tanstack-react-query';

/**
 * React bindings: wrap your app in `<TollgateProvider trpcClient={…} queryClient={…}>` and use
 * `useTollgate()` for any procedure, or the ready-made hooks and components.
 */
export const { TRPCProvider: TollgateProvider, useTRPC: useTollgate } = createTRPCContext<AppRouter>();
