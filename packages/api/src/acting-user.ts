import type { Principal } from '@tollgate/auth';
import { fail } from './errors';

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
