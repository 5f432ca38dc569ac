import { encodeCursor } from './cursor.js';

export type Page<T> = { items: T[]; next_cursor: string | null };

/**
 * Rows to fetch for a page of `limit`: at least one more (it tells whether another page exists),
 * rounded up to 11, 21, … 51 so that the few sizes keep the read statements' plans cached
 * (src/data/prepared.ts, fixedLimit). toPage drops the rows past the page.
 */
export function pageFetchSize(limit: number): number {
  return Math.ceil(limit / 10) * 10 + 1;
}

/** Rows were fetched with pageFetchSize(limit): a row past the page only tells that another page exists. */
export function toPage<R>(rows: R[], limit: number, listing: string, keyOf: (row: R) => (string | number)[]): Page<R> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(listing, keyOf(last)) : null };
}
