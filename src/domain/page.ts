import { encodeCursor } from './cursor.js';

export type Page<T> = { items: T[]; next_cursor: string | null };

/** Rows were fetched with limit + 1: the extra row only tells whether another page exists. */
export function toPage<R>(rows: R[], limit: number, listing: string, keyOf: (row: R) => (string | number)[]): Page<R> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(listing, keyOf(last)) : null };
}
