import type { Knex } from 'knex';

// Searches with filters, and relevance, become ordinary statements planned for their values
// (content-repository.ts): PostgreSQL gets the statistics to choose between walking an order's
// index and reading a term's matches off the GIN index (ADR 0038).
//
// - search_vector's statistics target 1000: ANALYZE then keeps the 10,000 most common lexemes (down
//   to ~0.1% of reviews at 1M) instead of 1,000 (~1%). A term outside the list is estimated below
//   its floor, so a rare name goes to the GIN index and a common word to the walk of the order.
//   At 100 every word under ~1% was estimated alike: a name in 0.1% of reviews walked 16,000 rows.
// - Statistics on lower(product_brand) and lower(product_mount), the forms the filters compare:
//   the expression indexes of 004 are partial, and the planner reads no statistics off a partial
//   index, so it took every brand for 0.5% of rows (Canon is 12%) and ANDed a 120,000-row bitmap.
// - GIN indexes of the title-and-product part (weight A) and of that with the summary (A and B),
//   the expressions relevance's tiers test: a tier is found off its own short posting lists instead
//   of rechecking every match of the query. Not partial, so the planner reads their statistics
//   (it ignores a partial index's). 34 and 71 MB at 1M reviews, built in 8 and 14 s.

export async function up(knex: Knex): Promise<void> {
  await knex.raw('set local statement_timeout = 0');
  await knex.raw('alter table reviews alter column search_vector set statistics 1000');
  await knex.raw('create statistics if not exists reviews_brand_lower_stats on (lower(product_brand)) from reviews');
  await knex.raw('create statistics if not exists reviews_mount_lower_stats on (lower(product_mount)) from reviews');
  await knex.raw(`create index if not exists reviews_search_a_idx on reviews using gin (ts_filter(search_vector, '{a}'))`);
  await knex.raw(`create index if not exists reviews_search_ab_idx on reviews using gin (ts_filter(search_vector, '{a,b}'))`);
  await knex.raw('alter index reviews_search_a_idx alter column 1 set statistics 1000');
  await knex.raw('alter index reviews_search_ab_idx alter column 1 set statistics 1000');
  // now, not at autovacuum's next pass: until then searches would be planned on the old statistics
  await knex.raw('analyze reviews');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists reviews_search_ab_idx');
  await knex.raw('drop index if exists reviews_search_a_idx');
  await knex.raw('drop statistics if exists reviews_mount_lower_stats');
  await knex.raw('drop statistics if exists reviews_brand_lower_stats');
  await knex.raw('alter table reviews alter column search_vector set statistics -1');
}
