import type { Knex } from 'knex';
import type { components } from '../../generated/reviews.js';
import { fixedLimit, preparedRows } from './prepared.js';

// the contract's names for what the columns hold (their CHECK constraints say the same)
export type ProductType = components['schemas']['ProductType'];
export type ProductSpecs = Record<string, string | number | boolean>;

/** The contract's product as stored: no derived name, its creation time as pg parses it. */
export type ProductRow = Omit<components['schemas']['Product'], 'name' | 'specs' | 'created_at' | 'average_verdict'> & {
  specs: ProductSpecs;
  created_at: Date;
  average_verdict: number | null;
};

export type NewProduct = Pick<ProductRow, 'type' | 'brand' | 'model' | 'mount' | 'released_year' | 'specs'> & {
  created_by: string | null;
};

export type ProductFilter = { type?: ProductType; brand?: string; mount?: string; q?: string };
export type ProductKey = { brand: string; model: string; id: string };

// Review statistics are computed per page (≤ 100 products, each an index range scan),
// not stored, so they can never drift from the reviews themselves.
function selectProducts(db: Knex) {
  return db('products as p').select(
    'p.id',
    'p.type',
    'p.brand',
    'p.model',
    'p.mount',
    'p.released_year',
    'p.specs',
    'p.created_at',
    db.raw(`(select count(*)::int from reviews r where r.product_id = p.id and r.status = 'published') as review_count`),
    db.raw(`(select round(avg(r.verdict_score)::numeric, 1)::float8 from reviews r where r.product_id = p.id and r.status = 'published') as average_verdict`),
  );
}

export async function listProducts(db: Knex, filter: ProductFilter, page: { after?: ProductKey; limit: number }): Promise<ProductRow[]> {
  const query = fixedLimit(selectProducts(db).orderByRaw('lower(p.brand), lower(p.model), p.id'), page.limit);
  if (filter.type) query.where('p.type', filter.type);
  if (filter.brand) query.whereRaw('lower(p.brand) = lower(?)', [filter.brand]);
  if (filter.mount) query.whereRaw('lower(p.mount) = lower(?)', [filter.mount]);
  if (filter.q) {
    const like = `%${escapeLike(filter.q)}%`;
    query.where((w) => {
      w.whereILike('p.brand', like).orWhereILike('p.model', like).orWhereRaw(`p.brand || ' ' || p.model ilike ?`, [like]);
    });
  }
  if (page.after) {
    query.whereRaw('(lower(p.brand), lower(p.model), p.id) > (lower(?), lower(?), ?::uuid)', [page.after.brand, page.after.model, page.after.id]);
  }
  return preparedRows<ProductRow>(db, query);
}

export async function findProductById(db: Knex, id: string): Promise<ProductRow | undefined> {
  const [row] = await preparedRows<ProductRow>(db, fixedLimit(selectProducts(db).where('p.id', id), 1));
  return row;
}

/** Inserts, or returns undefined when brand + model already exists (case-insensitive). */
export async function insertProduct(db: Knex, product: NewProduct): Promise<string | undefined> {
  const result = await db.raw<{ rows: { id: string }[] }>(
    `insert into products (type, brand, model, mount, released_year, specs, created_by)
     values (?, ?, ?, ?, ?, ?::jsonb, ?)
     on conflict ((lower(brand)), (lower(model))) do nothing
     returning id`,
    [product.type, product.brand, product.model, product.mount, product.released_year, JSON.stringify(product.specs), product.created_by],
  );
  return result.rows[0]?.id;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
