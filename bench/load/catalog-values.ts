import type { Knex } from 'knex';

/** The filter values that exist in the seeded catalog, in a fixed order so seeded draws repeat. */
export type CatalogValues = { types: string[]; brands: string[]; mounts: string[]; editors: string[] };

export async function readCatalogValues(knex: Knex): Promise<CatalogValues> {
  const types = (await knex('products').distinct('type').orderBy('type').pluck('type')) as string[];
  const brands = (await knex('products').distinct('brand').orderBy('brand').pluck('brand')) as string[];
  const mounts = (await knex('products').distinct('mount').whereNotNull('mount').orderBy('mount').pluck('mount')) as string[];
  // editors with published reviews: not the bench's own writer (load/editor-writes.ts), whose reviews it deletes
  const published = knex('reviews as r').select(knex.raw('1')).whereRaw("r.editor_id = e.id and r.status = 'published'");
  const editors = (await knex('editors as e').whereExists(published).orderBy('e.email').pluck('e.id')) as string[];
  return { types, brands, mounts, editors };
}
