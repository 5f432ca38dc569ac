import type { Knex } from 'knex';

// Search's index path works window by window back in time (see content-repository): a BRIN index on
// published_at lets PostgreSQL AND a window with the GIN bitmap for a few kilobytes of index, since
// the table fills in publication order. A btree bitmap of a month of reviews cost 25 ms at 1M rows.

export async function up(knex: Knex): Promise<void> {
  await knex.raw('set local statement_timeout = 0');
  await knex.raw('create index if not exists reviews_published_brin on reviews using brin (published_at) with (pages_per_range = 32)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index reviews_published_brin');
}
