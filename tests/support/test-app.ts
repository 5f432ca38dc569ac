import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { createApp, createServices } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createDatabase, type Database } from '../../src/data/database.js';
import type { Services } from '../../src/handlers/services.js';

// The real app, in-process on an ephemeral port, against a real migrated PostgreSQL:
// TEST_DATABASE_URL's server (a schema of its own per test file) or the embedded one.

export type HttpResult<T = any> = { status: number; headers: Headers; body: T; text: string };
export type RequestOptions = { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> };

export type TestApp = {
  baseUrl: string;
  config: Config;
  db: Database;
  services: Services;
  jwtSecret: string;
  /** What the database layer logged (knex warnings, replicas going down and up), for tests to assert on. */
  databaseLog: string[];
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  close(): Promise<void>;
};

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const url = process.env.TEST_DATABASE_URL;
  const schema = url ? `test_${process.pid}_${randomBytes(4).toString('hex')}` : 'public';
  const jwtSecret = randomBytes(32).toString('hex');
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: 'memory://',
    DATABASE_SCHEMA: schema,
    JWT_SECRET: jwtSecret,
    ...(url && { DATABASE_URL: url }),
    ...env,
  });
  const databaseLog: string[] = [];
  const record = (level: string) => (message: string) => void databaseLog.push(`${level}: ${message}`);
  const db = createDatabase(config.database, { info: record('info'), warn: record('warn'), error: record('error') });
  await db.migrate();
  const services = createServices(db, config, jwtSecret);
  const app = createApp({ config, db, services, logger: pino({ level: 'silent' }), jwtSecret });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    config,
    db,
    jwtSecret,
    databaseLog,
    services,
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
      if (url) await db.knex.raw('drop schema if exists ?? cascade', [schema]);
      await db.close();
    },
  };
}
