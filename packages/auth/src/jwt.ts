import { roleSchema, userIdSchema } from '@tollgate/schemas';
import { errors, jwtVerify } from 'jose';
import type { Principal } from './principal';

export interface JwtOptions {
  /** HS256 shared secret (≥ 32 bytes). */
  secret: string;
  issuer?: string;
  audience?: string;
  /** Clock skew tolerated on exp/nbf, seconds. */
  clockToleranceSec?: number;
}

export type JwtResult = { ok: true; principal: Principal } | { ok: false; reason: 'expired' | 'invalid' };

export function createJwtVerifier(options: JwtOptions) {
  const key = new TextEncoder().encode(options.secret);
  return async function verifyJwt(token: string): Promise<JwtResult> {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
        clockTolerance: options.clockToleranceSec ?? 5,
        ...(options.issuer && { issuer: options.issuer }),
        ...(options.audience && { audience: options.audience }),
      });
      const sub = userIdSchema.safeParse(payload.sub);
      const role = roleSchema.safeParse(payload.role ?? 'user');
      if (!sub.success || !role.success) return { ok: false, reason: 'invalid' };
      return { ok: true, principal: { role: role.data, userId: sub.data, via: 'jwt' } };
    } catch (error) {
      return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  };
}
