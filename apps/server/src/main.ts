import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, loadDotEnv } from './env';
import { createLogger } from './logger';
import { startServer } from './server';

const here = dirname(fileURLToPath(import.meta.url));
// The bundle lives in apps/server/dist; the SPA build in apps/web/dist.
const DEFAULT_WEB_DIST = resolve(here, '../../web/dist');

async function main(): Promise<void> {
  loadDotEnv();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  if (!config.REDIS_URL) {
    logger.warn(
      'REDIS_URL is not set: using the embedded in-memory store. Nothing persists across restarts and spend limits apply per process; set REDIS_URL for production or several instances.',
    );
  }

  const running = await startServer(config, logger, DEFAULT_WEB_DIST);
  const lines = [`Tollgate listening on ${running.url}`];
  if (!config.ADMIN_TOKEN && !config.REDIS_URL) {
    // The embedded store lives in this process, so mint a bootstrap admin key for this run.
    const { key } = await running.composition.deps.apiKeys.create({
      userId: 'admin',
      role: 'admin',
      name: 'bootstrap',
    });
    const file = join(process.cwd(), '.tollgate', 'admin-key');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    lines.push(`Admin key for this run written to ${file} (read it with: cat .tollgate/admin-key)`);
  } else if (!config.ADMIN_TOKEN) {
    lines.push('No ADMIN_TOKEN set: create an admin key with `pnpm tollgate keys create --user admin --role admin`.');
  } else {
    lines.push('Admins sign in with the ADMIN_TOKEN from your environment.');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  logger.info({ url: running.url, store: running.composition.deps.store.kind }, 'started');

  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Tollgate failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
