export { type ApiKeyInfo, type ApiKeyRepo, createApiKeyRepo } from './api-keys';
export { type Authenticate, type AuthenticatorOptions, createAuthenticator } from './authenticator';
export { createFailureLimiter, type FailureLimiter, type FailureLimiterOptions } from './failure-limiter';
export { createJwtVerifier, type JwtOptions } from './jwt';
export type { AuthFailureCode, AuthResult, Principal } from './principal';
export { API_KEY_PREFIX, constantTimeEquals, generateApiKey, sha256Hex } from './secrets';
