import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { startTestApp, useTestApp, type TestApp } from '../support/test-app.js';
import { createEditor, createProduct, writeReview } from '../support/fixtures.js';

// The in-process response cache: what readers get from it, and that a change is never hidden by it —
// on the instance that made the change and on every other instance of the same database.

const sharedDatabase = Boolean(process.env.TEST_DATABASE_URL);
if (!sharedDatabase) {
  process.stderr.write('read-cache: the two-instance and change-feed tests need TEST_DATABASE_URL (PostgreSQL); they are skipped on the embedded database\n');
}
const onPostgres = sharedDatabase ? describe : describe.skip;

const app = useTestApp();

const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);
/** Polls until the condition holds. The deadline is for a busy machine, and well under the read cache's 60 s TTL: passing never means the entry merely expired. */
const waitFor = async (condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe('public read cache on one instance', () => {
  test('when the same public read is asked again, then it is answered from memory with the same bytes, ETag and headers', async () => {
    const author = await createEditor(app);
    const product = await createProduct(app);
    await writeReview(app, author, product.id);
    const path = `/v1/content?editor=${author.id}`;
    // on PostgreSQL the change feed brings these writes back a second time, and would empty the cache between the two reads
    await app.runtime.changesHeard();

    const first = await app.request('GET', path);
    const before = app.runtime.cache.counters();
    const second = await app.request('GET', path);

    expect(app.runtime.cache.counters().hits).toBe(before.hits + 1);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    const headersOf = (h: Headers) => Object.fromEntries([...h].filter(([name]) => !['x-request-id', 'date', 'keep-alive', 'connection'].includes(name)));
    expect(headersOf(second.headers)).toEqual(headersOf(first.headers));
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
  });

  test('when a cached read is revalidated with its ETag, then 304 with no body', async () => {
    const path = '/v1/content?sort=oldest';
    await app.runtime.changesHeard(); // the earlier tests' writes
    const first = await app.request('GET', path);
    const before = app.runtime.cache.counters().hits;

    const again = await app.request('GET', path, { headers: { 'if-none-match': first.headers.get('etag') ?? '' } });

    expect(app.runtime.cache.counters().hits).toBe(before + 1);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.headers.get('cache-control')).toBe(first.headers.get('cache-control'));
    expect(again.headers.get('content-length')).toBeNull();
    expect(again.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('when an editor publishes, then the very next read shows it, with no TTL to wait for', async () => {
    const author = await createEditor(app);
    const product = await createProduct(app);
    const path = `/v1/content?editor=${author.id}`;
    expect(ids((await app.request('GET', path)).body)).toEqual([]);

    const review = await writeReview(app, author, product.id);

    expect(ids((await app.request('GET', path)).body)).toEqual([review.id]);
  });

  test('when an editor unpublishes or deletes, then the review disappears from the next read', async () => {
    const author = await createEditor(app);
    const product = await createProduct(app);
    const kept = await writeReview(app, author, product.id);
    const unpublished = await writeReview(app, author, product.id);
    const deleted = await writeReview(app, author, product.id);
    const path = `/v1/content?editor=${author.id}`;
    expect(ids((await app.request('GET', path)).body)).toHaveLength(3);
    await app.request('GET', `/v1/content/${unpublished.slug}`); // cached too

    const patch = await app.request('PATCH', `/v1/reviews/${unpublished.id}`, { token: author.token, body: { status: 'draft' }, headers: { 'if-match': '*' } });
    const del = await app.request('DELETE', `/v1/reviews/${deleted.id}`, { token: author.token, headers: { 'if-match': '*' } });

    expect([patch.status, del.status]).toEqual([200, 204]);
    expect(ids((await app.request('GET', path)).body)).toEqual([kept.id]);
    expect((await app.request('GET', `/v1/content/${unpublished.slug}`)).status).toBe(404);
  });

  test('when an editor only saves a draft, then the public cache is kept', async () => {
    const author = await createEditor(app);
    const product = await createProduct(app);
    await app.request('GET', '/v1/content?sort=verdict');
    await app.runtime.changesHeard();
    const before = app.runtime.cache.counters().invalidations;

    await writeReview(app, author, product.id, { status: 'draft' });
    await app.runtime.changesHeard(); // on PostgreSQL, a notification the draft sent would have come back by now

    expect(app.runtime.cache.counters().invalidations).toBe(before);
  });

  test('when a product is added to the catalog, then product listings show it at once', async () => {
    await app.request('GET', '/v1/products?limit=100');
    const product = await createProduct(app);

    const listed = await app.request('GET', `/v1/products?limit=100&brand=${encodeURIComponent(product.brand)}`);
    const all = await app.request('GET', '/v1/products?limit=100');

    expect(listed.body.items.map((p: { id: string }) => p.id)).toContain(product.id);
    expect(all.status).toBe(200);
  });
});

describe('public read cache expiry', () => {
  let short: TestApp;
  beforeAll(async () => {
    // 3 s fresh: long enough that the 20 readers below finish before the refreshed entry goes stale again, even on a busy machine
    short = await startTestApp({ READ_CACHE_TTL_SECONDS: '3', READ_CACHE_STALE_SECONDS: '60' }, { sharingClientOf: app });
  });
  afterAll(async () => {
    await short.close();
  });

  test('when an entry goes stale under load, then every reader is answered from it and only one refresh runs', async () => {
    const path = '/v1/content?limit=5';
    const first = await short.request('GET', path);
    await new Promise((resolve) => setTimeout(resolve, 3100));
    const before = short.runtime.cache.counters();

    const responses = await Promise.all(Array.from({ length: 20 }, () => short.request('GET', path)));

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(responses.every((r) => r.text === first.text)).toBe(true);
    const after = short.runtime.cache.counters();
    expect(after.refreshes - before.refreshes).toBe(1);
    expect(after.misses).toBe(before.misses);
  });
});

describe('public read cache turned off', () => {
  let uncached: TestApp;
  beforeAll(async () => {
    uncached = await startTestApp({ READ_CACHE_TTL_SECONDS: '0' }, { sharingClientOf: app });
  });
  afterAll(async () => {
    await uncached.close();
  });

  test('when READ_CACHE_TTL_SECONDS=0, then reads are served from the database every time, with the same caching headers', async () => {
    const a = await uncached.request('GET', '/v1/content');
    const b = await uncached.request('GET', '/v1/content');

    expect(uncached.runtime.cache.counters()).toMatchObject({ hits: 0, keys: 0 });
    expect(b.headers.get('etag')).toBe(a.headers.get('etag'));
    expect(b.headers.get('cache-control')).toMatch(/^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+/);
  });
});

onPostgres('public read cache across instances (PostgreSQL)', () => {
  let other: TestApp;
  beforeAll(async () => {
    other = await startTestApp({}, { sameDatabaseAs: app });
  });
  afterAll(async () => {
    await other.close();
  });

  test('when an editor publishes through one instance, then the other instance stops serving its cached page without waiting for a TTL', async () => {
    const author = await createEditor(app);
    const product = await createProduct(app);
    const path = `/v1/content?editor=${author.id}`;
    expect(ids((await other.request('GET', path)).body)).toEqual([]);
    expect(ids((await other.request('GET', path)).body)).toEqual([]); // now from other's memory

    const review = await writeReview(app, author, product.id);

    await waitFor(async () => ids((await other.request('GET', path)).body).includes(review.id));
  });

  test('when someone changes content straight in the database, then every instance hears it', async () => {
    const author = await createEditor(app);
    const product = await createProduct(app);
    const review = await writeReview(app, author, product.id, { title: 'Before the direct edit' });
    const path = `/v1/content/${review.slug}`;
    await app.request('GET', path);
    await other.request('GET', path);

    await app.db.knex('reviews').where({ id: review.id }).update({ title: 'After the direct edit' });

    for (const instance of [app, other]) {
      await waitFor(async () => (await instance.request('GET', path)).body.title === 'After the direct edit');
    }
  });

  test('when the change feed connection is lost, then reads bypass the cache until it is back, and nothing missed meanwhile is served stale', async () => {
    const author = await createEditor(app);
    const product = await createProduct(app);
    const path = `/v1/content?editor=${author.id}`;
    await other.request('GET', path);
    expect(other.runtime.cache.active).toBe(true);

    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1`, [
        `change-feed:${other.config.database.schema}`.slice(0, 63),
      ]);
      await waitFor(() => !other.runtime.cache.active);
      const review = await writeReview(app, author, product.id);

      const during = await other.request('GET', path);
      expect(during.status).toBe(200);
      expect(ids(during.body)).toEqual([review.id]);
      await waitFor(() => other.runtime.cache.active);
      expect(ids((await other.request('GET', path)).body)).toEqual([review.id]);
    } finally {
      await admin.end();
    }
  });
});
