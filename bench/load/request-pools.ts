import type { Knex } from 'knex';
import { seededRandom, type Random } from '../corpus/seeded-random.js';
import { inParallel } from '../in-parallel.js';
import type { CatalogValues } from './catalog-values.js';
import type { SearchPools } from './search-pools.js';

// The requests each uncached scenario draws from: varied enough that no two consecutive requests
// hit the same rows, fixed (seeded) so two runs send the same mix.

export type RequestPools = SearchPools & { list: string[]; slugs: string[]; compare: string[] };

export async function buildRequestPools(knex: Knex, baseUrl: string, catalog: CatalogValues, searches: SearchPools, published: number): Promise<RequestPools> {
  const random = seededRandom(20_251_123);
  const sample = await samplePublished(knex, published);
  return {
    list: await withLaterPages(baseUrl, firstPages(random, catalog, 60)),
    slugs: sample.map((r) => `/v1/content/${r.slug}`),
    ...searches,
    compare: Array.from({ length: 500 }, () => comparePath(random, sample)),
  };
}

/** About 1,000 published reviews from pages spread over the whole table. */
async function samplePublished(knex: Knex, published: number): Promise<{ id: string; slug: string }[]> {
  const percent = Math.min(100, (1500 / Math.max(published, 1)) * 100);
  return knex
    .raw<{ rows: { id: string; slug: string }[] }>(
      `select id, slug from reviews tablesample system (${percent.toFixed(4)}) repeatable (7) where status = 'published' limit 1000`,
    )
    .then((r) => r.rows);
}

/** First pages of lists: every sort but relevance, each filter alone and some together, three page sizes. */
function firstPages(random: Random, catalog: CatalogValues, count: number): string[] {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;
  const filters: (() => Record<string, string>)[] = [
    () => ({}),
    () => ({ type: pick(['camera', 'lens']) }),
    () => ({ brand: pick(catalog.brands) }),
    () => ({ mount: pick(catalog.mounts) }),
    () => ({ editor: pick(catalog.editors) }),
    () => ({ verdict_min: pick(['7', '8', '9']) }),
    () => ({ verdict_min: '5', verdict_max: pick(['6', '7.5']) }),
    () => ({ brand: pick(catalog.brands), type: pick(['camera', 'lens']) }),
    () => ({ type: 'lens', mount: pick(catalog.mounts), verdict_min: '8' }),
  ];
  const paths = new Set<string>();
  while (paths.size < count) {
    const params = { ...pick(filters)(), sort: pick(['newest', 'newest', 'oldest', 'verdict']), limit: pick(['10', '20', '20', '50']) };
    paths.add(`/v1/content?${new URLSearchParams(params)}`);
  }
  return [...paths];
}

/** Adds the second and third pages (by the cursors the service hands out) of each first page. */
async function withLaterPages(baseUrl: string, firstPaths: string[]): Promise<string[]> {
  const all = [...firstPaths];
  let current = firstPaths;
  for (let depth = 2; depth <= 3; depth++) {
    const next: string[] = [];
    await inParallel(current, 4, async (path) => {
      try {
        const page = (await getJson(baseUrl, path)) as { next_cursor: string | null };
        if (page.next_cursor) next.push(withCursor(path, page.next_cursor));
      } catch (error) {
        // a 5xx is the server failing under test, measured by the scenario; a 4xx is a bad pool
        if (!(error instanceof UnexpectedStatus && error.status >= 500)) throw error;
      }
    });
    all.push(...next);
    current = next.slice(0, Math.ceil(next.length / 2));
  }
  return all;
}

function withCursor(path: string, cursor: string): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('cursor', cursor);
  return `${url.pathname}?${url.searchParams}`;
}

function comparePath(random: Random, sample: { id: string; slug: string }[]): string {
  const size = 2 + Math.floor(random() * 3);
  // keyed by review, so a review never appears twice (once by id, once by slug)
  const chosen = new Map<string, string>();
  while (chosen.size < Math.min(size, sample.length)) {
    const review = sample[Math.floor(random() * sample.length)];
    if (review && !chosen.has(review.id)) chosen.set(review.id, random() < 0.25 ? review.slug : review.id);
  }
  return `/v1/content/compare?ids=${[...chosen.values()].join(',')}`;
}

export class UnexpectedStatus extends Error {
  constructor(
    readonly status: number,
    path: string,
    body: string,
  ) {
    super(`GET ${path} answered ${status}: ${body.slice(0, 300)}`);
  }
}

/** GET that must answer 200 with JSON. */
export async function getJson(baseUrl: string, path: string): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (response.status !== 200) throw new UnexpectedStatus(response.status, path, text);
  return JSON.parse(text) as unknown;
}
