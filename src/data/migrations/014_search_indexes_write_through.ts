import type { Knex } from 'knex';

// The search GIN indexes (010's and the weeks index of 008 and 011) take each write's entries at
// once, not into a pending list (fastupdate off; ADR 0043). With PostgreSQL's default, a written
// review's entries wait in the index's pending list, which every search reads through until the list
// passes gin_pending_list_limit (4 MB) and the write that passes it merges it all. At 1M reviews,
// 4,000 single-review edits in a row: every ~1,000th took 330-540 ms (the 500 ms write budget), and
// with 1,000 edits pending searches took 1.4-2 times as long. Written through, an edit costs 3.1-3.3 ms
// instead of 1.1-1.5 (max 7 ms) and searches read only the index.

const INDEXES = ['reviews_search_facets_idx', 'reviews_search_weeks_idx'];

export async function up(knex: Knex): Promise<void> {
  await knex.raw('set local statement_timeout = 0');
  for (const index of INDEXES) {
    // merged before the ALTER, whose lock on the index (held to the commit) would stop every search
    // planned on reviews; the second merge has only what was written in between
    await knex.raw('select gin_clean_pending_list(?::regclass)', [index]);
    await knex.raw(`alter index ${index} set (fastupdate = off)`);
    await knex.raw('select gin_clean_pending_list(?::regclass)', [index]);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const index of INDEXES) await knex.raw(`alter index ${index} reset (fastupdate)`);
}
