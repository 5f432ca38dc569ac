import type { Knex } from 'knex';

// Brand filters compare lower(brand): the catalog check of a list filtered by brand and type
// ("is there any such product?", content-repository's someProductMatches) and the products list by
// brand. The unique (brand, model) index cannot serve lower(brand), so each check read the whole
// catalog: 1.3 ms at 5,000 products, on about a fifth of uncached list requests in the bench mix.
// mount already has its lower(mount) index (001).

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index if not exists products_brand_idx on products (lower(brand))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index products_brand_idx');
}
