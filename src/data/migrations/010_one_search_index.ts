import type { Knex } from 'knex';
import * as plannerStatistics from './009_search_by_the_planner.js';

// One GIN index for every search: the whole document, its title-and-product part (weight A), that
// with the summary (A and B), and the filters brand, mount and editor (btree_gin's operator classes).
// A GIN index answers any subset of its columns in one scan, intersecting the posting lists inside
// the index, so a search with a filter reads only the rows that match both (ADR 0039).
//
// 009's three separate indexes left the planner to AND bitmaps: at 1M reviews it ANDed the 122
// matches of a rare name's A-and-B tier with the 254,000 cameras of the type index (45 ms, against
// 1 ms in one scan), and a common brand's 74,000 rows with a name's 4,500 (21 ms against 2).
// The product type is not a column: with two values, intersecting a term's postings with half the
// reviews' decoded each page of that half's posting tree (10 ms against 6 ms testing the type on the
// matches read anyway), so searches test it on the row (content-repository.ts).
//
// btree_gin is in PostgreSQL's contrib and trusted (a database owner may create it); PGlite loads it
// (src/data/embedded-pglite.ts). It goes in the public schema, once per database: an extension in an
// app schema would go with that schema, and the other schemas' indexes with it.

const SEARCH_INDEX = `create index if not exists reviews_search_facets_idx on reviews using gin (
  search_vector, ts_filter(search_vector, '{a}'), ts_filter(search_vector, '{a,b}'),
  lower(product_brand), lower(product_mount), editor_id)`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('set local statement_timeout = 0');
  // schemas migrating at once (one per test file) would race to create it: one at a time
  await knex.raw(`select pg_advisory_xact_lock(hashtext('create extension btree_gin'))`);
  await knex.raw('create extension if not exists btree_gin schema public');
  await knex.raw(SEARCH_INDEX);
  // the tiers' expressions, as 009 set them on their own indexes (012 sets them back: slower to plan, no better plans)
  await knex.raw('alter index reviews_search_facets_idx alter column 2 set statistics 1000');
  await knex.raw('alter index reviews_search_facets_idx alter column 3 set statistics 1000');
  await knex.raw('drop index if exists reviews_search_idx');
  await knex.raw('drop index if exists reviews_search_a_idx');
  await knex.raw('drop index if exists reviews_search_ab_idx');
  await knex.raw('analyze reviews');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('set local statement_timeout = 0');
  await knex.raw('create index if not exists reviews_search_idx on reviews using gin (search_vector)');
  // 009's A and A+B indexes, their statistics and the analyze after them
  await plannerStatistics.up(knex);
  await knex.raw('drop index if exists reviews_search_facets_idx');
  // btree_gin stays: other schemas of the database may index with it
}
