import knex from 'knex';
import { fixedLimit } from '../../src/data/prepared.js';
import { pageFetchSize, toPage } from '../../src/domain/page.js';

describe('page fetch sizes', () => {
  it('when any page size the contract allows is asked then one more row is fetched, in one of five sizes', () => {
    const sizes = new Set<number>();
    for (let limit = 1; limit <= 50; limit++) {
      const size = pageFetchSize(limit);
      expect(size).toBeGreaterThan(limit);
      sizes.add(size);
    }
    expect([...sizes].sort((a, b) => a - b)).toEqual([11, 21, 31, 41, 51]);
  });

  it('when more rows than the page were fetched then the page keeps its size and says another follows', () => {
    const rows = Array.from({ length: pageFetchSize(15) }, (_, i) => ({ n: i }));
    const page = toPage(rows, 15, 'test', (r) => [r.n]);
    expect(page.items).toHaveLength(15);
    expect(page.next_cursor).not.toBeNull();
    expect(toPage(rows.slice(0, 15), 15, 'test', (r) => [r.n]).next_cursor).toBeNull();
  });
});

describe('fixedLimit', () => {
  const db = knex({ client: 'pg' });
  afterAll(() => db.destroy());

  it('when a limit and offset are fixed then they are written into the SQL, not bound', () => {
    const { sql, bindings } = fixedLimit(db('reviews').select('id').where('status', 'published'), 21, 999).toSQL().toNative();
    expect(sql).toBe('select "id" from "reviews" where "status" = $1 limit 21 offset 999');
    expect(bindings).toEqual(['published']);
  });

  it('when the limit is not a whole row count then nothing is written into the SQL', () => {
    expect(() => fixedLimit(db('reviews'), 2.5)).toThrow(/not a row count/);
    expect(() => fixedLimit(db('reviews'), Number.NaN)).toThrow(/not a row count/);
    expect(() => fixedLimit(db('reviews'), 10, -1)).toThrow(/not a row count/);
  });
});
