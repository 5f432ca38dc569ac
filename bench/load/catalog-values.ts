import type { Knex } from 'knex';

/** The filter values that exist in the seeded catalog, in a fixed order so seeded draws repeat. */
export type CatalogValues = { types: string[]; brands: string[]; mounts: string[]; editors: string[] };

export async function readCatalogValues(knex: Knex): Promise<CatalogValues> {
  const types = (await knex('products').distinct('type').orderBy('type').pluck('type')) as string[];
  const brands = (await knex('products').distinct('brand').orderBy('brand').pluck('brand')) as string[];
  const mounts = (await knex('products').distinct('mount').whereNotNull('mount').orderBy('mount').pluck('mount')) as string[];
  const editors = (await knex('editors').orderBy('email').pluck('id')) as string[];
  return { types, brands, mounts, editors };
}
