import type { Knex } from 'knex';

// Relevance's tier columns (the title-and-product part and that with the summary, columns 2 and 3
// of 010's index) back to the default statistics target. 010 set them to 1000 as 009 had set its
// own tier indexes; the bench never measured it, because its reseed dropped the setting with the
// indexes (fixed in bench/corpus/secondary-indexes.ts). Measured at 1M reviews on both terms seeds,
// 1000 made every tier statement slower to plan (0.90 against 0.62 ms, seed 7 1.16 against 0.81)
// and no faster to run; under the bench's load relevance made 196-234 req/s against 269-303, and
// with filters 165-194 against 234-251 (ADR 0039). search_vector keeps 009's 1000: at 100 a rare
// name and a common word are estimated alike, and filtered searches went from 2 to 18 ms.

export async function up(knex: Knex): Promise<void> {
  await knex.raw('set local statement_timeout = 0');
  await knex.raw('alter index reviews_search_facets_idx alter column 2 set statistics -1');
  await knex.raw('alter index reviews_search_facets_idx alter column 3 set statistics -1');
  // now, not at autovacuum's next pass: until then the tiers would be planned on the old statistics
  await knex.raw('analyze reviews');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('set local statement_timeout = 0');
  await knex.raw('alter index reviews_search_facets_idx alter column 2 set statistics 1000');
  await knex.raw('alter index reviews_search_facets_idx alter column 3 set statistics 1000');
  await knex.raw('analyze reviews');
}
