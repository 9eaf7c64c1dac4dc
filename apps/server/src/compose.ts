import type { ApiDeps } from '@tollgate/api';
import { type Authenticate, createApiKeyRepo, createAuthenticator, createFailureLimiter } from '@tollgate/auth';
import { createMemoryStore, createRedisStore, type Store } from '@tollgate/store';
import type { Config } from './env';

export function createStore(config: Config): Store {
  if (!config.REDIS_URL) return createMemoryStore();
  return createRedisStore({
    url: config.REDIS_URL,
    cluster: config.REDIS_CLUSTER,
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    ...(config.REDIS_KEY_PREFIX && { keyPrefix: config.REDIS_KEY_PREFIX }),
  });
}

export interface Composition {
  deps: ApiDeps;
  authenticate: Authenticate;
}

/** The composition root: the one place that turns configuration into wired domain objects. */
export function compose(config: Config, store: Store): Composition {
  const apiKeys = createApiKeyRepo({ store });
  const failures = createFailureLimiter({ store, maxFailures: config.AUTH_MAX_FAILURES });
  const authenticate = createAuthenticator({
    apiKeys,
    failures,
    ...(config.ADMIN_TOKEN && { adminToken: config.ADMIN_TOKEN }),
    ...(config.AUTH_JWT_SECRET && {
      jwt: {
        secret: config.AUTH_JWT_SECRET,
        ...(config.AUTH_JWT_ISSUER && { issuer: config.AUTH_JWT_ISSUER }),
        ...(config.AUTH_JWT_AUDIENCE && { audience: config.AUTH_JWT_AUDIENCE }),
      },
    }),
  });
  return { deps: { store, apiKeys }, authenticate };
}
