import { adminKeysRouter } from './routers/admin-keys';
import { authRouter } from './routers/auth';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  admin: router({
    keys: router(adminKeysRouter),
  }),
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
