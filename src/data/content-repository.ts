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
export type PublishedRow = ContentItemRow & { published_key: string; rank?: number };

/** The product fields come from the review's own copy of them (migration 004): no join with products. */
function selectContentItems(db: Knex) {
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
    )
    .whereRaw(PUBLISHED);
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
 * Search at 1M reviews, with every cost bounded:
 * - First a bounded scan: the newest SCAN_ROWS published reviews after the cursor, off the
 *   published_at index, tested against the query. A term in more than a few % of reviews fills a page
 *   there, reading rows that sit together (the table fills in publication order).
 * - Relevance, which needs many more matches, may go on scanning when the scan's yield projects the
 *   rest within RELEVANCE_SCAN_MORE_ROWS.
 * - The query alone runs all its steps inside PostgreSQL (review_search_newest, migration 008): the
 *   scan, then its matches week by week back in time. The plain GIN index would decode each word's
 *   whole posting list and read every match to learn its date (two words in 2-8% of reviews each:
 *   20-50 ms at 1M).
 * - With other filters too, from here: the scan, then windows in days off the GIN and BRIN indexes
 *   (dayWindows).
 * Every window is a MATERIALIZED CTE so the planner cannot turn it back into an unbounded walk of the
 * published_at index testing every row, which it does when it overestimates a rare term.
 * Relevance ranks at most RELEVANCE_CANDIDATES newest matches found the same way (with a longer
 * scan): ranking every match of a common term with ts_rank takes seconds.
 */
const SCAN_ROWS = 1000;
/** Read on only if the scan's yield projects the rest well inside the longer scan (its yield is a small count). */
const SCAN_MORE_MARGIN = 0.75;
/**
 * With other filters too, the scan's yield says little about how many matches the windows fetch
 * (they filter after reading, and a common word fetched over all time is seconds): smaller steps.
 */
const FILTERED_WINDOWS_DAYS = [30, 180, 730, null];
const RELEVANCE_SCAN_ROWS = 2000;
const RELEVANCE_SCAN_MORE_ROWS = 6000;
const RELEVANCE_MIN_FROM_SCAN = 100;
/**
 * A query alone whose scan yield projects fewer matches in all is fetched off the plain GIN index at
 * once: reading all of them costs less than the weeks' postings (a term in 336 reviews: ~5 ms).
 */
const RELEVANCE_RARE_BELOW = 1500;
export const RELEVANCE_CANDIDATES = 1000;

type Page = { after?: ContentKey; limit: number; publishedBefore?: string };
/** A search match: its id (and rank, for relevance); the page's rows are fetched by id afterwards. */
type Match = { id: string; rank?: number };

export async function listPublished(db: Knex, filter: ContentFilter, sort: ContentSort, page: Page): Promise<PublishedRow[]> {
  if (!(await someProductMatches(db, filter))) return [];
  const tsquery = filter.q ? db.raw(`websearch_to_tsquery('english', ?)`, [filter.q]) : undefined;
  if (filter.q !== undefined && onlyQuery(filter)) {
    if (sort === 'newest') return newestOfQuery(db, filter.q, page);
    if (sort === 'relevance') return relevantOfQuery(db, filter.q, page);
  }
  if (sort === 'relevance' && tsquery) return listByRelevance(db, filter, tsquery, page);
  if (sort === 'newest' && tsquery) {
    const options = { limit: page.limit, scanRows: SCAN_ROWS, scanMoreRows: 0, enoughFromScan: page.limit, withContent: true };
    return (await newestMatches(db, filter, tsquery, page, options)) as PublishedRow[];
  }

  const spec = SORTS[sort];
  const query = fixedLimit(selectPublished(db), page.limit);
  applyContentFilter(query, filter, tsquery);
  const columns = spec.columns.map((c) => `r.${c}`);
  query.orderByRaw(columns.map((c) => `${c} ${spec.direction}`).join(', '));
  if (page.after) {
    const placeholders = spec.casts.map((cast) => `?::${cast}`).join(', ');
    query.whereRaw(`(${columns.join(', ')}) ${spec.direction === 'desc' ? '<' : '>'} (${placeholders})`, page.after);
  }
  // Planned for their values each time: a verdict range bound by parameters looks narrow to a generic
  // plan (0.5% of rows), which then sorts the whole range instead of walking the order's index; and
  // whether a search term is better found through GIN or by walking the order depends on the term.
  const ranged = filter.verdictMin !== undefined && filter.verdictMax !== undefined;
  return ranged || tsquery ? ((await query) as PublishedRow[]) : preparedRows<PublishedRow>(db, query);
}

function onlyQuery(filter: ContentFilter): boolean {
  return !filter.type && !filter.brand && !filter.mount && !filter.editorId && filter.verdictMin === undefined && filter.verdictMax === undefined;
}

/** Sorts before every id PostgreSQL can hold: a position "before (t, MAX_UUID)" includes all of instant t. */
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * The newest matches of a query alone, found inside PostgreSQL by review_search_newest (migration
 * 008: the scan, then week by week), their rows read back by address in the same statement: one
 * round trip and no planning per search.
 */
function newestOfQuery(db: Knex, q: string, page: Page): Promise<PublishedRow[]> {
  const [at, id] = page.after ? [String(page.after[0]), String(page.after[1])] : ['infinity', MAX_UUID];
  const hits = db.raw(`review_search_newest(websearch_to_tsquery('english', ?), ?::timestamptz, ?::uuid, ?::integer, ${SCAN_ROWS}, 0, 0, 0, false) as hit`, [
    q,
    at,
    id,
    page.limit,
  ]);
  const query = selectPublished(db).join(hits, 'r.ctid', 'hit.hit_tid').orderBy(NEWEST_FIRST);
  return preparedRows<PublishedRow>(db, query);
}

/**
 * A query alone by relevance: its RELEVANCE_CANDIDATES newest matches as of the first page
 * (review_search_newest with relevance's longer scan), ranked, the page after the cursor cut out
 * and its rows read, all in one statement. Only the page's rows leave PostgreSQL.
 */
function relevantOfQuery(db: Knex, q: string, page: Page): Promise<PublishedRow[]> {
  const before = page.publishedBefore ?? new Date().toISOString();
  const [rank, id] = page.after ? [String(page.after[0]), String(page.after[1])] : ['Infinity', MAX_UUID];
  const hits = db.raw(
    `review_search_newest(websearch_to_tsquery('english', ?), ?::timestamptz, ?::uuid, ${RELEVANCE_CANDIDATES}, ${RELEVANCE_SCAN_ROWS}, ${RELEVANCE_SCAN_MORE_ROWS}, ${RELEVANCE_MIN_FROM_SCAN}, ${RELEVANCE_RARE_BELOW}, true) as hit`,
    [q, before, MAX_UUID],
  );
  const candidates = db.from(hits).select('hit.hit_id as id', 'hit.hit_tid as tid', 'hit.hit_rank as rank');
  const pageOf = fixedLimit(
    db.from('c').select('c.id', 'c.tid', 'c.rank').whereRaw('(c.rank, c.id) < (?::real, ?::uuid)', [rank, id]).orderBy(BY_RELEVANCE('c')),
    page.limit,
  );
  const query = selectPublished(db)
    .withMaterialized('c', candidates)
    .withMaterialized('p', pageOf)
    .join('p', 'r.ctid', 'p.tid')
    .select('p.rank')
    .orderBy(BY_RELEVANCE('p'));
  return preparedRows<PublishedRow>(db, query);
}

const NEWEST_FIRST = [
  { column: 'r.published_at', order: 'desc' as const },
  { column: 'r.id', order: 'desc' as const },
];
const BY_RELEVANCE = (alias: string) => [
  { column: `${alias}.rank`, order: 'desc' as const },
  { column: `${alias}.id`, order: 'desc' as const },
];

function selectPublished(db: Knex) {
  return selectContentItems(db).select(db.raw('r.published_at::text as published_key'));
}

function publishedByIds(db: Knex, ids: string[]): Promise<PublishedRow[]> {
  return preparedRows<PublishedRow>(db, selectPublished(db).whereRaw('r.id = any(?::uuid[])', [ids]));
}

/** Matches of filter.q, newest first, after the page's cursor (or up to its time): the bounded scan, else the GIN index. */
async function newestMatches(
  db: Knex,
  filter: ContentFilter,
  tsquery: Knex.Raw,
  page: Page,
  options: {
    limit: number;
    scanRows: number;
    scanMoreRows: number;
    enoughFromScan: number;
    withRank?: boolean;
    /** Each match is its whole content row (a PublishedRow), for a page served as found. */
    withContent?: boolean;
  },
): Promise<Match[]> {
  const bounded = (query: Knex.QueryBuilder) => {
    if (page.after) query.whereRaw('(r.published_at, r.id) < (?::timestamptz, ?::uuid)', page.after.slice(0, 2));
    else if (page.publishedBefore) query.whereRaw('r.published_at <= ?::timestamptz', [page.publishedBefore]);
    return query;
  };
  // The scans run as prepared statements, and once PostgreSQL settles on their generic plan a bare
  // websearch_to_tsquery($1) is no longer folded into a constant: it parsed the query again on every
  // row tested (a 3,600-row scan went from 4 to 13 ms). As a scalar subquery it is an InitPlan, run once.
  const tsqueryOnce = db.raw('(select ?)', [tsquery]);
  /** `limit` is bound (left planned for its value) where it varies; undefined is options.limit, a constant of the shape. */
  const matching = (query: Knex.QueryBuilder, limit?: number) => {
    applyContentFilter(query, filter, tsqueryOnce);
    query.select('r.id').orderBy(NEWEST_FIRST);
    if (limit === undefined) fixedLimit(query, options.limit);
    else query.limit(limit);
    // ranked here, on rows already read, rather than by fetching the candidates again
    if (options.withRank) query.select(db.raw('ts_rank(r.search_vector, ?) as rank', [tsqueryOnce]));
    return query;
  };

  /** The matches' own rows, in the same statement: fetching them by id afterwards cost a round trip. */
  const withContent = (matches: Knex.QueryBuilder, column: string, hitColumn: string) =>
    selectPublished(db).join(matches.as('hit'), column, hitColumn).orderBy(NEWEST_FIRST);

  /**
   * A window's newest matches; ranked after the limit, each read again by its address (a TID scan:
   * the same snapshot in one statement, so the address still holds the version that matched).
   */
  const windowMatching = (windowMatches: Knex.QueryBuilder, limit: number) => {
    applyContentFilter(windowMatches, filter, undefined);
    windowMatches.select('r.id').orderBy(NEWEST_FIRST).limit(limit);
    if (options.withContent) return withContent(windowMatches.select('r.tid'), 'r.ctid', 'hit.tid');
    if (!options.withRank) return windowMatches;
    windowMatches.select('r.tid');
    return db
      .from(windowMatches.as('w'))
      .join('reviews as r', 'r.ctid', 'w.tid')
      .select('w.id', db.raw('ts_rank(r.search_vector, ?) as rank', [tsquery]));
  };

  const columns = ['r.id', 'r.published_at', 'r.search_vector', 'r.product_type', 'r.product_brand', 'r.product_mount', 'r.editor_id', 'r.verdict_score'];

  const newestPublished = () => bounded(db('reviews as r').whereRaw(PUBLISHED).orderBy(NEWEST_FIRST));
  // The scans' plans do not depend on the term (walk the order's index, test each row, stop at the
  // limit): prepared, they skip ~1 ms of planning per query; the index windows below are planned each time.
  const asFound = (query: Knex.QueryBuilder) => (options.withContent ? withContent(query, 'r.id', 'hit.id') : query);
  const fromScan = await preparedRows<Match>(db, asFound(matching(db.from(fixedLimit(newestPublished().select(columns), options.scanRows).as('r')))));
  if (fromScan.length >= options.limit) return fromScan;

  // Short of a page: go on past the rows just scanned (the first scanRows, as the page's bound left
  // them) if at this yield the rest should be found within scanMoreRows.
  const stillNeeded = options.enoughFromScan - fromScan.length;
  if (fromScan.length > 0 && (stillNeeded * options.scanRows) / fromScan.length <= options.scanMoreRows * SCAN_MORE_MARGIN) {
    const lastScanned = fixedLimit(newestPublished().select('r.published_at', 'r.id'), 1, options.scanRows - 1);
    const further = fixedLimit(newestPublished().select(columns).whereRaw('(r.published_at, r.id) < (?)', [lastScanned]), options.scanMoreRows);
    fromScan.push(...(await preparedRows<Match>(db, asFound(matching(db.from(further.as('r')), options.limit - fromScan.length)))));
    if (fromScan.length >= options.enoughFromScan) return fromScan;
  }

  const anchor = page.after ? String(page.after[0]) : (page.publishedBefore ?? new Date().toISOString());
  // The windows' matches carry their row's address, not its search_vector: a vector is ~1.5 kB, and
  // materializing thousands of them spilled to disk; only the few kept are read again, by address, to rank.
  const windowColumns = [...columns.filter((c) => c !== 'r.search_vector'), 'r.ctid as tid'];
  const windows = { anchor, bounded, windowColumns, windowMatching, tsquery };
  return dayWindows(db, windows, options.limit, FILTERED_WINDOWS_DAYS);
}

type Windows = {
  anchor: string;
  bounded: (query: Knex.QueryBuilder) => Knex.QueryBuilder;
  windowColumns: string[];
  windowMatching: (windowMatches: Knex.QueryBuilder, limit: number) => Knex.QueryBuilder;
  tsquery: Knex.Raw;
};

/**
 * With other filters too: windows in days, in each of which PostgreSQL ANDs the GIN bitmap with the
 * published_at BRIN bitmap (and the filters' indexes where they help).
 * In each PostgreSQL ANDs the GIN bitmap with the published_at BRIN bitmap and the filters' indexes.
 */
async function dayWindows(db: Knex, w: Windows, limit: number, windowsDays: (number | null)[]): Promise<Match[]> {
  const found: Match[] = [];
  let newerBound: number | null = null;
  for (const days of windowsDays) {
    const indexed = db('reviews as r').select(w.windowColumns).whereRaw(PUBLISHED).whereRaw('r.search_vector @@ ?', [w.tsquery]);
    if (days !== null) indexed.whereRaw('r.published_at >= ?::timestamptz - make_interval(days => ?)', [w.anchor, days]);
    const windowMatches = db.withMaterialized('m', w.bounded(indexed)).from('m as r');
    if (newerBound !== null) indexed.whereRaw('r.published_at < ?::timestamptz - make_interval(days => ?)', [w.anchor, newerBound]);
    found.push(...((await w.windowMatching(windowMatches, limit - found.length)) as Match[]));
    if (found.length >= limit) break;
    newerBound = days;
  }
  return found;
}

async function listByRelevance(db: Knex, filter: ContentFilter, tsquery: Knex.Raw, page: Page): Promise<PublishedRow[]> {
  // later pages rank the same candidates as the first did, whatever was published since
  const candidates = await newestMatches(
    db,
    filter,
    tsquery,
    { limit: RELEVANCE_CANDIDATES, publishedBefore: page.publishedBefore },
    {
      limit: RELEVANCE_CANDIDATES,
      scanRows: RELEVANCE_SCAN_ROWS,
      scanMoreRows: RELEVANCE_SCAN_MORE_ROWS,
      enoughFromScan: RELEVANCE_MIN_FROM_SCAN,
      withRank: true,
    },
  );
  // rank desc, then id desc as PostgreSQL orders uuids (their lower-case hex text sorts the same way)
  const byRelevance = (a: Match, b: Match) => (b.rank ?? 0) - (a.rank ?? 0) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  const after = page.after ? { rank: Number(page.after[0]), id: String(page.after[1]) } : undefined;
  const pageOf = candidates
    .sort(byRelevance)
    .filter((c) => !after || byRelevance(after, c) < 0)
    .slice(0, page.limit);
  if (pageOf.length === 0) return [];
  const rows = await publishedByIds(
    db,
    pageOf.map((c) => c.id),
  );
  const ranks = new Map(pageOf.map((c) => [c.id, c.rank ?? 0]));
  return inOrderOf(pageOf, rows).map((row) => Object.assign(row, { rank: ranks.get(row.id) ?? 0 }));
}

function inOrderOf<T extends { id: string }>(order: { id: string }[], rows: T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return order.map((o) => byId.get(o.id)).filter((r): r is T => r !== undefined);
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

function applyContentFilter(query: Knex.QueryBuilder, filter: ContentFilter, tsquery: Knex.Raw | undefined): void {
  if (tsquery) query.whereRaw('r.search_vector @@ ?', [tsquery]);
  // the forms the indexes of migration 004 are built on
  if (filter.type) query.where('r.product_type', filter.type);
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
