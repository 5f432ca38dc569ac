import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createDatabase } from '../../src/data/database.js';
import { signAccessToken } from '../../src/domain/access-tokens.js';
import { startRuntime } from '../../src/runtime.js';
import { withContractCoverage } from './contract-coverage.js';
import type { HttpResult, RequestOptions } from './test-app.js';

// The real app whose PostgreSQL does not answer (nothing listens on its port): a database that is
// down, as the load balancer and the clients would meet it. No schema, so no data: tests that need
// a token get one signed with the app's key, for an editor the database would have to look up.

export type UnreachableDatabaseApp = {
  baseUrl: string;
  /** An access token the app accepts as far as the signature goes (its editor cannot be looked up). */
  token(role?: 'editor' | 'admin'): string;
  request(method: string, path: string, options?: RequestOptions): Promise<HttpResult>;
  close(): Promise<void>;
};

/** `logger`: the app's (default: silent). */
export async function startAppWithUnreachableDatabase(logger: Logger = pino({ level: 'silent' })): Promise<UnreachableDatabaseApp> {
  const jwtSecret = randomBytes(32).toString('hex');
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    JWT_SECRET: jwtSecret,
    READ_CACHE_TTL_SECONDS: '0', // no change feed to wait for
    SHED_EVENT_LOOP_DELAY_MS: '0', // its 503s are the database's, not a lagging test machine's
  });
  const quiet = { warn: () => {}, error: () => {} }; // the refused connections are the point
  const db = createDatabase(config.database, quiet);
  const runtime = await startRuntime({ config, db, logger, jwtSecret });
  const server = await new Promise<Server>((resolve) => {
    const s = createServer(withContractCoverage(runtime.handle)).listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settings = { secret: jwtSecret, issuer: config.jwt.issuer, audience: config.jwt.audience, ttlSeconds: config.jwt.accessTtlSeconds };

  return {
    baseUrl,
    token: (role = 'editor') => signAccessToken(settings, { id: randomUUID(), role }),
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const body = options.body === undefined ? options.rawBody : JSON.stringify(options.body);
      if (options.body !== undefined) headers['content-type'] ??= method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await response.text();
      const parsed: unknown = text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined;
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.close();
      await db.close();
    },
  };
}
