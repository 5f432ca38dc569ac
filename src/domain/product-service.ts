import type { Knex } from 'knex';
import { AppError, notFound } from '../errors.js';
import {
  findProductById,
  insertProduct,
  listProducts,
  type ProductFilter,
  type ProductRow,
  type ProductSpecs,
  type ProductType,
} from '../data/product-repository.js';
import { listLatestPublishedOfProduct, type ContentItemRow } from '../data/content-repository.js';
import type { ReadPool } from '../data/read-pool.js';
import type { ContentChanges } from './content-changes.js';
import { decodeCursor } from './cursor.js';
import { pageFetchSize, toPage } from './page.js';
import type { Principal } from './principal.js';

export type NewProductInput = {
  type: ProductType;
  brand: string;
  model: string;
  mount?: string | null;
  released_year?: number | null;
  specs?: ProductSpecs;
};

const LISTING = 'products';
const LATEST_REVIEWS = 10;

/** `db` (the primary) for the catalog's writes; `reads` for the public reads; `changes` hears what readers will see. */
export function createProductService(db: Knex, reads: ReadPool, changes: ContentChanges) {
  return {
    async list(filter: ProductFilter, cursor: string | undefined, limit: number) {
      const after = cursor ? decodeCursor(LISTING, cursor, ['string', 'string', 'uuid']) : undefined;
      const rows = await reads.read((replica) =>
        listProducts(replica, filter, {
          after: after ? { brand: String(after[0]), model: String(after[1]), id: String(after[2]) } : undefined,
          limit: pageFetchSize(limit),
        }),
      );
      return toPage(rows, limit, LISTING, (r) => [r.brand, r.model, r.id]);
    },

    async get(id: string): Promise<{ product: ProductRow; latestReviews: ContentItemRow[] }> {
      // one read, so both queries run on the same server: never a fresh product with a lagging replica's reviews
      const found = await reads.read(async (replica) => {
        const product = await findProductById(replica, id);
        return product && { product, latestReviews: await listLatestPublishedOfProduct(replica, id, LATEST_REVIEWS) };
      });
      if (!found) throw notFound('product');
      return found;
    },

    async create(principal: Principal, input: NewProductInput): Promise<ProductRow> {
      const id = await insertProduct(db, {
        type: input.type,
        brand: input.brand,
        model: input.model,
        mount: input.mount ?? null,
        released_year: input.released_year ?? null,
        specs: input.specs ?? {},
        created_by: principal.id,
      });
      if (!id) throw new AppError('already_exists', 409, 'This brand and model is already in the catalog.');
      await changes.published();
      return (await findProductById(db, id)) as ProductRow;
    },
  };
}

export type ProductService = ReturnType<typeof createProductService>;
