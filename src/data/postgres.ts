import knexFactory, { type Knex } from 'knex';
import type pg from 'pg';

// How this service opens a knex client on a PostgreSQL server: the primary and each read replica.

/** Where knex's own warnings go (pool errors, deprecations), and replica state changes: the service's JSON log. */
export type DatabaseLog = { info?(message: string): void; warn(message: string): void; error(message: string): void };

export type PostgresClientOptions = {
  url: string;
  schema: string;
  poolMax: number;
  /** Shows in pg_stat_activity, so an operator can tell the service's connections (and their role) apart. */
  applicationName: string;
  statementTimeoutMs: number;
  /** How long opening a TCP connection may take; unset: pg's default (no limit). */
  connectTimeoutMs?: number;
};

export function connectPostgres(options: PostgresClientOptions, log: DatabaseLog | undefined): Knex {
  return knexFactory({
    ...knexLog(log),
    client: 'pg',
    connection: {
      connectionString: options.url,
      application_name: options.applicationName,
      ...(options.connectTimeoutMs !== undefined && { connectionTimeoutMillis: options.connectTimeoutMs }),
    },
    searchPath: [options.schema],
    pool: {
      min: 0,
      max: options.poolMax,
      // a statement that hangs must not hold a pooled connection forever
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        conn.query(`set statement_timeout = ${Math.trunc(options.statementTimeoutMs)}`, (err) => done(err ?? null, conn));
      },
    },
    acquireConnectionTimeout: 5000,
  });
}

export function knexLog(log: DatabaseLog | undefined): Pick<Knex.Config, 'log'> {
  if (!log) return {};
  const text = (m: unknown) => (m instanceof Error ? m.message : String(m));
  return {
    log: {
      warn: (m: unknown) => log.warn(text(m)),
      error: (m: unknown) => log.error(text(m)),
      deprecate: (method: string, alternative: string) => log.warn(`knex: ${method} is deprecated, use ${alternative}`),
      debug: () => {},
    },
  };
}
