import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root';

export { type ApiDeps, type Context, createContextInner } from './context';
export { type ApiDepsOptions, createApiDeps } from './deps';
export { ApiProblem, problemFromDomainError, problemOf } from './errors';
export { type AppRouter, appRouter, createCaller } from './root';
export { createPriceOverrides, type PriceOverrides } from './services/price-overrides';
export { type LimitStatusJson, limitStatusJson } from './views/limit-status';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
