import { decodeCursor, encodeCursor, type CursorField } from '../../src/domain/cursor.js';
import { AppError } from '../../src/errors.js';

const ID = '5b7c1f3e-2a4d-4c8e-9f10-3d2b1a0c9e88';
/** published_at::text as PostgreSQL prints it: microseconds the JavaScript Date would lose. */
const PG_TIME = '2026-11-20 14:03:00.123456+00';

/** A cursor carrying exactly these values, as a caller could forge one. */
const forge = (...values: unknown[]) => Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');

function expectInvalidCursor(decode: () => unknown): void {
  let thrown: unknown;
  try {
    decode();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AppError);
  expect(thrown).toMatchObject({ code: 'invalid_cursor', status: 400, errors: [expect.objectContaining({ path: '/query/cursor' })] });
}

describe('encodeCursor and decodeCursor', () => {
  test.each<[string, CursorField[], (string | number)[]]>([
    ['newest', ['timestamp', 'uuid'], [PG_TIME, ID]],
    ['verdict', ['number', 'timestamp', 'uuid'], [8.5, PG_TIME, ID]],
    ['relevance', ['tier', 'timestamp', 'uuid'], [3, PG_TIME, ID]],
    ['relevance in the body tier', ['tier', 'timestamp', 'uuid'], [1, PG_TIME, ID]],
    ['products', ['string', 'string', 'uuid'], ['Sigma «Art» "quoted"', '24-70mm F2.8 DG DN II', ID]],
  ])('when a %s key is encoded, then decoding it gives the same values back exactly', (_case, fields, key) => {
    const cursor = encodeCursor('some-listing', key);

    expect(decodeCursor('some-listing', cursor, fields)).toEqual(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]{1,512}$/); // the contract's Cursor parameter
  });

  test.each(['2026-11-20 14:03:00+00', '2026-11-20T14:03:00.5Z', '2026-11-20 14:03:00.123456+05:30', '2024-02-29 23:59:59-0330'])(
    'when the timestamp is %s, then it is accepted',
    (timestamp) => {
      expect(decodeCursor('l', forge('l', timestamp, ID), ['timestamp', 'uuid'])).toEqual([timestamp, ID]);
    },
  );

  test('when the cursor was issued by another listing, then invalid_cursor', () => {
    const cursor = encodeCursor('content:newest', [PG_TIME, ID]);
    expectInvalidCursor(() => decodeCursor('content:oldest', cursor, ['timestamp', 'uuid']));
  });

  test.each([
    ['too few values', forge('l', PG_TIME)],
    ['too many values', forge('l', PG_TIME, ID, ID)],
    ['no values', forge('l')],
  ])('when the cursor has %s, then invalid_cursor', (_case, cursor) => {
    expectInvalidCursor(() => decodeCursor('l', cursor, ['timestamp', 'uuid']));
  });

  test.each<[string, CursorField, unknown]>([
    ['a timestamp that is a number', 'timestamp', 1700000000000],
    ['a timestamp that is words', 'timestamp', 'yesterday at noon'],
    ['a day that does not exist', 'timestamp', '2026-02-30 14:03:00+00'],
    ['February 29th of a common year', 'timestamp', '2025-02-29 14:03:00+00'],
    ['a thirteenth month', 'timestamp', '2026-13-01 14:03:00+00'],
    ['year zero', 'timestamp', '0000-01-01 00:00:00+00'],
    ['hour 24', 'timestamp', '2026-01-01 24:00:00+00'],
    ['a UTC offset beyond 15 hours', 'timestamp', '2026-01-01 14:03:00+16'],
    ['a timestamp with SQL after it', 'timestamp', "2026-01-01 14:03:00+00'; select 1 --"],
    ['a uuid that is not one', 'uuid', 'not-a-uuid'],
    ['a uuid that is a number', 'uuid', 42],
    ['a number that is a string', 'number', '8.5'],
    ['a number that is null (NaN in JSON)', 'number', null],
    ['a number that is a boolean', 'number', true],
    ['a tier above the title tier', 'tier', 4],
    ['a tier below the body tier', 'tier', 0],
    ['a tier between two tiers', 'tier', 2.5],
    ['a tier that is a string', 'tier', '3'],
    ['a string holding NUL', 'string', 'a\u0000b'],
    ['a string over 200 characters', 'string', 'x'.repeat(201)],
    ['a string that is an object', 'string', { brand: 'Sony' }],
  ])('when the cursor holds %s, then invalid_cursor', (_case, field, value) => {
    expectInvalidCursor(() => decodeCursor('l', forge('l', value, ID), [field, 'uuid']));
  });

  test.each([
    ['empty', ''],
    ['not base64 JSON', 'not-a-cursor'],
    ['JSON null', Buffer.from('null').toString('base64url')],
    ['a JSON object', Buffer.from('{"listing":"l"}').toString('base64url')],
    ['a JSON string', Buffer.from('"l"').toString('base64url')],
    ['truncated JSON', forge('l', PG_TIME, ID).slice(0, -6)],
  ])('when the cursor is %s, then invalid_cursor', (_case, cursor) => {
    expectInvalidCursor(() => decodeCursor('l', cursor, ['timestamp', 'uuid']));
  });
});
