import type { ApiKeyRepo } from './api-keys';
import type { FailureLimiter } from './failure-limiter';
import type { JwtOptions } from './jwt';
import { createJwtVerifier } from './jwt';
import type { AuthResult } from './principal';
import { API_KEY_PREFIX, constantTimeEquals } from './secrets';

export interface AuthenticatorOptions {
  apiKeys: ApiKeyRepo;
  failures: FailureLimiter;
  /** The operator's static admin token; unset means no admin token is accepted. */
  adminToken?: string;
  /** Unset means JWTs are not accepted. */
  jwt?: JwtOptions;
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * Turns an Authorization header into a principal. The role and user id come from the credential
 * alone; callers never get to name themselves.
 */
export function createAuthenticator(options: AuthenticatorOptions) {
  const verifyJwt = options.jwt ? createJwtVerifier(options.jwt) : null;

  async function identify(token: string): Promise<AuthResult> {
    if (token.startsWith(API_KEY_PREFIX)) {
      const key = await options.apiKeys.verify(token);
      return key
        ? { ok: true, principal: { role: key.role, userId: key.user_id, via: 'api_key', keyId: key.key_id } }
        : { ok: false, code: 'INVALID_CREDENTIAL', message: 'Invalid or revoked API key' };
    }
    if (verifyJwt && token.split('.').length === 3) {
      const result = await verifyJwt(token);
      if (result.ok) return result;
      return {
        ok: false,
        code: 'INVALID_CREDENTIAL',
        message: result.reason === 'expired' ? 'Token expired' : 'Invalid token',
      };
    }
    if (options.adminToken && constantTimeEquals(token, options.adminToken)) {
      return { ok: true, principal: { role: 'admin', userId: null, via: 'admin_token' } };
    }
    return { ok: false, code: 'INVALID_CREDENTIAL', message: 'Invalid credential' };
  }

  /** `address` is the client's IP, used only to slow down repeated failures. */
  return async function authenticate(header: string | undefined, address: string): Promise<AuthResult> {
    const wait = options.failures.blockedFor(address);
    if (wait > 0) {
      return {
        ok: false,
        code: 'TOO_MANY_AUTH_FAILURES',
        message: 'Too many failed authentication attempts; try again later',
        retryAfterSec: wait,
      };
    }
    if (!header) return { ok: false, code: 'UNAUTHENTICATED', message: 'Authentication required' };
    const token = BEARER.exec(header)?.[1];
    const result: AuthResult = token
      ? await identify(token)
      : { ok: false, code: 'INVALID_CREDENTIAL', message: 'Malformed Authorization header; expected "Bearer <token>"' };
    if (!result.ok) await options.failures.recordFailure(address);
    return result;
  };
}

export type Authenticate = ReturnType<typeof createAuthenticator>;
