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

/**
 * Newest-first search looks back in widening windows (days before the page's upper bound). One
 * query over every match costs a heap fetch per match — thousands for a mid-frequency term — before
 * the first 21 can be picked; inside a window PostgreSQL either walks the published_at index and
 * stops at the page's last match (common terms) or intersects the GIN and published_at bitmaps and
 * fetches only that window's matches (rare ones).
 */
const SEARCH_WINDOWS_DAYS = [31, 183, 731, null] as const;

type Page = { after?: ContentKey; limit: number; publishedBefore?: string };

export async function listPublished(db: Knex, filter: ContentFilter, sort: ContentSort, page: Page): Promise<PublishedRow[]> {
  const tsquery = filter.q ? db.raw(`websearch_to_tsquery('english', ?)`, [filter.q]) : undefined;
  if (sort === 'relevance' && tsquery) return listByRelevance(db, filter, tsquery, page);
  if (sort === 'newest' && tsquery) {
    const found = await newestMatches(db, filter, tsquery, page, () => selectPublished(db));
    return found as PublishedRow[];
  }

  const spec = SORTS[sort];
  const query = selectPublished(db).limit(page.limit);
  applyContentFilter(query, filter, tsquery);
  const columns = spec.columns.map((c) => `r.${c}`);
  query.orderByRaw(columns.map((c) => `${c} ${spec.direction}`).join(', '));
  if (page.after) {
    const placeholders = spec.casts.map((cast) => `?::${cast}`).join(', ');
    query.whereRaw(`(${columns.join(', ')}) ${spec.direction === 'desc' ? '<' : '>'} (${placeholders})`, page.after);
  }
  return query;
}

function selectPublished(db: Knex) {
  return selectReviews(db, false)
    .select(db.raw('r.published_at::text as published_key'), db.raw('null::real as rank'))
    .where('r.status', 'published');
}

/** Matches of filter.q, newest first, after the page's cursor, window by window until the page is full. */
async function newestMatches<Row extends { published_key: string }>(
  db: Knex,
  filter: ContentFilter,
  tsquery: Knex.Raw,
  page: Page,
  select: () => Knex.QueryBuilder,
): Promise<Row[]> {
  const anchor = page.after ? String(page.after[0]) : (page.publishedBefore ?? new Date().toISOString());
  const rows: Row[] = [];
  let newerBound: number | null = null; // days back where the previous window ended
  for (const days of SEARCH_WINDOWS_DAYS) {
    const query = select()
      .orderBy([{ column: 'r.published_at', order: 'desc' }, { column: 'r.id', order: 'desc' }])
      .limit(page.limit - rows.length);
    applyContentFilter(query, filter, tsquery);
    if (newerBound !== null) query.whereRaw(`r.published_at < ?::timestamptz - make_interval(days => ?)`, [anchor, newerBound]);
    else if (page.after) query.whereRaw('(r.published_at, r.id) < (?::timestamptz, ?::uuid)', page.after);
    else if (page.publishedBefore) query.whereRaw('r.published_at <= ?::timestamptz', [page.publishedBefore]);
    if (days !== null) query.whereRaw(`r.published_at >= ?::timestamptz - make_interval(days => ?)`, [anchor, days]);
    rows.push(...((await query) as Row[]));
    if (rows.length >= page.limit) break;
    newerBound = days;
  }
  return rows;
}

async function listByRelevance(db: Knex, filter: ContentFilter, tsquery: Knex.Raw, page: Page): Promise<PublishedRow[]> {
  // later pages rank the same candidates as the first did, whatever was published since
  const candidates = await newestMatches<{ id: string; published_key: string }>(
    db,
    filter,
    tsquery,
    { limit: RELEVANCE_CANDIDATES, publishedBefore: page.publishedBefore },
    () => {
      const query = db('reviews as r').select('r.id', db.raw('r.published_at::text as published_key')).where('r.status', 'published');
      return filter.type || filter.brand || filter.mount ? query.join('products as p', 'p.id', 'r.product_id') : query;
    },
  );
  if (candidates.length === 0) return [];
  const ranked = selectReviews(db, false)
    .select(db.raw('r.published_at::text as published_key'), db.raw('ts_rank(r.search_vector, ?) as rank', [tsquery]))
    .whereRaw('r.id = any(?::uuid[])', [candidates.map((c) => c.id)]);
  // the rank is an output column: order and keyset apply to it from outside
  const query = db.select('*').from(ranked.as('k')).orderByRaw('k.rank desc, k.id desc').limit(page.limit);
  if (page.after) query.whereRaw('(k.rank, k.id) < (?::real, ?::uuid)', page.after);
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
