import { AppError } from '../errors.js';
import { isUuid } from '../ids.js';

// Opaque, URL-safe keyset cursors. The listing name inside stops a cursor of one listing
// (or sort order) being replayed on another; each value is type-checked before it reaches SQL.

export type CursorField = 'timestamp' | 'uuid' | 'number' | 'tier' | 'string';

// Each check admits only values PostgreSQL will cast without an error: a forged cursor is a 400, never a 500.
const CHECKS: Record<CursorField, (v: unknown) => boolean> = {
  timestamp: (v) => typeof v === 'string' && isTimestamp(v),
  uuid: (v) => typeof v === 'string' && isUuid(v),
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  /** Relevance's match tier: 3 (title or product name), 2 (with the summary), 1 (with the body). */
  tier: (v) => v === 1 || v === 2 || v === 3,
  /** PostgreSQL text cannot hold NUL. */
  string: (v) => typeof v === 'string' && v.length <= 200 && !v.includes('\u0000'),
};

/** PostgreSQL's text form ("2026-11-20 14:03:00.123456+00") or ISO 8601, naming a day that exists. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2})(?::?(\d{2}))?)$/;

function isTimestamp(v: string): boolean {
  const match = TIMESTAMP.exec(v);
  if (!match) return false;
  type Parts = [number, number, number, number, number, number, number, number];
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match.slice(1).map((g) => Number(g ?? 0)) as Parts;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  // PostgreSQL has no year 0 and no UTC offset beyond ±15:59
  return year >= 1 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 15 && offsetMinutes <= 59;
}

export function encodeCursor(listing: string, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([listing, ...key]), 'utf8').toString('base64url');
}

export function decodeCursor(listing: string, cursor: string, fields: readonly CursorField[]): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed[0] !== listing || parsed.length !== fields.length + 1) throw invalidCursor();
  const values = parsed.slice(1) as unknown[];
  if (!values.every((v, i) => CHECKS[fields[i] as CursorField](v))) throw invalidCursor();
  return values as (string | number)[];
}

const invalidCursor = () =>
  new AppError('invalid_cursor', 400, 'The cursor is not one this listing issued; start again without a cursor.', {
    errors: [{ path: '/query/cursor', message: 'invalid cursor', code: 'invalid_cursor' }],
  });
