import type { Knex } from 'knex';
import { isUuid } from '../ids.js';
import type { ProductSpecs, ProductType } from './product-repository.js';
import { selectReviews, type ReviewRow } from './review-repository.js';

// The public side of reviews: only published rows, keyset-paginated in four orders, searchable.

/** Keyset columns are read as text so cursors keep PostgreSQL's microseconds exactly. */
export type PublishedRow = ReviewRow & { published_at: Date; published_key: string; rank: number | null };

export type ContentFilter = {
  q?: string;
  type?: ProductType;
  brand?: string;
  mount?: string;
  editorId?: string;
  verdictMin?: number;
  verdictMax?: number;
};
export type ContentSort = 'newest' | 'oldest' | 'relevance' | 'verdict';
export type ContentKey = (string | number)[];

const SORTS: Record<ContentSort, { columns: string[]; direction: 'asc' | 'desc'; casts: string[] }> = {
  newest: { columns: ['published_at', 'id'], direction: 'desc', casts: ['timestamptz', 'uuid'] },
  oldest: { columns: ['published_at', 'id'], direction: 'asc', casts: ['timestamptz', 'uuid'] },
  verdict: { columns: ['verdict_score', 'published_at', 'id'], direction: 'desc', casts: ['float8', 'timestamptz', 'uuid'] },
  relevance: { columns: ['rank', 'id'], direction: 'desc', casts: ['real', 'uuid'] },
};

export function contentKeyOf(row: PublishedRow, sort: ContentSort): ContentKey {
  switch (sort) {
    case 'newest':
    case 'oldest':
      return [row.published_key, row.id];
    case 'verdict':
      return [row.verdict_score, row.published_key, row.id];
    case 'relevance':
      return [row.rank ?? 0, row.id];
  }
}

export async function listPublished(
  db: Knex,
  filter: ContentFilter,
  sort: ContentSort,
  page: { after?: ContentKey; limit: number },
): Promise<PublishedRow[]> {
  const spec = SORTS[sort];
  const tsquery = filter.q ? db.raw(`websearch_to_tsquery('english', ?)`, [filter.q]) : undefined;
  const rankSql = tsquery ? db.raw('ts_rank(r.search_vector, ?)', [tsquery]) : db.raw('null::real');
  const inner = selectReviews(db, false)
    .select(db.raw('r.published_at::text as published_key'), db.raw('? as rank', [rankSql]))
    .where('r.status', 'published');
  applyContentFilter(inner, filter, tsquery);

  // The rank is an output column, so the keyset and order apply to the filtered subquery.
  const query = db.select('*').from(inner.as('c')).limit(page.limit);
  const outer = spec.columns.map((c) => `c.${c}`);
  query.orderByRaw(outer.map((c) => `${c} ${spec.direction}`).join(', '));
  if (page.after) {
    const placeholders = spec.casts.map((cast) => `?::${cast}`).join(', ');
    const op = spec.direction === 'desc' ? '<' : '>';
    query.whereRaw(`(${outer.join(', ')}) ${op} (${placeholders})`, page.after);
  }
  return query;
}

function applyContentFilter(query: Knex.QueryBuilder, filter: ContentFilter, tsquery: Knex.Raw | undefined): void {
  if (tsquery) query.whereRaw('r.search_vector @@ ?', [tsquery]);
  if (filter.type) query.where('p.type', filter.type);
  if (filter.brand) query.whereRaw('lower(p.brand) = lower(?)', [filter.brand]);
  if (filter.mount) query.whereRaw('lower(p.mount) = lower(?)', [filter.mount]);
  if (filter.editorId) query.where('r.editor_id', filter.editorId);
  if (filter.verdictMin !== undefined) query.where('r.verdict_score', '>=', filter.verdictMin);
  if (filter.verdictMax !== undefined) query.where('r.verdict_score', '<=', filter.verdictMax);
}

/** A published review by id or slug, with its body. */
export async function findPublished(db: Knex, idOrSlug: string): Promise<ReviewRow | undefined> {
  const query = selectReviews(db, true).where('r.status', 'published');
  if (isUuid(idOrSlug)) query.where((w) => w.where('r.id', idOrSlug).orWhere('r.slug', idOrSlug));
  else query.where('r.slug', idOrSlug);
  return query.first();
}

/** Published reviews named by id or slug, in one query, each with its product's specs (for comparisons). */
export async function findPublishedMany(db: Knex, idsOrSlugs: string[]): Promise<(ReviewRow & { product_specs: ProductSpecs })[]> {
  const ids = idsOrSlugs.filter(isUuid);
  return selectReviews(db, false)
    .select('p.specs as product_specs')
    .where('r.status', 'published')
    .where((w) => w.whereIn('r.slug', idsOrSlugs).orWhereIn('r.id', ids));
}

export async function listLatestPublishedOfProduct(db: Knex, productId: string, limit: number): Promise<ReviewRow[]> {
  return selectReviews(db, false)
    .where({ 'r.product_id': productId, 'r.status': 'published' })
    .orderBy([{ column: 'r.published_at', order: 'desc' }, { column: 'r.id', order: 'desc' }])
    .limit(limit);
}
