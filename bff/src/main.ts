import type { Server } from 'node:http';
import { createApp, prepareDatabase } from './app';
import { loadConfig, proxyWarningAtStart, proxyWarningOnRequest } from './config';
import { connectDatabase } from './platform/db';
import { createLogger } from './platform/logger';
import { scheduledFaults } from './platform/faults';
import { startWorkers } from './platform/module';
import { seedDemoData } from './seed';

/** Starts the BFF: config, database, indexes, optional demo data, then listens. */
export async function start(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel });
  const proxyWarning = proxyWarningAtStart(config);
  if (proxyWarning) logger.warn({ setting: 'TRUSTED_PROXIES' }, proxyWarning);
  const db = await connectDatabase(config.mongodbUri, { poolSize: config.dbPoolSize });
  const app = createApp({ config, db, logger, faults: scheduledFaults(env.TEST_FAULTS, config.env) });
  await prepareDatabase(app.services);
  if (env.SEED_DEMO === '1') {
    await seedDemoData(app.services, config);
  }
  const stopMaintenance = app.services.maintenance.start(undefined, config.sweepIntervalMs);
  const stopWorkers = startWorkers(app.services.modules, logger);

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
  });
  // Behind a gateway with TRUSTED_PROXIES unset: said loudly, once, at the first forwarded request.
  const forwarded = (req: { headers: Record<string, string | string[] | undefined> }) => {
    const warning = proxyWarningOnRequest(config, req.headers['x-forwarded-for']);
    if (!warning) return;
    server.off('request', forwarded);
    logger.warn(warning);
  };
  if (!config.trustedProxiesSet) server.on('request', forwarded);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port }, 'bff listening');

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('bff stopping: draining in-flight requests');
      stopMaintenance();
      // close() stops accepting and resolves when in-flight requests have finished.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await stopWorkers();
      await db.close();
      logger.info('bff stopped');
    })());
  return { server, port, stop, app };
}

if (require.main === module) {
  start()
    .then(({ stop }) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => {
          stop().then(
            () => process.exit(0),
            () => process.exit(1),
          );
        });
      }
    })
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
