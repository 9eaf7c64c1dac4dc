import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root';

export { type DirectCompletions, directCompletions } from './completion/calls';
export { type CompletionInput, completionInputSchema } from './completion/input';
export type { CompletionOutcome, StreamOutput } from './completion/runner';
export type { CompletionTrace, CompletionTraceEnd, CompletionTracer, CompletionTraceStart } from './completion/tracer';
export { noopTracer } from './completion/tracer';
export type { CompletionSettings } from './context';
export { type ApiDeps, type CompletionObserver, type Context, createContextInner, noopObserver } from './context';
export { type ApiDepsOptions, createApiDeps } from './deps';
export { ApiProblem, problemFromDomainError, problemOf, toTRPCError } from './errors';
export { type AppRouter, appRouter, createCaller } from './root';
export { createPriceOverrides, type PriceOverrides } from './services/price-overrides';
export { type CompletionJson, completionHeaders, completionJson, usageJson } from './views/completion';
export { type LimitStatusJson, limitStatusJson } from './views/limit-status';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
