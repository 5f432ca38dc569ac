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
  /** lock_timeout; default: the statement timeout. */
  lockTimeoutMs?: number;
  /** How long opening a TCP connection may take; unset: pg's default (no limit). */
  connectTimeoutMs?: number;
};

/**
 * - statement_timeout: a statement that hangs must not hold a pooled connection forever.
 * - lock_timeout: a table locked by a migration (or by hand) is a fault to fail fast on, not a queue
 *   to wait in; the lanes then shed the rest (src/http/bulkhead.ts). Migrations meet it too, as
 *   zero-downtime migrations should: a migration that cannot get its lock fails and is retried,
 *   rather than queueing every request behind it. DATABASE_LOCK_TIMEOUT_MS (1 s) is longer than any
 *   healthy wait for a row another transaction holds (they last milliseconds).
 * - jit off, no parallel workers: every statement here reads a page or two of rows, many at once.
 *   When the planner overestimates one (a search window's rows are a guess until it runs), JIT
 *   compiled it for 15-50 ms and parallel workers took 2-8 ms to start, for a query of about 1 ms.
 * - random_page_cost 1.1, the usual setting for SSDs and data held in memory (PostgreSQL's default
 *   of 4 prices a spinning disk's seek): at 4 the planner walked the newest reviews for a search
 *   it expected in 0.2% of them, and a phrase found once read all 1M (1.4 s); at 1.1 it reads the
 *   index's 2,000 candidates (31 ms). The bench's searches kept their times (ADR 0042).
 */
const SESSION_SETTINGS = (statementTimeoutMs: number, lockTimeoutMs: number) =>
  `set statement_timeout = ${Math.trunc(statementTimeoutMs)}; set lock_timeout = ${Math.trunc(lockTimeoutMs)}; set jit = off; set max_parallel_workers_per_gather = 0; set random_page_cost = 1.1`;

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
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        conn.query(SESSION_SETTINGS(options.statementTimeoutMs, options.lockTimeoutMs ?? options.statementTimeoutMs), (err) => done(err ?? null, conn));
      },
    },
    acquireConnectionTimeout: 5000,
  });
}

const KNEX_LOCK_ADVICE = /^(Can't take lock to run migrations|If you are sure migrations are not running)/;

export function knexLog(log: DatabaseLog | undefined): Pick<Knex.Config, 'log'> {
  if (!log) return {};
  // knex embeds the driver error's stack in some messages ("Acquire connection error: Error: …\n    at …"): one line is enough
  const text = (m: unknown) => (m instanceof Error ? m.message : String(m)).replace(/\n\s+at [^\n]*/g, '');
  return {
    log: {
      // knex's own advice on a migration lock ("run knex migrate:unlock") is wrong here: migrate.ts says what to do
      warn: (m: unknown) => void (KNEX_LOCK_ADVICE.test(text(m)) || log.warn(text(m))),
      error: (m: unknown) => log.error(text(m)),
      deprecate: (method: string, alternative: string) => log.warn(`knex: ${method} is deprecated, use ${alternative}`),
      debug: () => {},
    },
  };
}
