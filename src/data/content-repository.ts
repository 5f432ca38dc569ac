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
  relevance: { columns: ['rank', 'id'], direction: 'desc', casts: ['real', 'uuid'] }, // see listByRelevance
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

/**
 * Relevance ranks a bounded candidate set: the RELEVANCE_CANDIDATES newest matches. Ranking every
 * match of a common term (a quarter of a million rows at 1M reviews) takes seconds; the newest
 * thousand come off an index in milliseconds and are what a reader paging by relevance ever reaches.
 */
export const RELEVANCE_CANDIDATES = 1000;

export async function listPublished(
  db: Knex,
  filter: ContentFilter,
  sort: ContentSort,
  page: { after?: ContentKey; limit: number; publishedBefore?: string },
): Promise<PublishedRow[]> {
  const tsquery = filter.q ? db.raw(`websearch_to_tsquery('english', ?)`, [filter.q]) : undefined;
  if (sort === 'relevance' && tsquery) return listByRelevance(db, filter, tsquery, page);

  const spec = SORTS[sort];
  const query = selectReviews(db, false)
    .select(db.raw('r.published_at::text as published_key'), db.raw('null::real as rank'))
    .where('r.status', 'published')
    .limit(page.limit);
  applyContentFilter(query, filter, tsquery);
  const columns = spec.columns.map((c) => `r.${c}`);
  query.orderByRaw(columns.map((c) => `${c} ${spec.direction}`).join(', '));
  if (page.after) {
    const placeholders = spec.casts.map((cast) => `?::${cast}`).join(', ');
    query.whereRaw(`(${columns.join(', ')}) ${spec.direction === 'desc' ? '<' : '>'} (${placeholders})`, page.after);
  }
  return query;
}

async function listByRelevance(
  db: Knex,
  filter: ContentFilter,
  tsquery: Knex.Raw,
  page: { after?: ContentKey; limit: number; publishedBefore?: string },
): Promise<PublishedRow[]> {
  const candidates = db('reviews as r')
    .select('r.id', 'r.search_vector')
    .where('r.status', 'published')
    .orderBy([{ column: 'r.published_at', order: 'desc' }, { column: 'r.id', order: 'desc' }])
    .limit(RELEVANCE_CANDIDATES);
  if (filter.type || filter.brand || filter.mount) candidates.join('products as p', 'p.id', 'r.product_id');
  applyContentFilter(candidates, filter, tsquery);
  // later pages rank the same candidates as the first did, whatever was published since
  if (page.publishedBefore) candidates.whereRaw('r.published_at <= ?::timestamptz', [page.publishedBefore]);

  // ranked outside the LIMITed subquery, so ts_rank runs on the candidates only, not on every match
  const ranked = db.from(candidates.as('c')).select('c.id', db.raw('ts_rank(c.search_vector, ?) as rank', [tsquery]));
  const query = selectReviews(db, false)
    .join(ranked.as('k'), 'k.id', 'r.id')
    .select(db.raw('r.published_at::text as published_key'), 'k.rank')
    .orderByRaw('k.rank desc, r.id desc')
    .limit(page.limit);
  if (page.after) query.whereRaw('(k.rank, r.id) < (?::real, ?::uuid)', page.after);
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
