import { randomUUID } from 'node:crypto';
import type { components } from '../../generated/reviews.js';
import { useTestApp } from '../support/test-app.js';
import { createEditor, createProduct, editorWithProduct, expectProblem, reviewInput, writeReview } from '../support/fixtures.js';

type Review = components['schemas']['Review'];
type ReviewPage = components['schemas']['ReviewPage'];
type ContentPage = components['schemas']['ContentPage'];

const app = useTestApp();

const storedReviewCount = async (editorId?: string) => {
  const query = app.db.knex('reviews').count({ n: '*' });
  if (editorId) query.where({ editor_id: editorId });
  const [row] = await query;
  return Number(row?.n);
};

const storedReview = (id: string) => app.db.knex('reviews').where({ id }).first('title', 'status', 'version', 'slug', 'published_at');

/** What anonymous readers see of this editor in the public listing. */
async function publishedIdsOf(editorId: string): Promise<string[]> {
  const res = await app.request<ContentPage>('GET', `/v1/content?editor=${editorId}`);
  expect(res.status).toBe(200);
  return res.body.items.map((r) => r.id);
}

const fieldPaths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

describe('POST /v1/reviews', () => {
  test('when an editor publishes a valid review, then 201 with Location, ETag v1, no-store and a slug from the title', async () => {
    const { editor, product } = await editorWithProduct(app);

    const res = await app.request<Review>('POST', '/v1/reviews', {
      token: editor.token,
      body: reviewInput(product.id, { title: 'Fujifilm X-T5: Dials & 40 MP!', status: 'published' }),
    });

    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/reviews/${res.body.id}`);
    expect(res.headers.get('etag')).toBe('"v1"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({
      slug: expect.stringMatching(/^fujifilm-x-t5-dials-40-mp-[a-z0-9]{6}$/),
      status: 'published',
      title: 'Fujifilm X-T5: Dials & 40 MP!',
      version: 1,
      editor: { id: editor.id },
      product: { id: product.id, name: `${product.brand} ${product.model}` },
      published_at: expect.any(String),
    });
    const reader = await app.request('GET', `/v1/content/${res.body.slug}`);
    expect(reader.status).toBe(200);
    expect(reader.body.id).toBe(res.body.id);
  });

  test('when status is omitted, then the review is a draft with no published_at that readers cannot see', async () => {
    const { editor, product } = await editorWithProduct(app);
    const { status: _omitted, ...input } = reviewInput(product.id);

    const res = await app.request<Review>('POST', '/v1/reviews', { token: editor.token, body: input });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'draft', published_at: null, pros: ['Sharp'], images: [{ alt: 'Front view' }] });
    expectProblem(await app.request('GET', `/v1/content/${res.body.slug}`), 404, 'not_found');
    expectProblem(await app.request('GET', `/v1/content/${res.body.id}`), 404, 'not_found');
  });

  test('when optional arrays are omitted, then they default to empty', async () => {
    const { editor, product } = await editorWithProduct(app);
    const { pros: _p, cons: _c, images: _i, ...input } = reviewInput(product.id);

    const res = await app.request<Review>('POST', '/v1/reviews', { token: editor.token, body: input });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ pros: [], cons: [], images: [] });
  });

  test('when the caller is anonymous, then 401 unauthenticated before the body is validated, and nothing is stored', async () => {
    const product = await createProduct(app);
    const before = await storedReviewCount();

    const valid = await app.request('POST', '/v1/reviews', { body: reviewInput(product.id) });
    const invalid = await app.request('POST', '/v1/reviews', { body: { editor_id: randomUUID(), title: 42 } });
    const malformed = await app.request('POST', '/v1/reviews', { rawBody: '{"title": ', headers: { 'content-type': 'application/json' } });
    const oversized = await app.request('POST', '/v1/reviews', { body: reviewInput(product.id, { body: 'x'.repeat(300 * 1024) }) });

    expectProblem(valid, 401, 'unauthenticated');
    expect(valid.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expectProblem(invalid, 401, 'unauthenticated');
    expectProblem(malformed, 401, 'unauthenticated');
    expectProblem(oversized, 401, 'unauthenticated');
    expect(await storedReviewCount()).toBe(before);
  });

  test('when the body sets server-owned or unknown fields, then 400 validation_failed names each, and nothing is stored', async () => {
    const { editor, product } = await editorWithProduct(app);

    const res = await app.request('POST', '/v1/reviews', {
      token: editor.token,
      body: { ...reviewInput(product.id), editor_id: editor.id, id: randomUUID(), slug: 'my-own-slug', colour: 'red' },
    });

    expectProblem(res, 400, 'validation_failed');
    expect(fieldPaths(res.body)).toEqual(expect.arrayContaining(['/body/editor_id', '/body/id', '/body/slug', '/body/colour']));
    expect(await storedReviewCount(editor.id)).toBe(0);
  });

  const invalidInputs: [string, Record<string, unknown>, string][] = [
    ['title is a number', { title: 42 }, '/body/title'],
    ['verdict_score is a string', { verdict_score: '8' }, '/body/verdict_score'],
    ['pros is not an array', { pros: 'Sharp' }, '/body/pros'],
    ['title is over 160 characters', { title: 'x'.repeat(161) }, '/body/title'],
    ['verdict_score is 11', { verdict_score: 11 }, '/body/verdict_score'],
    ['verdict_score is 7.3 (not a multiple of 0.5)', { verdict_score: 7.3 }, '/body/verdict_score'],
    ['an image is served over http', { images: [{ url: 'http://images.example/x.jpg', alt: 'Front' }] }, '/body/images/0/url'],
    ['an image has no alt text', { images: [{ url: 'https://images.example/x.jpg' }] }, '/body/images/0/alt'],
    ['there are 21 pros', { pros: Array.from({ length: 21 }, (_, i) => `Pro ${i}`) }, '/body/pros'],
    ['status is unknown', { status: 'archived' }, '/body/status'],
  ];
  test.each(invalidInputs)('when %s, then 400 validation_failed at that path, and nothing is stored', async (_case, overrides, path) => {
    const { editor, product } = await editorWithProduct(app);

    const res = await app.request('POST', '/v1/reviews', { token: editor.token, body: reviewInput(product.id, overrides) });

    expectProblem(res, 400, 'validation_failed');
    expect(fieldPaths(res.body)).toContain(path);
    expect(await storedReviewCount(editor.id)).toBe(0);
  });

  test('when a required field is missing, then 400 validation_failed, and nothing is stored', async () => {
    const { editor, product } = await editorWithProduct(app);
    const { summary: _missing, ...input } = reviewInput(product.id);

    const res = await app.request('POST', '/v1/reviews', { token: editor.token, body: input });

    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'required' })]));
    expect(await storedReviewCount(editor.id)).toBe(0);
  });

  test('when product_id names no product, then 422 unknown_product, and nothing is stored', async () => {
    const editor = await createEditor(app);

    const res = await app.request('POST', '/v1/reviews', { token: editor.token, body: reviewInput(randomUUID()) });

    expectProblem(res, 422, 'unknown_product');
    expect(await storedReviewCount(editor.id)).toBe(0);
  });

  test('when the body is over 256 KiB, then 413 payload_too_large, and nothing is stored', async () => {
    const { editor, product } = await editorWithProduct(app);

    const res = await app.request('POST', '/v1/reviews', { token: editor.token, body: reviewInput(product.id, { body: 'a'.repeat(300 * 1024) }) });

    expectProblem(res, 413, 'payload_too_large');
    expect(await storedReviewCount(editor.id)).toBe(0);
  });

  test('when the body is text/plain, then 415 unsupported_media_type, and nothing is stored', async () => {
    const { editor, product } = await editorWithProduct(app);

    const res = await app.request('POST', '/v1/reviews', {
      token: editor.token,
      rawBody: JSON.stringify(reviewInput(product.id)),
      headers: { 'content-type': 'text/plain' },
    });

    expectProblem(res, 415, 'unsupported_media_type');
    expect(await storedReviewCount(editor.id)).toBe(0);
  });

  test('when the title is blank or has leading or trailing spaces, then 400 validation_failed at /body/title, and nothing is stored', async () => {
    const { editor, product } = await editorWithProduct(app);

    const results = await Promise.all(
      ['   ', ' Padded title', 'Padded title ', 'Two\nlines'].map((title) =>
        app.request('POST', '/v1/reviews', { token: editor.token, body: reviewInput(product.id, { title }) }),
      ),
    );

    for (const res of results) {
      expectProblem(res, 400, 'validation_failed');
      expect(fieldPaths(res.body)).toContain('/body/title');
    }
    expect(await storedReviewCount(editor.id)).toBe(0);
  });

  test('when the body is not valid JSON, then 400 malformed_json, and nothing is stored', async () => {
    const editor = await createEditor(app);

    const res = await app.request('POST', '/v1/reviews', {
      token: editor.token,
      rawBody: '{"title": "unterminated',
      headers: { 'content-type': 'application/json' },
    });

    expectProblem(res, 400, 'malformed_json');
    expect(await storedReviewCount(editor.id)).toBe(0);
  });
});

describe('GET /v1/reviews', () => {
  test('when an editor lists, then only their own reviews appear, drafts included, most recently updated first', async () => {
    const { editor, product } = await editorWithProduct(app);
    const other = await createEditor(app);
    const first = await writeReview(app, editor, product.id, { status: 'draft' });
    const second = await writeReview(app, editor, product.id, { status: 'published' });
    const third = await writeReview(app, editor, product.id, { status: 'draft' });
    await writeReview(app, other, product.id);
    await app.request('PATCH', `/v1/reviews/${first.id}`, { token: editor.token, body: { summary: 'Touched last.' }, headers: { 'if-match': '*' } });

    const res = await app.request<ReviewPage>('GET', '/v1/reviews', { token: editor.token });

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.items.map((r) => r.id)).toEqual([first.id, third.id, second.id]);
    expect(res.body.next_cursor).toBeNull();
  });

  test('when filtered by status, then only reviews with that status appear', async () => {
    const { editor, product } = await editorWithProduct(app);
    const draft = await writeReview(app, editor, product.id, { status: 'draft' });
    const published = await writeReview(app, editor, product.id, { status: 'published' });

    const drafts = await app.request<ReviewPage>('GET', '/v1/reviews?status=draft', { token: editor.token });
    const live = await app.request<ReviewPage>('GET', '/v1/reviews?status=published', { token: editor.token });

    expect(drafts.body.items.map((r) => r.id)).toEqual([draft.id]);
    expect(live.body.items.map((r) => r.id)).toEqual([published.id]);
  });

  test('when walking pages of 2 by next_cursor, then every review appears exactly once, in order', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written: Review[] = [];
    for (let i = 0; i < 5; i++) written.push(await writeReview(app, editor, product.id, { status: i % 2 ? 'published' : 'draft' }));

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const res = await app.request<ReviewPage>('GET', `/v1/reviews${query}`, { token: editor.token });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((r) => r.id));
      pageSizes.push(res.body.items.length);
      cursor = res.body.next_cursor;
    } while (cursor && pageSizes.length < 10);

    expect(pageSizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(written.map((r) => r.id).reverse());
  });

  test('when the cursor was not issued by this listing, then 400 invalid_cursor', async () => {
    const editor = await createEditor(app);
    await createProduct(app);
    await createProduct(app);
    const products = await app.request('GET', '/v1/products?limit=1');

    const garbage = await app.request('GET', '/v1/reviews?cursor=not-a-cursor', { token: editor.token });
    const foreign = await app.request('GET', `/v1/reviews?cursor=${products.body.next_cursor}`, { token: editor.token });

    expectProblem(garbage, 400, 'invalid_cursor');
    expectProblem(foreign, 400, 'invalid_cursor');
  });

  test.each(['0', '101', 'ten'])('when limit is %s, then 400 validation_failed at /query/limit', async (limit) => {
    const editor = await createEditor(app);

    const res = await app.request('GET', `/v1/reviews?limit=${limit}`, { token: editor.token });

    expectProblem(res, 400, 'validation_failed');
    expect(fieldPaths(res.body)).toContain('/query/limit');
  });

  test('when the caller is anonymous, then 401 unauthenticated', async () => {
    expectProblem(await app.request('GET', '/v1/reviews'), 401, 'unauthenticated');
  });
});

describe('GET /v1/reviews/{reviewId}', () => {
  test('when an editor reads their own review, then 200 with ETag "v<version>" and no-store', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id, { status: 'draft' });

    const res = await app.request<Review>('GET', `/v1/reviews/${written.id}`, { token: editor.token });

    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"v1"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual(written);
  });

  test("when an editor reads another editor's review, then 404 not_found, as if it did not exist", async () => {
    const { editor, product } = await editorWithProduct(app);
    const intruder = await createEditor(app);
    const draft = await writeReview(app, editor, product.id, { status: 'draft' });
    const published = await writeReview(app, editor, product.id, { status: 'published' });

    expectProblem(await app.request('GET', `/v1/reviews/${draft.id}`, { token: intruder.token }), 404, 'not_found');
    expectProblem(await app.request('GET', `/v1/reviews/${published.id}`, { token: intruder.token }), 404, 'not_found');
  });

  test("when an admin reads another editor's draft, then 200", async () => {
    const { editor, product } = await editorWithProduct(app);
    const admin = await createEditor(app, 'admin');
    const draft = await writeReview(app, editor, product.id, { status: 'draft' });

    const res = await app.request<Review>('GET', `/v1/reviews/${draft.id}`, { token: admin.token });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: draft.id, editor: { id: editor.id } });
  });

  test('when no review has the id, then 404 not_found', async () => {
    const editor = await createEditor(app);

    expectProblem(await app.request('GET', `/v1/reviews/${randomUUID()}`, { token: editor.token }), 404, 'not_found');
  });

  test('when the id is not a uuid, then 400 validation_failed at /path/reviewId', async () => {
    const editor = await createEditor(app);

    const res = await app.request('GET', '/v1/reviews/not-a-uuid', { token: editor.token });

    expectProblem(res, 400, 'validation_failed');
    expect(fieldPaths(res.body)).toContain('/path/reviewId');
  });
});

describe('PATCH /v1/reviews/{reviewId}', () => {
  test('when the title changes, then the version and ETag move on and the slug stays', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id, { title: 'Original title' });

    const res = await app.request<Review>('PATCH', `/v1/reviews/${written.id}`, {
      token: editor.token,
      body: { title: 'A better title' },
      headers: { 'if-match': '*' },
    });

    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"v2"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ title: 'A better title', version: 2, slug: written.slug, summary: written.summary });
    expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(written.updated_at));
    const read = await app.request<Review>('GET', `/v1/reviews/${written.id}`, { token: editor.token });
    expect(read.headers.get('etag')).toBe('"v2"');
    expect(read.body.title).toBe('A better title');
  });

  test('when If-Match is the current ETag, then 200', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id);

    const res = await app.request<Review>('PATCH', `/v1/reviews/${written.id}`, {
      token: editor.token,
      body: { verdict_score: 9.5 },
      headers: { 'if-match': '"v1"' },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verdict_score: 9.5, version: 2 });
  });

  test('when If-Match is missing, then 428 precondition_required and the review is unchanged', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id, { title: 'Kept title' });

    const res = await app.request('PATCH', `/v1/reviews/${written.id}`, { token: editor.token, body: { title: 'Blind overwrite' } });

    expectProblem(res, 428, 'precondition_required');
    expect(await storedReview(written.id)).toMatchObject({ title: 'Kept title', version: 1 });
  });

  test('when If-Match is a stale ETag, then 412 precondition_failed and the review is unchanged', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id, { title: 'First title' });
    await app.request('PATCH', `/v1/reviews/${written.id}`, { token: editor.token, body: { title: 'Second title' }, headers: { 'if-match': '*' } });

    const res = await app.request('PATCH', `/v1/reviews/${written.id}`, {
      token: editor.token,
      body: { title: 'Lost update' },
      headers: { 'if-match': '"v1"' },
    });

    expectProblem(res, 412, 'precondition_failed');
    expect(await storedReview(written.id)).toMatchObject({ title: 'Second title', version: 2 });
  });

  test('when a draft is published, then published_at is set and readers can see it', async () => {
    const { editor, product } = await editorWithProduct(app);
    const draft = await writeReview(app, editor, product.id, { status: 'draft' });

    const res = await app.request<Review>('PATCH', `/v1/reviews/${draft.id}`, {
      token: editor.token,
      body: { status: 'published' },
      headers: { 'if-match': '*' },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'published', published_at: expect.any(String) });
    const reader = await app.request('GET', `/v1/content/${draft.slug}`);
    expect(reader.status).toBe(200);
    expect(reader.body.published_at).toBe(res.body.published_at);
    expect(await publishedIdsOf(editor.id)).toEqual([draft.id]);
  });

  test('when a published review is unpublished, then published_at is cleared and readers no longer see it', async () => {
    const { editor, product } = await editorWithProduct(app);
    const published = await writeReview(app, editor, product.id, { status: 'published' });

    const res = await app.request<Review>('PATCH', `/v1/reviews/${published.id}`, {
      token: editor.token,
      body: { status: 'draft' },
      headers: { 'if-match': '*' },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'draft', published_at: null });
    expectProblem(await app.request('GET', `/v1/content/${published.slug}`), 404, 'not_found');
    expect(await publishedIdsOf(editor.id)).toEqual([]);
  });

  test('when another editor edits the review, then 404 not_found and it is unchanged', async () => {
    const { editor, product } = await editorWithProduct(app);
    const intruder = await createEditor(app);
    const written = await writeReview(app, editor, product.id, { title: 'Mine alone' });

    const res = await app.request('PATCH', `/v1/reviews/${written.id}`, { token: intruder.token, body: { title: 'Hijacked' }, headers: { 'if-match': '*' } });

    expectProblem(res, 404, 'not_found');
    expect(await storedReview(written.id)).toMatchObject({ title: 'Mine alone', version: 1 });
  });

  test.each([
    ['slug', 'new-slug'],
    ['editor_id', randomUUID()],
    ['product_id', randomUUID()],
    ['published_at', '2020-01-01T00:00:00.000Z'],
  ])('when the patch sets read-only %s, then 400 validation_failed and the review is unchanged', async (field, value) => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id);

    const res = await app.request('PATCH', `/v1/reviews/${written.id}`, { token: editor.token, body: { [field]: value }, headers: { 'if-match': '*' } });

    expectProblem(res, 400, 'validation_failed');
    expect(fieldPaths(res.body)).toContain(`/body/${field}`);
    expect(await storedReview(written.id)).toMatchObject({ slug: written.slug, version: 1 });
  });

  test('when the patch is empty, then 400 validation_failed and the version does not move', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id);

    const res = await app.request('PATCH', `/v1/reviews/${written.id}`, { token: editor.token, body: {}, headers: { 'if-match': '*' } });

    expectProblem(res, 400, 'validation_failed');
    expect(await storedReview(written.id)).toMatchObject({ version: 1 });
  });

  test('when the patch breaks a field rule, then 400 validation_failed and the review is unchanged', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id);

    const res = await app.request('PATCH', `/v1/reviews/${written.id}`, { token: editor.token, body: { verdict_score: 7.3 }, headers: { 'if-match': '*' } });

    expectProblem(res, 400, 'validation_failed');
    expect(await storedReview(written.id)).toMatchObject({ version: 1 });
  });

  test('when the patch is sent as application/json, then 415 unsupported_media_type and the review is unchanged', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id, { title: 'Kept title' });

    const res = await app.request('PATCH', `/v1/reviews/${written.id}`, {
      token: editor.token,
      body: { title: 'Changed title' },
      headers: { 'if-match': '*', 'content-type': 'application/json' },
    });

    expectProblem(res, 415, 'unsupported_media_type');
    expect(await storedReview(written.id)).toMatchObject({ title: 'Kept title', version: 1 });
  });

  test('when the caller is anonymous, then 401 unauthenticated and the review is unchanged', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id);

    expectProblem(await app.request('PATCH', `/v1/reviews/${written.id}`, { body: { title: 'Anonymous edit' } }), 401, 'unauthenticated');
    expect(await storedReview(written.id)).toMatchObject({ version: 1 });
  });
});

describe('DELETE /v1/reviews/{reviewId}', () => {
  test('when an editor deletes their own published review, then 204 and it is gone for them and for readers', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id, { status: 'published' });

    const res = await app.request('DELETE', `/v1/reviews/${written.id}`, { token: editor.token, headers: { 'if-match': '*' } });

    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectProblem(await app.request('GET', `/v1/reviews/${written.id}`, { token: editor.token }), 404, 'not_found');
    expectProblem(await app.request('GET', `/v1/content/${written.slug}`), 404, 'not_found');
    expect(await publishedIdsOf(editor.id)).toEqual([]);
  });

  test("when an editor deletes another editor's review, then 404 not_found and it is still there", async () => {
    const { editor, product } = await editorWithProduct(app);
    const intruder = await createEditor(app);
    const written = await writeReview(app, editor, product.id);

    const res = await app.request('DELETE', `/v1/reviews/${written.id}`, { token: intruder.token, headers: { 'if-match': '*' } });

    expectProblem(res, 404, 'not_found');
    expect((await app.request('GET', `/v1/reviews/${written.id}`, { token: editor.token })).status).toBe(200);
  });

  test("when an admin deletes another editor's review, then 204", async () => {
    const { editor, product } = await editorWithProduct(app);
    const admin = await createEditor(app, 'admin');
    const written = await writeReview(app, editor, product.id);

    const res = await app.request('DELETE', `/v1/reviews/${written.id}`, { token: admin.token, headers: { 'if-match': '*' } });

    expect(res.status).toBe(204);
    expect(await storedReview(written.id)).toBeUndefined();
  });

  test('when If-Match is missing, then 428 precondition_required and the review is still there', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id);

    const res = await app.request('DELETE', `/v1/reviews/${written.id}`, { token: editor.token });

    expectProblem(res, 428, 'precondition_required');
    expect(await storedReview(written.id)).toMatchObject({ version: 1 });
  });

  test('when If-Match is stale, then 412 precondition_failed and it is still there; with the current ETag, 204', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id);
    await app.request('PATCH', `/v1/reviews/${written.id}`, { token: editor.token, body: { summary: 'Edited since.' }, headers: { 'if-match': '*' } });

    const stale = await app.request('DELETE', `/v1/reviews/${written.id}`, { token: editor.token, headers: { 'if-match': '"v1"' } });
    const storedAfterStale = await storedReview(written.id);
    const current = await app.request('DELETE', `/v1/reviews/${written.id}`, { token: editor.token, headers: { 'if-match': '"v2"' } });

    expectProblem(stale, 412, 'precondition_failed');
    expect(storedAfterStale).toMatchObject({ version: 2 });
    expect(current.status).toBe(204);
    expect(await storedReview(written.id)).toBeUndefined();
  });

  test('when the caller is anonymous, then 401 unauthenticated and it is still there', async () => {
    const { editor, product } = await editorWithProduct(app);
    const written = await writeReview(app, editor, product.id);

    expectProblem(await app.request('DELETE', `/v1/reviews/${written.id}`), 401, 'unauthenticated');
    expect(await storedReview(written.id)).toMatchObject({ version: 1 });
  });
});
