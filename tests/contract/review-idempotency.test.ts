import { randomUUID } from 'node:crypto';
import type { components } from '../../generated/reviews.js';
import { fingerprintOf } from '../../src/domain/idempotency.js';
import { createEditor, editorWithProduct, expectProblem, reviewInput, type TestEditor } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';

// Idempotency-Key on review posts (draft-ietf-httpapi-idempotency-key-header), against the real app
// and database. States the API cannot be driven into from outside in a test's time (a request still in
// flight, a server that died mid-request, a key a day old) are written straight into the table.

type Review = components['schemas']['Review'];
type ReviewPage = components['schemas']['ReviewPage'];

const app = useTestApp();

/** A review post with this Idempotency-Key: a Review when 201, a problem otherwise. */
const post = (editor: TestEditor, key: string, body: unknown) =>
  app.request('POST', '/v1/reviews', { token: editor.token, body, headers: { 'idempotency-key': key } });

/** The editor's reviews as the API lists them. */
async function reviewIdsOf(editor: TestEditor): Promise<string[]> {
  const res = await app.request<ReviewPage>('GET', '/v1/reviews?limit=100', { token: editor.token });
  expect(res.status).toBe(200);
  return res.body.items.map((r) => r.id);
}

/** A key row as a claim or an old request left it, `ageSeconds` ago. */
async function storeKey(editor: TestEditor, key: string, body: unknown, ageSeconds: number, completed?: { id: string }) {
  await app.db.knex('idempotency_keys').insert({
    editor_id: editor.id,
    key,
    fingerprint: fingerprintOf(body),
    created_at: app.db.knex.raw('now() - make_interval(secs => ?)', [ageSeconds]),
    ...(completed && {
      status: 'completed',
      response_status: 201,
      response_headers: JSON.stringify({ Location: `/v1/reviews/${completed.id}`, ETag: '"v1"' }),
      response_body: JSON.stringify({ id: completed.id }),
    }),
  });
}

const storedKey = (editor: TestEditor, key: string) => app.db.knex('idempotency_keys').where({ editor_id: editor.id, key }).first('status');

describe('POST /v1/reviews with an Idempotency-Key', () => {
  test('when a post is repeated with the same key and body, then the first 201 comes back (body, Location, ETag) and one review exists', async () => {
    const { editor, product } = await editorWithProduct(app);
    const key = randomUUID();
    const body = reviewInput(product.id);

    const first = await post(editor, key, body);
    const repeat = await post(editor, key, body);

    expect(first.status).toBe(201);
    expect(repeat.status).toBe(201);
    expect(repeat.text).toBe(first.text);
    expect(repeat.headers.get('location')).toBe(`/v1/reviews/${first.body.id}`);
    expect(repeat.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(repeat.headers.get('cache-control')).toBe('no-store');
    expect(await reviewIdsOf(editor)).toEqual([first.body.id]);
  });

  test('when the review was edited after the first post, then a repeat still answers the first 201, not the review as it is now', async () => {
    const { editor, product } = await editorWithProduct(app);
    const key = randomUUID();
    const body = reviewInput(product.id, { title: 'As first posted' });
    const first = await post(editor, key, body);
    await app.request('PATCH', `/v1/reviews/${first.body.id}`, { token: editor.token, body: { title: 'Edited since' }, headers: { 'if-match': '*' } });

    const repeat = await post(editor, key, body);

    expect(repeat.status).toBe(201);
    expect(repeat.body).toMatchObject({ id: first.body.id, title: 'As first posted', version: 1 });
    expect(repeat.headers.get('etag')).toBe('"v1"');
    expect(await reviewIdsOf(editor)).toEqual([first.body.id]);
  });

  test('when the repeat sends the same members in another order and spacing, then it is the same request', async () => {
    const { editor, product } = await editorWithProduct(app);
    const key = randomUUID();
    const body = reviewInput(product.id);
    const first = await post(editor, key, body);
    const reordered = Object.fromEntries(Object.entries(body).reverse());

    const repeat = await app.request<Review>('POST', '/v1/reviews', {
      token: editor.token,
      rawBody: JSON.stringify(reordered, null, 2),
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
    });

    expect(repeat.status).toBe(201);
    expect(repeat.body.id).toBe(first.body.id);
    expect(await reviewIdsOf(editor)).toEqual([first.body.id]);
  });

  test('when the same key comes with a different body, then 422 idempotency_key_reused and nothing more is created', async () => {
    const { editor, product } = await editorWithProduct(app);
    const key = randomUUID();
    const first = await post(editor, key, reviewInput(product.id, { verdict_score: 8 }));

    const res = await post(editor, key, reviewInput(product.id, { verdict_score: 9 }));

    expectProblem(res, 422, 'idempotency_key_reused');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/headers/idempotency-key' })]);
    expect(await reviewIdsOf(editor)).toEqual([first.body.id]);
  });

  test('when two editors send the same key, then each gets a review of their own', async () => {
    const { editor, product } = await editorWithProduct(app);
    const other = await createEditor(app);
    const key = randomUUID();

    const mine = await post(editor, key, reviewInput(product.id, { title: 'Mine' }));
    const theirs = await post(other, key, reviewInput(product.id, { title: 'Theirs' }));

    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(await reviewIdsOf(editor)).toEqual([mine.body.id]);
    expect(await reviewIdsOf(other)).toEqual([theirs.body.id]);
  });

  test('when the same keyed post arrives several times at once, then exactly one review is created and every answer is it or 409', async () => {
    const { editor, product } = await editorWithProduct(app);
    const key = randomUUID();
    const body = reviewInput(product.id);

    const results = await Promise.all(Array.from({ length: 5 }, () => post(editor, key, body)));

    const ids = await reviewIdsOf(editor);
    expect(ids).toHaveLength(1);
    for (const res of results) {
      if (res.status === 201) expect(res.body.id).toBe(ids[0]);
      else expectProblem(res, 409, 'idempotency_key_in_progress');
    }
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
  });

  test('when a post fails (400 from the contract, 422 unknown_product), then the key stays free and the corrected post creates the review', async () => {
    const { editor, product } = await editorWithProduct(app);
    const key = randomUUID();

    const invalid = await post(editor, key, reviewInput(product.id, { verdict_score: 11 }));
    const unknown = await post(editor, key, reviewInput(randomUUID()));
    const corrected = await post(editor, key, reviewInput(product.id));

    expectProblem(invalid, 400, 'validation_failed');
    expectProblem(unknown, 422, 'unknown_product');
    expect(corrected.status).toBe(201);
    expect(await reviewIdsOf(editor)).toEqual([corrected.body.id]);
  });

  test('when recording the answer fails, then the review is rolled back with it (500) and the key is free for the retry', async () => {
    const { editor, product } = await editorWithProduct(app);
    const key = `refused-${randomUUID()}`;
    const body = reviewInput(product.id);
    await app.db.knex.raw(`create function refuse_completion() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$`);
    await app.db.knex.raw(`create trigger refuse_completion before update on idempotency_keys for each row
      when (new.key like 'refused-%' and new.status = 'completed') execute function refuse_completion()`);

    let failed;
    try {
      failed = await post(editor, key, body);
    } finally {
      await app.db.knex.raw('drop trigger refuse_completion on idempotency_keys');
      await app.db.knex.raw('drop function refuse_completion()');
    }
    const idsAfterFailure = await reviewIdsOf(editor);
    const retried = await post(editor, key, body);

    expectProblem(failed, 500, 'internal_error');
    expect(idsAfterFailure).toEqual([]);
    expect(retried.status).toBe(201);
    expect(await reviewIdsOf(editor)).toEqual([retried.body.id]);
  });

  test('when the first post with the key is still in progress, then 409 idempotency_key_in_progress with Retry-After, and nothing is created', async () => {
    const { editor, product } = await editorWithProduct(app);
    const key = randomUUID();
    const body = reviewInput(product.id);
    await storeKey(editor, key, body, 0);

    const res = await post(editor, key, body);

    expectProblem(res, 409, 'idempotency_key_in_progress');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await reviewIdsOf(editor)).toEqual([]);
  });

  test('when a key is in progress, then Retry-After is the time left on its 60 s hold, not a second', async () => {
    const { editor, product } = await editorWithProduct(app);
    const [fresh, old] = [randomUUID(), randomUUID()];
    const body = reviewInput(product.id);
    await storeKey(editor, fresh, body, 0);
    await storeKey(editor, old, body, 45);

    const [justClaimed, nearlyAbandoned] = [await post(editor, fresh, body), await post(editor, old, body)];

    expect(Number(justClaimed.headers.get('retry-after'))).toBeGreaterThan(15);
    expect(Number(justClaimed.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(Number(nearlyAbandoned.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(nearlyAbandoned.headers.get('retry-after'))).toBeLessThanOrEqual(15);
  });

  test('when a claim is older than 60 s (its server died mid-request), then the post takes the key over and creates the review', async () => {
    const { editor, product } = await editorWithProduct(app);
    const key = randomUUID();
    const body = reviewInput(product.id);
    await storeKey(editor, key, body, 61);

    const res = await post(editor, key, body);
    const repeat = await post(editor, key, body);

    expect(res.status).toBe(201);
    expect(repeat.body.id).toBe(res.body.id);
    expect(await reviewIdsOf(editor)).toEqual([res.body.id]);
    expect(await storedKey(editor, key)).toEqual({ status: 'completed' });
  });

  test('when the key was first used over 24 h ago, then it is new again: another body creates a review, and expired keys are deleted', async () => {
    const { editor, product } = await editorWithProduct(app);
    const key = randomUUID();
    const forgotten = randomUUID();
    await storeKey(editor, key, reviewInput(product.id, { title: 'Yesterday' }), 24 * 3600 + 1, { id: randomUUID() });
    await storeKey(editor, forgotten, reviewInput(product.id), 24 * 3600 + 1, { id: randomUUID() });

    const res = await post(editor, key, reviewInput(product.id, { title: 'Today' }));

    expect(res.status).toBe(201);
    expect(res.body.title).toBe('Today');
    expect(await reviewIdsOf(editor)).toEqual([res.body.id]);
    expect(await storedKey(editor, forgotten)).toBeUndefined();
  });

  test('when the key has 255 printable characters, then it is accepted', async () => {
    const { editor, product } = await editorWithProduct(app);

    const res = await post(editor, `${randomUUID()} ~!`.padEnd(255, 'k'), reviewInput(product.id));

    expect(res.status).toBe(201);
  });

  test.each([
    ['has 256 characters', 'k'.repeat(256)],
    ['is empty', ''],
    ['is not ASCII', 'clé-née'],
  ])('when the key %s, then 400 validation_failed at /headers/idempotency-key, and nothing is created', async (_case, key) => {
    const { editor, product } = await editorWithProduct(app);

    const res = await post(editor, key, reviewInput(product.id));

    expectProblem(res, 400, 'validation_failed');
    expect((res.body.errors as { path: string }[]).map((e) => e.path)).toContain('/headers/idempotency-key');
    expect(await reviewIdsOf(editor)).toEqual([]);
  });
});
