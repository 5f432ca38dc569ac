import type { Knex } from 'knex';

// Refresh tokens were never deleted: every sign-in and every rotation (an active editor's client
// refreshes about every 15 minutes) added a row for good. The auth service now deletes, a batch at a
// time, rows that expired a refresh lifetime ago (src/data/refresh-token-repository.ts); this index
// finds them without reading the table. The table is small: building it takes an instant.

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index if not exists refresh_tokens_expires_idx on refresh_tokens (expires_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists refresh_tokens_expires_idx');
}
