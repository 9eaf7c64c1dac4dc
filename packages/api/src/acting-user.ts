import type { Principal } from '@tollgate/auth';
import type { Context } from './context';
import { ApiProblem, fail, toTRPCError } from './errors';

/**
 * The user a call acts for. Users are always themselves (naming another user is refused);
 * service and admin principals may name any user, and must name one when they have none.
 */
export function actingUserId(principal: Principal, requested: string | undefined): string {
  if (principal.role === 'user') {
    if (requested !== undefined && requested !== principal.userId) {
      fail(403, 'FORBIDDEN', 'Users may act only as themselves');
    }
    return principal.userId as string;
  }
  const userId = requested ?? principal.userId;
  if (!userId) fail(400, 'USER_ID_REQUIRED', 'user_id is required for this credential');
  return userId;
}

/** The caller's principal, or the 401/429 every authed procedure answers with. */
export async function principalOf(ctx: Context): Promise<Principal> {
  const auth = await ctx.authenticate();
  if (!auth.ok) {
    throw toTRPCError(
      new ApiProblem(
        auth.code === 'TOO_MANY_AUTH_FAILURES' ? 429 : 401,
        auth.code,
        auth.message,
        {},
        auth.retryAfterSec,
      ),
    );
  }
  ctx.annotate({ user_id: auth.principal.userId, role: auth.principal.role });
  return auth.principal;
}
