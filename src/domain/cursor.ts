import { AppError } from '../errors.js';

// Opaque, URL-safe keyset cursors. The listing name inside stops a cursor of one listing
// (or sort order) being replayed on another; each value is type-checked before it reaches SQL.

export type CursorField = 'timestamp' | 'uuid' | 'number' | 'string';

const CHECKS: Record<CursorField, (v: unknown) => boolean> = {
  timestamp: (v) => typeof v === 'string' && v.length <= 40 && /^\d{4}-\d{2}-\d{2}[ T][\d:.]+([+-]\d{2}(:?\d{2})?|Z)$/.test(v) && !Number.isNaN(Date.parse(isoTimestamp(v))),
  uuid: (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  string: (v) => typeof v === 'string' && v.length <= 200,
};

/** PostgreSQL's text form ("2026-11-20 14:03:00.123+00") as ISO 8601, which Date.parse needs ("+00:00"). */
const isoTimestamp = (v: string) => v.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');

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
