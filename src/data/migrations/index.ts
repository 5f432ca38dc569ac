import type { Knex } from 'knex';
import * as initialSchema from './001_initial_schema.js';
import * as publicReadPath from './002_public_read_path.js';
import * as publishedBrin from './003_published_brin.js';
import * as reviewProductFacets from './004_review_product_facets.js';
import * as idempotencyKeys from './005_idempotency_keys.js';
import * as productsBrandIndex from './006_products_brand_index.js';
import * as searchTimeBuckets from './007_search_time_buckets.js';
import * as searchInOneCall from './008_search_in_one_call.js';
import * as searchByThePlanner from './009_search_by_the_planner.js';
import * as oneSearchIndex from './010_one_search_index.js';
import * as searchFiltersByWeek from './011_search_filters_by_week.js';
import * as tierStatisticsDefault from './012_tier_statistics_default.js';
import * as dropPublishedBrin from './013_drop_published_brin.js';
import * as searchIndexesWriteThrough from './014_search_indexes_write_through.js';
import * as refreshTokensExpiry from './015_refresh_tokens_expiry.js';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

// Listed explicitly (not read from a folder) so the same list works under tsx, the compiled
// dist/ build and jest, with no knexfile and no file-extension guessing.
const migrations: Record<string, Migration> = {
  '001_initial_schema': initialSchema,
  '002_public_read_path': publicReadPath,
  '003_published_brin': publishedBrin,
  '004_review_product_facets': reviewProductFacets,
  '005_idempotency_keys': idempotencyKeys,
  '006_products_brand_index': productsBrandIndex,
  '007_search_time_buckets': searchTimeBuckets,
  '008_search_in_one_call': searchInOneCall,
  '009_search_by_the_planner': searchByThePlanner,
  '010_one_search_index': oneSearchIndex,
  '011_search_filters_by_week': searchFiltersByWeek,
  '012_tier_statistics_default': tierStatisticsDefault,
  '013_drop_published_brin': dropPublishedBrin,
  '014_search_indexes_write_through': searchIndexesWriteThrough,
  '015_refresh_tokens_expiry': refreshTokensExpiry,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`Unknown migration ${name}`);
    return migration;
  },
};
