import { adminAlertsRouter } from './routers/admin-alerts';
import { adminKeysRouter } from './routers/admin-keys';
import { adminLimitsRouter } from './routers/admin-limits';
import { adminMiscProcedures } from './routers/admin-misc';
import { adminPricingRouter } from './routers/admin-pricing';
import { aiRouter } from './routers/ai';
import { analyticsRouter } from './routers/analytics';
import { authRouter } from './routers/auth';
import { promptsRouter } from './routers/prompts';
import { usageRouter } from './routers/usage';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  ai: aiRouter,
  analytics: analyticsRouter,
  usage: usageRouter,
  prompts: promptsRouter,
  admin: router({
    alerts: router(adminAlertsRouter),
    keys: router(adminKeysRouter),
    limits: router(adminLimitsRouter),
    pricing: router(adminPricingRouter),
    ...adminMiscProcedures,
  }),
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
