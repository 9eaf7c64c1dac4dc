import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { warmTokenizers } from '@tollgate/pricing';
import { compose, createStore } from './compose';
import type { Config } from './env';
import { createApp } from './http/app';
import { answerClientError } from './http/client-error';
import { withRequestLog } from './http/request-log';
import type { Logger } from './logger';

export interface RunningServer {
  server: Server;
  url: string;
  composition: ReturnType<typeof compose>;
  /** Stops accepting, lets in-flight requests finish up to the timeout, then closes the store. */
  shutdown(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger, webDistDir?: string): Promise<RunningServer> {
  const store = createStore(config);
  await store.ping();
  warmTokenizers();
  const composition = compose(config, store, {
    onFailOpen: (error) =>
      logger.warn(
        { err: error },
        'spend store unavailable: call admitted without a reservation (SPEND_FAILURE_MODE=open)',
      ),
    onError: (error) => logger.warn({ err: error }, 'background task failed'),
  });
  await composition.deps.priceOverrides.start();
  const app = createApp({
    deps: composition.deps,
    authenticate: composition.authenticate,
    maxBodyBytes: config.MAX_BODY_BYTES,
    trustProxyHops: config.TRUST_PROXY,
    corsOrigins: config.CORS_ORIGINS,
    ...((config.WEB_DIST_DIR ?? webDistDir) && { webDistDir: config.WEB_DIST_DIR ?? webDistDir }),
    metrics: composition.metrics,
    ...(config.METRICS_TOKEN && { metricsToken: config.METRICS_TOKEN }),
    onInternalError: (error) => logger.error({ err: error }, 'internal error'),
  });
  const handle = withRequestLog(app, logger, composition.metrics);
  composition.deps.alerts.engine.start(config.ALERT_EVAL_INTERVAL_MS);

  let inFlight = 0;
  let idle: (() => void) | null = null;
  const server = createServer((req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) idle?.();
    });
    handle(req, res);
  });
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 15 * 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;

  let stopping: Promise<void> | null = null;
  const shutdown = () => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const drained = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve));
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, config.SHUTDOWN_TIMEOUT_MS).unref());
      await Promise.race([drained, timeout]);
      server.closeAllConnections();
      await closed;
      composition.deps.priceOverrides.stop();
      composition.deps.alerts.engine.stop();
      // Pending traces get a few seconds, never more: LangSmith being down must not hold shutdown.
      await composition.tracing.flush(3_000);
      await composition.deps.settleOutbox.flush().catch(() => {});
      await composition.deps.usage.flush?.();
      composition.deps.settleOutbox.stop();
      await store.close();
    })();
    return stopping;
  };

  return { server, url: `http://${host}:${port}`, composition, shutdown };
}
