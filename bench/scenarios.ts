import type { RequestPools } from './load/request-pools.js';

// What the bench measures and what the issue demands of each measurement ("Targets" in issues 3 and 15).

export type ServerRole = 'anchor' | 'cache-on' | 'cache-off';

export type Target = {
  /** Shown in the table, e.g. "p99 ≤ 25 ms". */
  text: string;
  maxP99Ms?: number;
  /** Minimum req/s as a fraction of the anchor's in the same run. */
  minAnchorRatio?: number;
  /** The target applies from this corpus size up; a smaller corpus only indicates. Unset: any size. */
  fromReviews?: number;
};

export type Scenario = {
  id: string;
  label: string;
  server: ServerRole;
  connections: number;
  paths: (pools: RequestPools) => string[];
  target?: Target;
};

export const RSS_TARGET_MB = 150;
/** The requirement: every read under 100 ms. */
export const READ_BUDGET_MS = 100;
/** The requirement: every write under 500 ms. */
export const WRITE_BUDGET_MS = 500;
/**
 * The database-path targets hold at every corpus size from here up. Below it (CI's smoke run seeds
 * 2,000 reviews) the tables are too small for PostgreSQL to plan as it does on a real corpus.
 */
export const TARGETS_FROM_REVIEWS = 10_000;

const p99Within = (ms: number): Target => ({ text: `p99 ≤ ${ms} ms`, maxP99Ms: ms, fromReviews: TARGETS_FROM_REVIEWS });
/** The search pools hold every drawn term kind: rare names, two-word queries, common words. */
const TERM_KINDS = 'rare, two-word, common';

export const SCENARIOS: Scenario[] = [
  { id: 'anchor', label: 'anchor: bare node:http, same body', server: 'anchor', connections: 64, paths: () => ['/v1/content'] },
  {
    id: 'cached-list',
    label: 'GET /v1/content (read cache on)',
    server: 'cache-on',
    connections: 64,
    paths: () => ['/v1/content'],
    target: { text: '≥ 50% of anchor, p99 ≤ 10 ms', minAnchorRatio: 0.5, maxP99Ms: 10 },
  },
  {
    id: 'uncached-list',
    label: 'list: filters, sorts, pages (cache off)',
    server: 'cache-off',
    connections: 16,
    paths: (p) => p.list,
    target: p99Within(25),
  },
  {
    id: 'slug',
    label: 'GET /v1/content/{slug} (cache off)',
    server: 'cache-off',
    connections: 16,
    paths: (p) => p.slugs,
    target: p99Within(25),
  },
  {
    id: 'search-newest',
    label: `search q (${TERM_KINDS}), sort=newest (cache off)`,
    server: 'cache-off',
    connections: 16,
    paths: (p) => p.searchNewest,
    target: p99Within(25),
  },
  {
    id: 'search-relevance',
    label: `search q (${TERM_KINDS}), sort=relevance (cache off)`,
    server: 'cache-off',
    connections: 16,
    paths: (p) => p.searchRelevance,
    target: p99Within(100),
  },
  {
    id: 'search-filtered-newest',
    label: `search q (${TERM_KINDS}) with type, brand or editor, sort=newest (cache off)`,
    server: 'cache-off',
    connections: 16,
    paths: (p) => p.searchFilteredNewest,
    target: p99Within(25),
  },
  {
    id: 'search-filtered-relevance',
    label: `search q (${TERM_KINDS}) with type, brand or editor, sort=relevance (cache off)`,
    server: 'cache-off',
    connections: 16,
    paths: (p) => p.searchFilteredRelevance,
    target: p99Within(100),
  },
  {
    // the issue names no figure for compare; the requirement's read budget applies to every read
    id: 'compare',
    label: 'compare 2-4 reviews (cache off)',
    server: 'cache-off',
    connections: 16,
    paths: (p) => p.compare,
    target: { text: `p99 ≤ ${READ_BUDGET_MS} ms (read budget)`, maxP99Ms: READ_BUDGET_MS },
  },
];
