import { randomBytes, randomUUID } from 'node:crypto';
import type { components } from '../../generated/reviews.js';
import { useTestApp } from '../support/test-app.js';
import { createEditor, createProduct, expectProblem, writeReview } from '../support/fixtures.js';

type Product = components['schemas']['Product'];
type ProductPage = components['schemas']['ProductPage'];
type ProductDetail = components['schemas']['ProductDetail'];

const app = useTestApp();

/** A brand (or other label) no other test uses, so list filters see only this test's products. */
const unique = (prefix: string) => `${prefix}${randomBytes(4).toString('hex')}`;

const listIds = async (query: string) => {
  const res = await app.request<ProductPage>('GET', `/v1/products?${query}`);
  expect(res.status).toBe(200);
  return res.body.items.map((p) => p.id);
};

const storedProductCount = async (brand: string) => {
  const [row] = await app.db.knex('products').whereRaw('lower(brand) = lower(?)', [brand]).count({ n: '*' });
  return Number(row?.n);
};

const fieldPaths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

describe('GET /v1/products', () => {
  test('when a reader lists anonymously, then 200 with a public, cacheable page and an ETag', async () => {
    const brand = unique('Pub');
    const created = await createProduct(app, { brand, model: 'One', mount: 'E', specs: { resolution_mp: 33, ibis: true } });

    const res = await app.request<ProductPage>('GET', `/v1/products?brand=${brand}`);

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/\bpublic\b/);
    expect(res.headers.get('cache-control')).toMatch(/\bmax-age=\d+/);
    expect(res.headers.get('etag')).toMatch(/^"/);
    expect(res.body).toEqual({
      items: [
        {
          id: created.id,
          type: 'camera',
          brand,
          model: 'One',
          name: `${brand} One`,
          mount: 'E',
          released_year: null,
          specs: { resolution_mp: 33, ibis: true },
          review_count: 0,
          average_verdict: null,
          created_at: expect.any(String),
        },
      ],
      next_cursor: null,
    });
  });

  test('when filtered by type, then only that type appears', async () => {
    const brand = unique('Type');
    const camera = await createProduct(app, { brand, type: 'camera' });
    const lens = await createProduct(app, { brand, type: 'lens' });

    const res = await app.request<ProductPage>('GET', '/v1/products?type=lens&limit=100');

    expect(res.body.items.every((p) => p.type === 'lens')).toBe(true);
    expect(res.body.items.map((p) => p.id)).toContain(lens.id);
    expect(res.body.items.map((p) => p.id)).not.toContain(camera.id);
  });

  test('when filtered by brand in another case, then exactly that brand appears', async () => {
    const brand = unique('Case');
    const a = await createProduct(app, { brand, model: 'A' });
    const b = await createProduct(app, { brand, model: 'B' });
    await createProduct(app, { brand: `${brand}x`, model: 'A' });

    expect(await listIds(`brand=${brand.toUpperCase()}`)).toEqual([a.id, b.id]);
  });

  test('when filtered by mount in another case, then exactly that mount appears', async () => {
    const mount = unique('Mount');
    const fits = await createProduct(app, { type: 'lens', mount });
    await createProduct(app, { type: 'lens', mount: `${mount}x` });
    await createProduct(app, { mount: null });

    expect(await listIds(`mount=${mount.toLowerCase()}`)).toEqual([fits.id]);
  });

  test('when q is a substring of brand or model, then matching products appear, in any case', async () => {
    const token = randomBytes(4).toString('hex');
    const byModel = await createProduct(app, { brand: unique('Q'), model: `Mark ${token} Pro` });
    const byBrand = await createProduct(app, { brand: `Lab${token}z`, model: 'Basic' });
    const neither = await createProduct(app);

    const ids = await listIds(`q=${token.toUpperCase()}&limit=100`);

    expect(ids).toEqual(expect.arrayContaining([byModel.id, byBrand.id]));
    expect(ids).toHaveLength(2);
    expect(ids).not.toContain(neither.id);
  });

  test('when q holds LIKE wildcards, then they match literally', async () => {
    await createProduct(app);

    expect(await listIds('q=%25')).toEqual([]);
    expect(await listIds('q=_')).toEqual([]);
  });

  test('when walking pages of 2 by next_cursor, then every product appears once, by model', async () => {
    const brand = unique('Page');
    const models = ['E', 'a', 'C', 'd', 'B'];
    const created = [];
    for (const model of models) created.push(await createProduct(app, { brand, model }));

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `brand=${brand}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await app.request<ProductPage>('GET', `/v1/products?${query}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((p) => p.model));
      pageSizes.push(res.body.items.length);
      cursor = res.body.next_cursor;
    } while (cursor && pageSizes.length < 10);

    expect(pageSizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(['a', 'B', 'C', 'd', 'E']);
  });

  test('when products have drafts and published reviews, then review_count and average_verdict count only the published', async () => {
    const editor = await createEditor(app);
    const brand = unique('Stats');
    const product = await createProduct(app, { brand });
    await writeReview(app, editor, product.id, { status: 'published', verdict_score: 8 });
    await writeReview(app, editor, product.id, { status: 'published', verdict_score: 9 });
    await writeReview(app, editor, product.id, { status: 'draft', verdict_score: 2 });

    const list = await app.request<ProductPage>('GET', `/v1/products?brand=${brand}`);
    const detail = await app.request<ProductDetail>('GET', `/v1/products/${product.id}`);

    expect(list.body.items[0]).toMatchObject({ review_count: 2, average_verdict: 8.5 });
    expect(detail.body).toMatchObject({ review_count: 2, average_verdict: 8.5 });
  });

  test('when a query parameter is not in the contract, then 400 validation_failed', async () => {
    const res = await app.request('GET', '/v1/products?colour=black');

    expectProblem(res, 400, 'validation_failed');
    expect(fieldPaths(res.body)).toContain('/query/colour');
  });

  test.each(['limit=0', 'limit=101', 'type=drone'])('when %s, then 400 validation_failed', async (query) => {
    expectProblem(await app.request('GET', `/v1/products?${query}`), 400, 'validation_failed');
  });

  test('when the cursor is not one this listing issued, then 400 invalid_cursor', async () => {
    expectProblem(await app.request('GET', '/v1/products?cursor=not-a-cursor'), 400, 'invalid_cursor');
  });

  test('when If-None-Match is the current ETag, then 304 with no body; after a change, 200 with a new ETag', async () => {
    const brand = unique('Etag');
    await createProduct(app, { brand });
    const first = await app.request('GET', `/v1/products?brand=${brand}`);
    // fetch adds `Cache-Control: no-cache` to a request with If-None-Match unless one is set;
    // as a revalidating CDN sends it (fetch itself adds no-cache, tested in content.test.ts)
    const revalidate = { headers: { 'if-none-match': first.headers.get('etag') ?? '', 'cache-control': 'max-age=0' } };

    const unchanged = await app.request('GET', `/v1/products?brand=${brand}`, revalidate);
    await createProduct(app, { brand });
    const changed = await app.request<ProductPage>('GET', `/v1/products?brand=${brand}`, revalidate);

    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect(changed.body.items).toHaveLength(2);
  });
});

describe('GET /v1/products/{productId}', () => {
  test('when the product exists, then 200, public, with its published reviews newest first', async () => {
    const editor = await createEditor(app);
    const product = await createProduct(app);
    const oldest = await writeReview(app, editor, product.id, { status: 'published' });
    const draft = await writeReview(app, editor, product.id, { status: 'draft' });
    const newer = await writeReview(app, editor, product.id, { status: 'published' });
    await app.request('PATCH', `/v1/reviews/${draft.id}`, { token: editor.token, body: { status: 'published' }, headers: { 'if-match': '*' } });
    const unpublished = await writeReview(app, editor, product.id, { status: 'draft' });

    const res = await app.request<ProductDetail>('GET', `/v1/products/${product.id}`);

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/\bpublic\b/);
    expect(res.body).toMatchObject({ id: product.id, brand: product.brand, model: product.model, review_count: 3 });
    expect(res.body.latest_reviews.map((r) => r.id)).toEqual([draft.id, newer.id, oldest.id]);
    expect(res.body.latest_reviews.map((r) => r.id)).not.toContain(unpublished.id);
  });

  test('when no product has the id, then 404 not_found', async () => {
    expectProblem(await app.request('GET', `/v1/products/${randomUUID()}`), 404, 'not_found');
  });

  test('when the id is not a uuid, then 400 validation_failed at /path/productId', async () => {
    const res = await app.request('GET', '/v1/products/x-t5');

    expectProblem(res, 400, 'validation_failed');
    expect(fieldPaths(res.body)).toContain('/path/productId');
  });
});

describe('POST /v1/products', () => {
  test('when an editor adds a product, then 201 with Location, and it can be read there', async () => {
    const editor = await createEditor(app);
    const brand = unique('New');
    const input = { type: 'lens', brand, model: 'XF 33mm F1.4', mount: 'X', released_year: 2022, specs: { max_aperture: 1.4, weather_sealed: true } };

    const res = await app.request<Product>('POST', '/v1/products', { token: editor.token, body: input });

    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/products/${res.body.id}`);
    expect(res.body).toMatchObject({ ...input, name: `${brand} XF 33mm F1.4`, review_count: 0, average_verdict: null });
    const read = await app.request<ProductDetail>('GET', res.headers.get('location') ?? '');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: res.body.id, latest_reviews: [] });
  });

  test('when the brand and model exist in another case, then 409 already_exists and no second row', async () => {
    const editor = await createEditor(app);
    const brand = unique('Dup');
    await createProduct(app, { brand, model: 'X-T5' });

    const res = await app.request('POST', '/v1/products', {
      token: editor.token,
      body: { type: 'camera', brand: brand.toUpperCase(), model: 'x-t5' },
    });

    expectProblem(res, 409, 'already_exists');
    expect(await storedProductCount(brand)).toBe(1);
  });

  test('when the caller is anonymous, then 401 unauthenticated and nothing is stored', async () => {
    const brand = unique('Anon');

    const res = await app.request('POST', '/v1/products', { body: { type: 'camera', brand, model: 'Z' } });

    expectProblem(res, 401, 'unauthenticated');
    expect(await storedProductCount(brand)).toBe(0);
  });

  test('when specs has a key the contract does not define, then 400 validation_failed and nothing is stored', async () => {
    const editor = await createEditor(app);
    const brand = unique('Spec');

    const res = await app.request('POST', '/v1/products', {
      token: editor.token,
      body: { type: 'camera', brand, model: 'Z', specs: { megapixels: 24 } },
    });

    expectProblem(res, 400, 'validation_failed');
    expect(fieldPaths(res.body)).toContain('/body/specs/megapixels');
    expect(await storedProductCount(brand)).toBe(0);
  });

  test('when model is missing, then 400 validation_failed and nothing is stored', async () => {
    const editor = await createEditor(app);
    const brand = unique('NoModel');

    const res = await app.request('POST', '/v1/products', { token: editor.token, body: { type: 'camera', brand } });

    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'required' })]));
    expect(await storedProductCount(brand)).toBe(0);
  });
});
