import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { createDatabase } from './data/database.js';
import { seedDemoContent } from './data/demo-seed.js';
import { createRateLimitStore } from './data/rate-limit-store.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { createLogger } from './logger.js';
import { startRuntime } from './runtime.js';

// The only entry point: config → database → app → listen → graceful shutdown.

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { secret: jwtSecret, source } = resolveJwtSecret(config);
  if (source === 'ephemeral') logger.warn('JWT_SECRET is not set: using a random key, tokens end with this process');

  const db = createDatabase(config.database, {
    info: (message) => logger.info({ component: 'database' }, message),
    warn: (message) => logger.warn({ component: 'database' }, message),
    error: (message) => logger.error({ component: 'database' }, message),
  });
  await db.migrate();
  logger.info({ database: db.kind, schema: config.database.schema, replicas: db.reads.status().replicas.map((r) => r.name) }, 'database ready');

  const rateLimitStore = createRateLimitStore(config.rateLimits, (message) => logger.warn({ component: 'rate-limits' }, message));
  await rateLimitStore.ready();
  logger.info({ store: rateLimitStore.kind }, 'rate limits ready');

  const runtime = await startRuntime({ config, db, logger, jwtSecret, rateLimitStore });
  const { services } = runtime;
  if (config.bootstrapAdmin) {
    const { created } = await services.editors.ensureAdmin(config.bootstrapAdmin.email, config.bootstrapAdmin.password);
    if (created) logger.info({ email: config.bootstrapAdmin.email }, 'bootstrap admin created');
  }
  if (config.seedDemo) {
    const seeded = await seedDemoContent(db.knex);
    if (seeded) logger.info(seeded, 'demo catalog and reviews seeded');
  }
  // replicas serve public reads only once they have replayed what start-up wrote
  await db.reads.noteWriteFromPrimary();

  const server: Server = createServer(runtime.handle).listen(config.port, config.host);
  await once(server, 'listening');
  server.keepAliveTimeout = 65_000; // longer than common load balancer idle timeouts
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ url: `http://localhost:${port}`, docs: `http://localhost:${port}/docs` }, 'listening');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    server.close();
    server.closeIdleConnections();
    await once(server, 'close');
    await runtime.close();
    await db.close();
    await rateLimitStore.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
