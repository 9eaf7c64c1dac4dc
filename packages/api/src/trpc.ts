import type { Principal } from '@tollgate/auth';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import { principalOf } from './acting-user';
import type { Context } from './context';
import { fail, problemFromDomainError, problemOf, toTRPCError } from './errors';

const t = initTRPC.context<Context>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const problem = problemOf(error);
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      message: internal ? 'Internal error' : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        appCode: problem?.code ?? (error.cause instanceof ZodError ? 'INVALID_INPUT' : shape.data.code),
        details: problem?.details ?? null,
        issues: error.cause instanceof ZodError ? z.treeifyError(error.cause) : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors become caller-facing problems here, once, for every procedure. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const problem = problemFromDomainError(result.error.cause);
    if (problem) throw toTRPCError(problem);
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapDomainErrors);

const requirePrincipal = t.middleware(async ({ ctx, next }) => next({ ctx: { principal: await principalOf(ctx) } }));

function requireRole(allowed: readonly Principal['role'][]) {
  return t.middleware(({ ctx, next }) => {
    const { principal } = ctx as typeof ctx & { principal: Principal };
    if (!allowed.includes(principal.role)) fail(403, 'FORBIDDEN', `This requires the ${allowed.join(' or ')} role`);
    return next();
  });
}

/** Any signed-in caller. */
export const authedProcedure = publicProcedure.use(requirePrincipal);
/** Trusted backends and admins: may attribute calls to any user and report usage. */
export const serviceProcedure = authedProcedure.use(requireRole(['service', 'admin']));
/** Admins only. Deny by default: every admin.* procedure is built on this. */
export const adminProcedure = authedProcedure.use(requireRole(['admin']));

export { TRPCError };
