import { migrateSchema, MigrationLockError } from '../../src/data/migrate.js';
import { databaseFailure } from '../../src/startup/database-failure.js';
import { StartupError } from '../../src/startup/startup-error.js';
import { useTestApp } from '../support/test-app.js';

// Starts migrate the schema; what they meet when the deployment's migration Job, another pod or a
// newer version got there first (src/data/migrate.ts). Waiting on another process's migration needs
// two connections at once: PostgreSQL only.

const url = process.env.TEST_DATABASE_URL;
if (!url)
  process.stdout.write('\n\n*** migration lock wait tests NOT RUN: the embedded database has one connection; set TEST_DATABASE_URL to run them ***\n\n');

const app = useTestApp();
const schema = () => app.config.database.schema;

function capturedLog() {
  const lines: string[] = [];
  return { lines, log: { warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } };
}

test('when the schema has a migration newer than this version, then migrating applies nothing, says which, and the service keeps serving', async () => {
  await app.db.knex.withSchema(schema()).table('knex_migrations').insert({ name: '999_from_a_newer_version', batch: 99, migration_time: new Date() });
  try {
    const { lines, log } = capturedLog();

    await migrateSchema(app.db.knex, schema(), log);

    expect(lines).toEqual([expect.stringContaining('has migrations newer than this version (999_from_a_newer_version)')]);
    expect((await app.request('GET', '/v1/content?limit=1')).status).toBe(200);
  } finally {
    await app.db.knex.withSchema(schema()).table('knex_migrations').where({ name: '999_from_a_newer_version' }).delete();
  }
});

test('when the migration lock is marked taken with no migration running, then a start fails with one line naming the row and how to clear it', async () => {
  await app.db.knex.withSchema(schema()).table('knex_migrations_lock').update({ is_locked: 1 });
  try {
    const failure = await migrateSchema(app.db.knex, schema()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(MigrationLockError);
    expect((failure as Error).message).toContain(`update "${schema()}".knex_migrations_lock set is_locked = 0`);
    // what npm start prints: the message, as a start-up error (no stack)
    const printed = databaseFailure(failure, { url: undefined });
    expect(printed).toBeInstanceOf(StartupError);
    expect((printed as Error).message).toBe((failure as Error).message);
  } finally {
    await app.db.knex.withSchema(schema()).table('knex_migrations_lock').update({ is_locked: 0 });
  }
});

(url ? describe : describe.skip)('another process migrating', () => {
  /** Holds the lock row as a migrating process does: inside its open transaction. */
  async function holdLock() {
    const trx = await app.db.knex.transaction();
    await trx.withSchema(schema()).table('knex_migrations_lock').update({ is_locked: 1 });
    return trx;
  }

  test('when another process holds the migration lock, then a start waits, says so, and migrates once it is released', async () => {
    const holder = await holdLock();
    const { lines, log } = capturedLog();

    const migrating = migrateSchema(app.db.knex, schema(), log);
    let settled = false;
    migrating.then(
      () => (settled = true),
      () => (settled = true),
    );
    // released only once the start said it waits: it met the lock at least once
    while (!settled && !lines.some((l) => l.includes('another process is migrating it'))) await new Promise((r) => setTimeout(r, 50));
    await holder.rollback();
    await migrating;

    expect(lines).toEqual([
      expect.stringContaining('another process is migrating it; this start waits for it (up to 15 minutes)'),
      expect.stringContaining('the other migration ended'),
    ]);
  });

  test('when the lock stays held past the wait, then the start fails with one line saying what to look at', async () => {
    const holder = await holdLock();
    try {
      const failure = await migrateSchema(app.db.knex, schema(), undefined, 1000).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(MigrationLockError);
      expect((failure as Error).message).toMatch(/^Another process has been migrating schema ".+" for 1 s: see what holds its knex_migrations_lock row/);
    } finally {
      await holder.rollback();
    }
  });
});
