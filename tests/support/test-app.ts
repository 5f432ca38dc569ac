import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { createDatabase, type Database } from '../../src/data/database.js';
import { createRateLimitStore, type RateLimitStore } from '../../src/data/rate-limit-store.js';
import type { Services } from '../../src/handlers/services.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { applyServerTimeouts } from '../../src/http/server-timeouts.js';
import { withContractCoverage } from './contract-coverage.js';
import { restoredPGlite } from './embedded-snapshot.js';

// The real app, in-process on an ephemeral port, against a real migrated PostgreSQL:
// TEST_DATABASE_URL's server (a schema of its own per test file) or the embedded one
// (restored from the snapshot globalSetup migrated). Passwords are hashed at the test cost.

export type HttpResult<T = any> = { status: number; headers: Headers; body: T; text: string };
export type RequestOptions = { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> };

export type TestApp = {
  baseUrl: string;
  config: Config;
  db: Database;
  services: Services;
  runtime: Runtime;
  jwtSecret: string;
  /** What the database layer logged (knex warnings, replicas going down and up), for tests to assert on. */
  databaseLog: string[];
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  close(): Promise<void>;
};

/** Limits high enough that only tests about throttling (which set their own) ever meet them. */
const UNTHROTTLED = {
  AUTH_REQUESTS_PER_MINUTE: '100000',
  EDITOR_REQUESTS_PER_MINUTE: '100000',
  REVIEWS_PER_HOUR: '100000',
  LOGIN_FREE_FAILURES: '100',
  // a loaded test machine's event loop lags at times: only tests about shedding (which set it) meet it
  SHED_EVENT_LOOP_DELAY_MS: '0',
};

export type TestAppOptions = {
  /** The app's logger (default: silent). */
  logger?: Logger;
  /** Share rate-limit counters with another test app (default: a store of its own, from the config). */
  rateLimitStore?: RateLimitStore;
  /** A second instance of the service on this one's database (PostgreSQL only), as behind a load balancer. */
  sameDatabaseAs?: TestApp;
  /** A second runtime in this process on this app's very database client (the embedded database too), to compare configurations. */
  sharingClientOf?: TestApp;
};

/**
 * The app for one test file: started before its tests, closed after them. `const app = useTestApp();`
 * at the top of the file, then `app.request(…)` in tests and hooks, as with startTestApp's result.
 * Hooks the file registers after this call run once the app is up.
 */
export function useTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await startTestApp(env, options);
  });
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as TestApp, {
    get(_target, key) {
      if (!started) throw new Error('useTestApp(): the app starts in beforeAll; use it in a test or a hook');
      const value: unknown = Reflect.get(started, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(started) : value;
    },
  });
}

export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const url = process.env.TEST_DATABASE_URL;
  const twin = options.sharingClientOf;
  const peer = options.sameDatabaseAs ?? twin;
  if (options.sameDatabaseAs && !url) throw new Error('Two instances on one database need TEST_DATABASE_URL (the embedded database is one process)');
  const schema = peer ? peer.config.database.schema : url ? `test_${process.pid}_${randomBytes(4).toString('hex')}` : 'public';
  const jwtSecret = peer ? peer.jwtSecret : (env.JWT_SECRET ?? randomBytes(32).toString('hex'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: 'memory://',
    DATABASE_SCHEMA: schema,
    JWT_SECRET: jwtSecret,
    PASSWORD_HASH_COST: 'test',
    ...UNTHROTTLED,
    ...(url && { DATABASE_URL: url }),
    ...env,
  });
  const databaseLog: string[] = [];
  const record = (level: string) => (message: string) => void databaseLog.push(`${level}: ${message}`);
  const log = { info: record('info'), warn: record('warn'), error: record('error') };
  const embeddedInMemory = !config.database.url && config.database.dataDir === 'memory://';
  const db = twin ? twin.db : createDatabase(config.database, log, embeddedInMemory ? restoredPGlite() : undefined);
  if (!twin) await db.migrate();
  const ownStore = options.rateLimitStore ? undefined : createRateLimitStore(config.rateLimits);
  await ownStore?.ready();
  const rateLimitStore = options.rateLimitStore ?? ownStore;
  const logger = options.logger ?? pino({ level: 'silent' });
  const runtime = await startRuntime({ config, db, logger, jwtSecret, rateLimitStore });
  const { services } = runtime;
  const server: Server = await new Promise((resolve) => {
    const s = createServer(withContractCoverage(runtime.handle)).listen(0, '127.0.0.1', () => resolve(s));
  });
  applyServerTimeouts(server);
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    config,
    db,
    jwtSecret,
    databaseLog,
    services,
    runtime,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
      }
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = undefined;
      if (text && /json/.test(response.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
      return { status: response.status, headers: response.headers, body: parsed as any, text };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.close();
      await ownStore?.close();
      if (twin) return; // the twin's database client: closed with the twin
      if (url && !peer) await db.knex.raw('drop schema if exists ?? cascade', [schema]);
      await db.close();
    },
  };
}
