import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root';

export { type ApiDeps, type Context, createContextInner } from './context';
export { ApiProblem, problemFromDomainError, problemOf } from './errors';
export { type AppRouter, appRouter, createCaller } from './root';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
