import type { Knex } from 'knex';
import * as publishedBrin from './003_published_brin.js';

// 003's BRIN index on published_at served search's 30-day windows (migration 007), which ADR 0027's
// week-by-week search and ADR 0038's planned statements replaced: no statement uses it since. The
// bench's load at 1M reviews left it at 0 scans (pg_stat_user_indexes), while every search planned
// weighed it beside the others: planning a search with a brand took 0.43-0.64 ms without it against
// 0.45-0.72 ms with it (one connection, means of 400 plans, three rounds, interleaved). A drop takes
// the table's lock for an instant, as 010's drops did.

export async function up(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists reviews_published_brin');
}

export async function down(knex: Knex): Promise<void> {
  await publishedBrin.up(knex);
}
