import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { migrationSource } from './migrations/index.js';
import type { DatabaseLog } from './postgres.js';

// Every start migrates, and so does the deployment's migration Job. Two cases where knex alone
// failed a start with a stack trace:
// - Another process was migrating the schema. knex waits on its lock row, which the pool's 1 s
//   lock_timeout cut short: during a 3-minute index build every instance that started or restarted
//   failed, and crash-looped until the build ended. Now a start waits for the other migration.
// - The schema had migrations this version does not know: a newer version's migration Job ran
//   (every rolling update, before the pods roll), or a rollout was undone. knex called the list of
//   migrations corrupt, so an old pod that restarted in between, or every pod of a rollback, failed.
//   A migration must keep the schema working for the version before it (add first, drop or rename a
//   release later: docs/design.md, Data model), so such a start serves the schema as it is.

/** A build of a search index at 1M reviews takes ~3 minutes, behind the lock; a start waits this long. */
const OTHER_MIGRATION_WAIT_MS = 15 * 60_000;
const RETRY_MS = 1000;

/** Why a start could not migrate, in a line an operator can act on; no stack. */
export class MigrationLockError extends Error {
  override name = 'MigrationLockError';
}

export async function migrateSchema(knex: Knex, schema: string, log?: DatabaseLog, waitMs = OTHER_MIGRATION_WAIT_MS): Promise<void> {
  const config: Knex.MigratorConfig = { migrationSource, schemaName: schema, disableMigrationsListValidation: true };
  const known = new Set(await migrationSource.getMigrations([]));
  const [completed] = (await knex.migrate.list(config)) as [{ name: string }[], unknown[]];
  const newer = completed.map((m) => m.name).filter((name) => !known.has(name));
  if (newer.length > 0) {
    log?.warn(`schema "${schema}" has migrations newer than this version (${newer.join(', ')}): serving it as it is, migrating nothing`);
    return;
  }
  const started = Date.now();
  let waiting = false;
  for (;;) {
    try {
      await knex.migrate.latest(config);
      if (waiting) log?.warn(`schema "${schema}": the other migration ended, and this start went on`);
      return;
    } catch (error) {
      const lock = lockState(error);
      if (lock === 'held' && Date.now() - started < waitMs) {
        if (!waiting) log?.warn(`schema "${schema}": another process is migrating it; this start waits for it (up to ${minutes(waitMs)})`);
        waiting = true;
        await sleep(RETRY_MS);
        continue;
      }
      if (lock === 'held') {
        throw new MigrationLockError(
          `Another process has been migrating schema "${schema}" for ${minutes(waitMs)}: see what holds its knex_migrations_lock row (pg_stat_activity), then start again.`,
        );
      }
      if (lock === 'set') {
        // our migrations run in one transaction, whose end frees the lock: this flag was committed by something else
        throw new MigrationLockError(
          `Schema "${schema}" is marked as being migrated (knex_migrations_lock.is_locked = 1) by no running migration: a migration run outside a transaction stopped half-way. Check the schema, then clear the mark: update "${schema}".knex_migrations_lock set is_locked = 0`,
        );
      }
      throw error;
    }
  }
}

/** knex's lock error, by its message: its lock row held by another transaction, or its flag left set. */
function lockState(error: unknown): 'held' | 'set' | undefined {
  if (!(error instanceof Error) || error.name !== 'MigrationLocked') return undefined;
  if (error.message.includes('lock timeout')) return 'held';
  if (error.message.includes('already locked')) return 'set';
  return undefined;
}

const minutes = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.round(ms / 1000)} s`);
