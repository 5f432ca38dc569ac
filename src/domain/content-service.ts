import { AppError } from '../errors.js';
import {
  contentKeyOf,
  findPublished,
  findPublishedMany,
  listPublished,
  type ComparedRow,
  type ContentFilter,
  type ContentSort,
  type PublishedReviewRow,
} from '../data/content-repository.js';
import type { ReadPool } from '../data/read-pool.js';
import { decodeCursor, type CursorField } from './cursor.js';
import { pageFetchSize, toPage } from './page.js';

const CURSOR_FIELDS: Record<ContentSort, CursorField[]> = {
  newest: ['timestamp', 'uuid'],
  oldest: ['timestamp', 'uuid'],
  verdict: ['number', 'timestamp', 'uuid'],
  relevance: ['tier', 'timestamp', 'uuid'], // where the query matches, then newest first (content-repository TIERS)
};

/** Spec rows of a comparison, in this order; a row appears when any compared product has it. */
export const SPEC_ORDER = [
  'sensor_format',
  'resolution_mp',
  'ibis',
  'max_video',
  'iso_max',
  'burst_fps',
  'focal_length_min_mm',
  'focal_length_max_mm',
  'max_aperture',
  'optical_stabilization',
  'weather_sealed',
  'weight_g',
] as const;

export type Comparison = {
  reviews: ComparedRow[];
  specs: { key: string; values: (string | number | boolean | null)[] }[];
};

/** Public reads only: every query goes through the read pool (a caught-up replica, or the primary). */
export function createContentService(reads: ReadPool) {
  return {
    async list(filter: ContentFilter, sort: ContentSort, cursor: string | undefined, limit: number) {
      if (sort === 'relevance' && !filter.q) {
        throw new AppError('relevance_needs_query', 400, "sort=relevance needs a search query 'q'.", {
          errors: [{ path: '/query/sort', message: 'relevance needs q', code: 'relevance_needs_query' }],
        });
      }
      if (filter.verdictMin !== undefined && filter.verdictMax !== undefined && filter.verdictMin > filter.verdictMax) {
        throw new AppError('validation_failed', 400, 'verdict_min is greater than verdict_max.', {
          errors: [{ path: '/query/verdict_min', message: 'must be ≤ verdict_max', code: 'range' }],
        });
      }
      // The listing name binds a cursor to its filters' sort order; other filters only narrow it.
      const listing = `content:${sort}`;
      const decoded = cursor ? decodeCursor(listing, cursor, CURSOR_FIELDS[sort]) : undefined;
      const rows = await reads.read((db) => listPublished(db, filter, sort, { after: decoded, limit: pageFetchSize(limit) }));
      return toPage(rows, limit, listing, (r) => contentKeyOf(r, sort));
    },

    async get(idOrSlug: string): Promise<PublishedReviewRow> {
      const row = await reads.read((db) => findPublished(db, idOrSlug));
      if (!row) throw new AppError('not_found', 404, 'No published review with this id or slug.');
      return row;
    },

    async compare(idsOrSlugs: string[]): Promise<Comparison> {
      const rows = await reads.read((db) => findPublishedMany(db, idsOrSlugs));
      const found = idsOrSlugs.map((key) => rows.find((r) => r.id === key || r.slug === key));
      const missing = idsOrSlugs.filter((_, i) => !found[i]);
      if (missing.length > 0) {
        throw new AppError('not_found', 404, `No published review for: ${missing.join(', ')}.`);
      }
      const reviews = found as (typeof rows)[number][];
      if (new Set(reviews.map((r) => r.id)).size !== reviews.length) {
        throw new AppError('validation_failed', 400, 'The same review is listed twice (by id and by slug).', {
          errors: [{ path: '/query/ids', message: 'must name distinct reviews', code: 'uniqueItems' }],
        });
      }
      const specs = SPEC_ORDER.filter((key) => reviews.some((r) => r.product_specs[key] !== undefined)).map((key) => ({
        key,
        values: reviews.map((r) => r.product_specs[key] ?? null),
      }));
      return { reviews, specs };
    },
  };
}

export type ContentService = ReturnType<typeof createContentService>;
