import type { Knex } from 'knex';
import { isUuid } from '../ids.js';
import { fixedLimit, preparedRows } from './prepared.js';
import type { ProductSpecs, ProductType } from './product-repository.js';
import type { Image, ReviewRow } from './review-repository.js';

// The public side of reviews: only published rows, keyset-paginated in four orders, searchable.

/**
 * Written into the SQL, never bound: a prepared statement's generic plan can use the partial
 * indexes (`where status = 'published'`) only when the condition is a constant; bound as a
 * parameter, PostgreSQL re-planned every read.
 */
const PUBLISHED = "r.status = 'published'";

/** What a listed review shows (presenters.contentItem), and no more: every column costs output and parsing on each row. */
export type ContentItemRow = Pick<
  ReviewRow,
  | 'id'
  | 'slug'
  | 'title'
  | 'summary'
  | 'verdict_score'
  | 'updated_at'
  | 'editor_id'
  | 'editor_display_name'
  | 'product_id'
  | 'product_type'
  | 'product_brand'
  | 'product_model'
  | 'product_mount'
> & { published_at: Date; cover_image: Image | null };

/** Keyset columns are read as text so cursors keep PostgreSQL's microseconds exactly. */
export type PublishedRow = ContentItemRow & { published_key: string; tier?: number };

/** The product fields come from the review's own copy of them (migration 004): no join with products. */
function selectContentItems(db: Knex) {
  return selectItems(db).whereRaw(PUBLISHED);
}

/** Any review's listed fields, for rows a query has already found published. */
function selectItems(db: Knex) {
  return db('reviews as r')
    .join('editors as e', 'e.id', 'r.editor_id')
    .select(
      'r.id',
      'r.slug',
      'r.title',
      'r.summary',
      'r.verdict_score',
      db.raw('r.images -> 0 as cover_image'),
      'r.updated_at',
      'r.published_at',
      'r.editor_id',
      'e.display_name as editor_display_name',
      'r.product_id',
      'r.product_type',
      'r.product_brand',
      'r.product_model',
      'r.product_mount',
    );
}

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
type OrderedSort = Exclude<ContentSort, 'relevance'>;

const SORTS: Record<OrderedSort, { columns: string[]; direction: 'asc' | 'desc'; casts: string[] }> = {
  newest: { columns: ['published_at', 'id'], direction: 'desc', casts: ['timestamptz', 'uuid'] },
  oldest: { columns: ['published_at', 'id'], direction: 'asc', casts: ['timestamptz', 'uuid'] },
  verdict: { columns: ['verdict_score', 'published_at', 'id'], direction: 'desc', casts: ['float8', 'timestamptz', 'uuid'] },
};

/**
 * Relevance ranks every match by where the whole query matches: in the title or product name
 * (weight A), else with the summary (B), else only with the body; newest first within each tier.
 * For a one-word query this is ts_rank's own order between tiers (an A occurrence scores at least
 * 0.61, a best-B one 0.24 to 0.4, body-only ones at most 0.2); within a tier the newest review
 * comes first rather than the one repeating the word most. Ranking every match by ts_rank itself
 * reads every match (ADR 0038: 290 ms for a word in a quarter of 1M reviews, even off a RUM index);
 * each tier here is one newest-first search, off the A and A+B columns of migration 010's index.
 * `is true` keeps the whole-vector test a filter: as an index condition the planner ANDed a common
 * word's 200,000-row bitmap with a tier's few thousand (100 ms instead of 3).
 */
const TIERS: { tier: number; where: string }[] = [
  { tier: 3, where: `ts_filter(r.search_vector, '{a}') @@ :query and (r.search_vector @@ :query) is true` },
  {
    tier: 2,
    where: `ts_filter(r.search_vector, '{a,b}') @@ :query and not ts_filter(r.search_vector, '{a}') @@ :query and (r.search_vector @@ :query) is true`,
  },
  { tier: 1, where: `r.search_vector @@ :query and not ts_filter(r.search_vector, '{a,b}') @@ :query` },
];

export function contentKeyOf(row: PublishedRow, sort: ContentSort): ContentKey {
  switch (sort) {
    case 'newest':
    case 'oldest':
      return [row.published_key, row.id];
    case 'verdict':
      return [row.verdict_score, row.published_key, row.id];
    case 'relevance':
      return [row.tier ?? 1, row.published_key, row.id];
  }
}

type Page = { after?: ContentKey; limit: number };

export async function listPublished(db: Knex, filter: ContentFilter, sort: ContentSort, page: Page): Promise<PublishedRow[]> {
  if (!(await someProductMatches(db, filter))) return [];
  if (sort === 'newest' && filter.q !== undefined && atMostAType(filter)) return newestOfQuery(db, filter.q, filter.type, page);
  if (sort !== 'relevance') return listInOrder(db, filter, sort, page);
  if (filter.q === undefined) throw new Error('listPublished: relevance needs q'); // the service answers 400 before this
  return listByRelevance(db, filter, filter.q, page);
}

/** Brand, mount, editor and verdict narrow a search enough for the planner (ADR 0040); a type alone does not. */
function atMostAType(filter: ContentFilter): boolean {
  return !filter.brand && !filter.mount && !filter.editorId && filter.verdictMin === undefined && filter.verdictMax === undefined;
}

/** Sorts before every id PostgreSQL can hold: a position "before (t, MAX_UUID)" includes all of instant t. */
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * The newest matches of a query, alone or with a product type: found inside PostgreSQL by
 * review_search_newest (migrations 008 and 011: a bounded scan of the newest reviews, then the
 * query's matches week by week off an index of lexemes, and types, filed by week), their rows read
 * back by address in the same statement. A term in 0.1-0.5% of reviews costs PostgreSQL ~0.5 ms
 * this way, against ~3 ms for the planner's best plain plan at 1M reviews (ADR 0038); two words
 * with a type, 0.3-0.5 ms against 6-9 ms (ADR 0040).
 */
function newestOfQuery(db: Knex, q: string, type: ProductType | undefined, page: Page): Promise<PublishedRow[]> {
  const [at, id] = page.after ? [String(page.after[0]), String(page.after[1])] : ['infinity', MAX_UUID];
  const hits = db.raw(
    `review_search_newest(query => websearch_to_tsquery('english', ?), before_at => ?::timestamptz, before_id => ?::uuid, wanted => ?::integer,
       type_is => ?::text) as hit`,
    [q, at, id, page.limit, type ?? null],
  );
  const query = selectPublished(db)
    .join(hits, 'r.ctid', 'hit.hit_tid')
    .orderBy([
      { column: 'r.published_at', order: 'desc' },
      { column: 'r.id', order: 'desc' },
    ]);
  return preparedRows<PublishedRow>(db, query);
}

/**
 * One statement, whatever the filters: PostgreSQL picks the index for the values (migration 009
 * gives it the statistics to, 010 one GIN index that intersects a search with its filters). A search
 * finds the page's keys first and reads its rows after: served off the GIN index it sorts its
 * matches' keys, not every match's row (reading each one's cover image out of its jsonb made a rare
 * name's page 5 ms instead of 1 at 1M reviews). A list walks an index in its order and reads only
 * the page's rows anyway: the second step cost it ~18% of its throughput.
 */
function listInOrder(db: Knex, filter: ContentFilter, sort: OrderedSort, page: Page, tier?: string): Promise<PublishedRow[]> {
  const spec = SORTS[sort];
  const columns = spec.columns.map((c) => `r.${c}`);
  const search = filter.q !== undefined;
  const matches = fixedLimit(search ? db('reviews as r').select(columns).whereRaw(PUBLISHED) : selectPublished(db), page.limit);
  if (tier === undefined) applyContentFilter(matches, filter);
  else {
    // the tier's own condition tests the query
    applyContentFilter(matches, { ...filter, q: undefined }, true);
    matches.where(db.raw(tier, { query: db.raw(`websearch_to_tsquery('english', ?)`, [filter.q ?? '']) }));
  }
  matches.orderByRaw(columns.map((c) => `${c} ${spec.direction}`).join(', '));
  if (page.after) {
    const placeholders = spec.casts.map((cast) => `?::${cast}`).join(', ');
    matches.whereRaw(`(${columns.join(', ')}) ${spec.direction === 'desc' ? '<' : '>'} (${placeholders})`, page.after);
  }
  // Planned for their values each time: a verdict range bound by parameters looks narrow to a generic
  // plan (0.5% of rows), which then sorts the whole range instead of walking the order's index; and
  // whether a search is served off the GIN index or by walking the order depends on the term.
  if (search) {
    // the keys are of published reviews: testing that again on their rows made planning a fifth longer (bench/README.md)
    const rows = selectPublished(db, selectItems(db))
      .join(matches.as('k'), 'k.id', 'r.id')
      .orderByRaw(spec.columns.map((c) => `k.${c} ${spec.direction}`).join(', '));
    return rows;
  }
  const ranged = filter.verdictMin !== undefined && filter.verdictMax !== undefined;
  return ranged ? matches : preparedRows<PublishedRow>(db, matches);
}

/** Tier by tier from the cursor's, each newest first, until the page is full. */
async function listByRelevance(db: Knex, filter: ContentFilter, q: string, page: Page): Promise<PublishedRow[]> {
  const [afterTier, ...afterKey] = page.after ?? [];
  const rows: PublishedRow[] = [];
  for (const { tier, where } of TIERS) {
    if (afterTier !== undefined && tier > Number(afterTier)) continue;
    const after = tier === Number(afterTier) ? afterKey : undefined;
    const found = await listInOrder(db, { ...filter, q }, 'newest', { after, limit: page.limit - rows.length }, where);
    rows.push(...found.map((row) => Object.assign(row, { tier })));
    if (rows.length >= page.limit) break;
  }
  return rows;
}

/** `items`: selectItems instead where the rows are already known to be published. */
function selectPublished(db: Knex, items = selectContentItems(db)) {
  return items.select(db.raw('r.published_at::text as published_key'));
}

/**
 * Two product filters together can name a kind of product that does not exist ("lenses by a
 * camera maker"): walking one filter's index for rows matching the other would read all of them.
 * The catalog says at once (it is small). One filter alone is an index range, empty or not.
 */
async function someProductMatches(db: Knex, filter: ContentFilter): Promise<boolean> {
  if ([filter.type, filter.brand, filter.mount].filter((f) => f !== undefined).length < 2) return true;
  const products = fixedLimit(db('products').select(db.raw('1')), 1);
  if (filter.type) products.where('type', filter.type);
  if (filter.brand) products.whereRaw('lower(brand) = lower(?)', [filter.brand]);
  if (filter.mount) products.whereRaw('lower(mount) = lower(?)', [filter.mount]);
  return (await preparedRows(db, products)).length > 0;
}

/** `searching`: the rows are a search's matches, whether `filter.q` tests the query or a relevance tier's condition does. */
function applyContentFilter(query: Knex.QueryBuilder, filter: ContentFilter, searching = filter.q !== undefined): void {
  if (filter.q !== undefined) query.whereRaw(`r.search_vector @@ websearch_to_tsquery('english', ?)`, [filter.q]);
  // the forms the indexes of migrations 004 and 010 (and the statistics of 009) are built on
  if (filter.type && searching) {
    // Tested on the search's matches, never an index condition: ANDed with them, half the reviews'
    // bitmap off the type index cost a two-word search 87 ms instead of 6 at 1M reviews (migration 010).
    query.whereRaw('(r.product_type = ?) is true', [filter.type]);
  } else if (filter.type) query.where('r.product_type', filter.type);
  if (filter.brand) query.whereRaw('lower(r.product_brand) = lower(?)', [filter.brand]);
  if (filter.mount) query.whereRaw('lower(r.product_mount) = lower(?)', [filter.mount]);
  if (filter.editorId) query.where('r.editor_id', filter.editorId);
  if (filter.verdictMin !== undefined) query.where('r.verdict_score', '>=', filter.verdictMin);
  if (filter.verdictMax !== undefined) query.where('r.verdict_score', '<=', filter.verdictMax);
}

/** A published review by id or slug, with its body. */
export type PublishedReviewRow = ContentItemRow & Pick<ReviewRow, 'body' | 'pros' | 'cons' | 'images'>;

export async function findPublished(db: Knex, idOrSlug: string): Promise<PublishedReviewRow | undefined> {
  const query = selectContentItems(db).select('r.body', 'r.pros', 'r.cons', 'r.images');
  if (isUuid(idOrSlug)) {
    query.where((w) => {
      w.where('r.id', idOrSlug).orWhere('r.slug', idOrSlug);
    });
  } else query.where('r.slug', idOrSlug);
  const [row] = await preparedRows<PublishedReviewRow>(db, fixedLimit(query, 1));
  return row;
}

export type ComparedRow = ContentItemRow & Pick<ReviewRow, 'pros' | 'cons'> & { product_specs: ProductSpecs };

/** Published reviews named by id or slug, in one query, each with its product's specs (for comparisons). */
export async function findPublishedMany(db: Knex, idsOrSlugs: string[]): Promise<ComparedRow[]> {
  const ids = idsOrSlugs.filter(isUuid);
  const query = selectContentItems(db)
    .join('products as p', 'p.id', 'r.product_id')
    .select('r.pros', 'r.cons', 'p.specs as product_specs')
    .where((w) => {
      w.whereRaw('r.slug = any(?::text[])', [idsOrSlugs]).orWhereRaw('r.id = any(?::uuid[])', [ids]);
    });
  return preparedRows(db, query);
}

export async function listLatestPublishedOfProduct(db: Knex, productId: string, limit: number): Promise<ContentItemRow[]> {
  const query = selectContentItems(db)
    .where('r.product_id', productId)
    .orderBy([
      { column: 'r.published_at', order: 'desc' },
      { column: 'r.id', order: 'desc' },
    ]);
  return preparedRows(db, fixedLimit(query, limit));
}
