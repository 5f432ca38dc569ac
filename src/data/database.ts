import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';
import type { Config } from '../config.js';
import { lockDataDir } from './embedded-lock.js';
import { openPGlite } from './embedded-pglite.js';
import { migrateSchema } from './migrate.js';
import { connectPostgres, knexLog, type DatabaseLog } from './postgres.js';
import { guardWithCircuit, type CircuitStateName } from './circuit-breaker.js';
import { timePublicReads } from './public-read-timeout.js';
import { createReadPool, type ReadPool } from './read-pool.js';

export type { DatabaseLog } from './postgres.js';

// timestamptz as ISO strings would lose nothing, but Date keeps repositories honest about types.
// int8 (count(*)) arrives as a string from pg: parse it so both drivers return numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

const MIN_SERVER_VERSION = 150000;
/** A statement that hangs must not hold a pooled connection forever; public reads have their own, shorter limit. */
const STATEMENT_TIMEOUT_MS = 5000;

export type Database = {
  /** The primary: every write, and every read that must see the latest write (editors' own). */
  knex: Knex;
  /** Public reads: a caught-up read replica when one is configured and healthy, else the primary. */
  reads: ReadPool;
  kind: 'postgres' | 'embedded';
  migrate(): Promise<void>;
  ping(): Promise<boolean>;
  /** Each PostgreSQL server's circuit: `primary` and each replica by name; empty on the embedded database. */
  circuits(): Record<string, CircuitStateName>;
  close(): Promise<void>;
};

/**
 * pglite: the in-memory embedded database runs on this instance; tests pass one restored from a migrated
 * snapshot (PGlite's loadDataDir), which starts in ~1 s where initdb and the migrations take 5-10 s.
 */
export function createDatabase(db: Config['database'], log?: DatabaseLog, pglite?: PGlite): Database {
  const unlock = !db.url && db.dataDir !== 'memory://' ? lockDataDir(prepareDir(db.dataDir)) : () => {};
  const knex = db.url
    ? connectPostgres(
        {
          url: db.url,
          schema: db.schema,
          poolMax: db.poolMax,
          applicationName: 'randomcamerareviews-api',
          statementTimeoutMs: STATEMENT_TIMEOUT_MS,
          lockTimeoutMs: db.lockTimeoutMs,
          connectTimeoutMs: 3000,
        },
        log,
      )
    : connectEmbedded(db, log, pglite);
  if (db.url) timePublicReads(knex, db.readTimeoutMs, STATEMENT_TIMEOUT_MS);
  const primaryCircuit = db.url ? guardWithCircuit('primary', knex, (state) => log?.warn(`primary database circuit ${state}`)) : undefined;
  const reads = createReadPool(knex, db.url ? db.replicaUrls : [], {
    schema: db.schema,
    poolMax: db.poolMax,
    lockTimeoutMs: db.lockTimeoutMs,
    readTimeoutMs: db.readTimeoutMs,
    log,
  });
  return {
    knex,
    reads,
    kind: db.url ? 'postgres' : 'embedded',
    async migrate() {
      const { rows } = await knex.raw<{ rows: { version: number }[] }>(`select current_setting('server_version_num')::int as version`);
      const version = rows[0]?.version ?? 0;
      if (version < MIN_SERVER_VERSION) {
        throw new Error(`PostgreSQL ${Math.floor(version / 10000)} is too old: this service needs PostgreSQL 15 or newer.`);
      }
      await knex.raw('create schema if not exists ??', [db.schema]);
      await migrateSchema(knex, db.schema, log);
      // no replica serves a read before it has the schema (and rows) this start just wrote
      await reads.noteWriteFromPrimary();
    },
    async ping() {
      try {
        await knex.raw('select 1');
        return true;
      } catch {
        return false;
      }
    },
    circuits() {
      const circuits: Record<string, CircuitStateName> = primaryCircuit ? { primary: primaryCircuit.state() } : {};
      for (const replica of reads.status().replicas) if (replica.circuit) circuits[replica.name] = replica.circuit;
      return circuits;
    },
    async close() {
      await reads.close();
      await knex.destroy();
      unlock();
    },
  };
}

function connectEmbedded(db: Config['database'], log: DatabaseLog | undefined, pglite: PGlite | undefined): Knex {
  const inMemory = db.dataDir === 'memory://';
  if (pglite && !inMemory) throw new Error('A PGlite instance of its own is for DATA_DIR=memory:// only');
  return knexFactory({
    ...knexLog(log),
    client: ClientPgLite,
    dialect: 'postgres',
    // knex-pglite would open PGlite without the extensions the migrations create: it gets one ready
    connection: pgliteConnection(pglite ?? openPGlite(inMemory ? undefined : path.resolve(db.dataDir, 'pglite'))),
    searchPath: [db.schema],
  });
}

/** knex-pglite accepts a ready PGlite instance as connection.pglite, a key knex's connection types do not know. */
function pgliteConnection(pglite: PGlite): Knex.StaticConnectionConfig {
  return { pglite } as Knex.StaticConnectionConfig;
}

function prepareDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
