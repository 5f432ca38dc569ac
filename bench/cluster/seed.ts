import { measureSearchTerms } from '../corpus/search-terms.js';
import { ensureCorpus } from '../corpus/seed-corpus.js';
import { openSeedingConnection } from '../corpus/seeding-connection.js';
import { DEFAULT_TERMS_SEED } from '../corpus/term-bands.js';
import { readCatalogValues } from '../load/catalog-values.js';
import { buildRequestPools } from '../load/request-pools.js';
import { buildSearchPools } from '../load/search-pools.js';

// The bench's own corpus generator at a small size, then the URLs the load reads: the bench's
// content pools (lists and their later pages, slugs, searches, comparisons) and the catalog.

const SIZE = { reviews: 3000, products: 300, editors: 20 };

export async function seedCluster(primaryUrl: string, log: (line: string) => void) {
  const knex = openSeedingConnection(primaryUrl, 'public', 3);
  try {
    const { marker } = await ensureCorpus(knex, { ...SIZE, reseed: true, jobs: 2, log: (line) => log(`  seed ${line.trim()}`) });
    const products = (await knex('products').select('id', 'type', 'brand', 'mount').orderBy('id').limit(120)) as {
      id: string;
      type: string;
      brand: string;
      mount: string | null;
    }[];
    return {
      async requestPools(baseUrl: string) {
        const knexAgain = openSeedingConnection(primaryUrl, 'public', 2);
        try {
          const terms = await measureSearchTerms(knexAgain, marker.published, DEFAULT_TERMS_SEED);
          const catalog = await readCatalogValues(knexAgain);
          const searches = buildSearchPools(terms, catalog, DEFAULT_TERMS_SEED);
          const pools = await buildRequestPools(knexAgain, baseUrl, catalog, searches, marker.published);
          const contentUrls = [...pools.list, ...pools.slugs, ...pools.searchNewest, ...pools.searchRelevance, ...pools.compare];
          const productUrls = [
            ...products.map((p) => `/v1/products/${p.id}`),
            ...[...new Set(products.map((p) => p.brand))].map((brand) => `/v1/products?${new URLSearchParams({ brand })}`),
            ...[...new Set(products.flatMap((p) => (p.mount ? [p.mount] : [])))].map((mount) => `/v1/products?${new URLSearchParams({ type: 'lens', mount })}`),
            '/v1/products?type=camera',
            '/v1/products?type=lens',
          ];
          return { contentUrls, productUrls, productIds: products.map((p) => p.id) };
        } finally {
          await knexAgain.destroy();
        }
      },
    };
  } finally {
    await knex.destroy();
  }
}
