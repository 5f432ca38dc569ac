import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';
import type { Config } from '../config.js';
import { lockDataDir } from './embedded-lock.js';
import { migrationSource } from './migrations/index.js';

// timestamptz as ISO strings would lose nothing, but Date keeps repositories honest about types.
// int8 (count(*)) arrives as a string from pg: parse it so both drivers return numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

const MIN_SERVER_VERSION = 150000;

export type Database = {
  knex: Knex;
  kind: 'postgres' | 'embedded';
  migrate(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
};

/** Where knex's own warnings go (pool errors, deprecations): the service's JSON log, not the console. */
export type DatabaseLog = { warn(message: string): void; error(message: string): void };

export function createDatabase(db: Config['database'], log?: DatabaseLog): Database {
  const unlock = !db.url && db.dataDir !== 'memory://' ? lockDataDir(prepareDir(db.dataDir)) : () => {};
  const knex = db.url ? connectPostgres(db, log) : connectEmbedded(db, log);
  return {
    knex,
    kind: db.url ? 'postgres' : 'embedded',
    async migrate() {
      const { rows } = await knex.raw<{ rows: { version: number }[] }>(`select current_setting('server_version_num')::int as version`);
      const version = rows[0]?.version ?? 0;
      if (version < MIN_SERVER_VERSION) {
        throw new Error(`PostgreSQL ${Math.floor(version / 10000)} is too old: this service needs PostgreSQL 15 or newer.`);
      }
      await knex.raw('create schema if not exists ??', [db.schema]);
      await knex.migrate.latest({ migrationSource, schemaName: db.schema });
    },
    async ping() {
      try {
        await knex.raw('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await knex.destroy();
      unlock();
    },
  };
}

function connectPostgres(db: Config['database'], log: DatabaseLog | undefined): Knex {
  return knexFactory({
    ...knexLog(log),
    client: 'pg',
    connection: { connectionString: db.url, application_name: 'randomcamerareviews-api' },
    searchPath: [db.schema],
    pool: {
      min: 0,
      max: db.poolMax,
      // a statement that hangs must not hold a pooled connection forever
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        conn.query('set statement_timeout = 5000', (err) => done(err ?? null, conn));
      },
    },
    acquireConnectionTimeout: 5000,
  });
}

function connectEmbedded(db: Config['database'], log: DatabaseLog | undefined): Knex {
  const inMemory = db.dataDir === 'memory://';
  return knexFactory({
    ...knexLog(log),
    client: ClientPgLite,
    dialect: 'postgres',
    connection: inMemory ? {} : { filename: path.resolve(db.dataDir, 'pglite') },
    searchPath: [db.schema],
  });
}

function prepareDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function knexLog(log: DatabaseLog | undefined): Pick<Knex.Config, 'log'> {
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
