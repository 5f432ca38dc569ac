import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { Database, DatabaseLog } from './data/database.js';
import { DataDirInUseError } from './data/embedded-lock.js';
import { AppError } from './errors.js';
import { applyServerTimeouts } from './http/server-timeouts.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { connectionDrain } from './http/connection-drain.js';
import { createLogger, errorSummary } from './logger.js';
import { armShutdownWatchdog } from './shutdown-watchdog.js';
import { describeDatabase, startBanner } from './startup/banner.js';
import { assertDataDirUsable } from './startup/data-dir.js';
import { databaseFailure } from './startup/database-failure.js';
import { assertPortFree, listenFailure } from './startup/port.js';
import { StartupError } from './startup/startup-error.js';

// The only entry point: config → port check → database → app → listen → graceful shutdown.

/** After SHUTDOWN_TIMEOUT_MS the main thread exits itself; this much later the watchdog kills a main thread that could not. */
const WATCHDOG_MARGIN_MS = 1000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // seconds before the database is ready: a taken port must not wait for them
  await assertPortFree(config.port, config.host);
  if (!config.database.url || config.demoAccounts) assertDataDirUsable(config.database.dataDir);
  const { secret: jwtSecret, source } = resolveJwtSecret(config);
  if (source === 'ephemeral') logger.warn('JWT_SECRET is not set: using a random key, tokens end with this process');
  // Loaded only now: a start that fails the checks above answers in about 0.5 s instead of 3 s.
  const [{ seedDemoContent }, { createRateLimitStore }, { startRuntime }, { ensureDemoAccounts }] = await Promise.all([
    import('./startup/demo-seed.js'),
    import('./data/rate-limit-store.js'),
    import('./runtime.js'),
    import('./startup/demo-accounts.js'),
  ]);

  const database = describeDatabase(config.database);
  const db = await openDatabase(config, {
    info: (message) => logger.info({ component: 'database' }, message),
    warn: (message) => logger.warn({ component: 'database' }, message),
    error: (message) => logger.error({ component: 'database' }, message),
  });
  logger.info({ database, schema: config.database.schema, replicas: db.reads.status().replicas.map((r) => r.name) }, 'database ready');

  const rateLimitStore = createRateLimitStore(config.rateLimits, (message) => logger.warn({ component: 'rate-limits' }, message));
  await rateLimitStore.ready();
  logger.info({ store: rateLimitStore.kind }, 'rate limits ready');

  const runtime = await startRuntime({ config, db, logger, jwtSecret, rateLimitStore });
  const { services } = runtime;
  if (config.bootstrapAdmin) {
    const { created } = await services.editors.ensureAdmin(config.bootstrapAdmin.email, config.bootstrapAdmin.password).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'weak_password') throw new StartupError(`BOOTSTRAP_ADMIN_PASSWORD: ${error.message}`);
      throw error;
    });
    if (created) logger.info({ email: config.bootstrapAdmin.email }, 'bootstrap admin created');
  }
  if (config.seedDemo) {
    const seeded = await seedDemoContent(db.knex);
    if (seeded) logger.info(seeded, 'demo catalog and reviews seeded');
  }
  const demo = config.demoAccounts ? await ensureDemoAccounts(services.editors, config.database.dataDir) : undefined;
  if (demo) logger.info({ accounts: demo.accounts.map((a) => a.email), file: demo.file }, 'demo accounts ready');
  // replicas serve public reads only once they have replayed what start-up wrote
  await db.reads.noteWriteFromPrimary();

  const drain = connectionDrain(runtime.handle);
  const server: Server = createServer(drain.handle).listen(config.port, config.host);
  await once(server, 'listening').catch((error: unknown) => {
    throw listenFailure(error, config.port, config.host);
  });
  applyServerTimeouts(server);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const baseUrl = `http://localhost:${port}`;
  logger.info({ url: baseUrl, docs: `${baseUrl}/docs`, database }, 'listening');
  // after the JSON lines before it, so it is the last thing on the screen
  if (config.env !== 'production') logger.flush(() => process.stdout.write(startBanner(baseUrl, database, demo)));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // first, before anything that could block: the exit that needs no event loop
    armShutdownWatchdog(config.shutdownTimeoutMs + WATCHDOG_MARGIN_MS);
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    try {
      drain.begin();
      server.close();
      server.closeIdleConnections();
      await once(server, 'close');
      await runtime.close();
      await db.close();
      await rateLimitStore.close();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: errorSummary(error) }, 'shutdown failed; exiting');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

async function openDatabase(config: Config, log: DatabaseLog): Promise<Database> {
  try {
    const { createDatabase } = await import('./data/database.js');
    const db = createDatabase(config.database, log);
    try {
      await db.migrate();
    } catch (error) {
      await db.close().catch(() => {});
      throw error;
    }
    return db;
  } catch (error) {
    throw databaseFailure(error, config.database);
  }
}

/** Failures a user can fix print as their message alone; anything else is a bug and keeps its stack. */
const isExpected = (error: unknown): error is Error => error instanceof ConfigError || error instanceof StartupError || error instanceof DataDirInUseError;

main().catch((error: unknown) => {
  if (isExpected(error)) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
