import type { Role } from '@tollgate/schemas';

/** Who is calling, as established from the credential and nothing else. */
export interface Principal {
  role: Role;
  /** The user the credential belongs to; null for the admin token. */
  userId: string | null;
  via: 'admin_token' | 'api_key' | 'jwt';
  /** Set for API keys, so logs and audits can name the key without its secret. */
  keyId?: string;
}

export type AuthFailureCode = 'UNAUTHENTICATED' | 'INVALID_CREDENTIAL' | 'TOO_MANY_AUTH_FAILURES';

export type AuthResult =
  | { ok: true; principal: Principal }
  | { ok: false; code: AuthFailureCode; message: string; retryAfterSec?: number };
