import { randomBytes } from 'node:crypto';
import { createEditor, createProduct, editorWithProduct, expectProblem, PASSWORD, writeReview, type TestEditor } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';

// Documented statuses the operation-specific files did not reach: conditional reads, bodies over the
// limit or of the wrong media type, callers without a token, of the wrong role, or still on the
// password an admin set. A small body limit (1 KiB, the least the config allows) keeps the requests small.

const BODY_LIMIT = 1024;
const oversized = (member: string) => ({ rawBody: JSON.stringify({ [member]: 'x'.repeat(2 * BODY_LIMIT) }), headers: { 'content-type': 'application/json' } });
const asText = (body: unknown) => ({ rawBody: JSON.stringify(body), headers: { 'content-type': 'text/plain' } });

const app = useTestApp({ BODY_LIMIT_BYTES: String(BODY_LIMIT) });
let admin: TestEditor;
let editor: TestEditor;
/** An editor who has not yet changed the password an admin gave them. */
let newcomer: string;
beforeAll(async () => {
  [admin, editor] = [await createEditor(app, 'admin'), await createEditor(app)];
  const email = `newcomer-${randomBytes(4).toString('hex')}@test.example`;
  await app.services.editors.create({ email, display_name: 'Newcomer', initial_password: PASSWORD }, { mustChangePassword: true });
  newcomer = (await app.services.auth.login(email, PASSWORD)).access_token;
});

/** A second request with the first one's ETag, as a browser revalidating its copy. */
async function revalidated(path: string) {
  const first = await app.request('GET', path);
  expect(first.status).toBe(200);
  const again = await app.request('GET', path, { headers: { 'if-none-match': first.headers.get('etag') ?? '' } });
  return { first, again };
}

describe('GET /v1/content/compare', () => {
  test("when If-None-Match is the comparison's ETag, then 304 with no body", async () => {
    const { editor: author, product } = await editorWithProduct(app);
    const [a, b] = [await writeReview(app, author, product.id), await writeReview(app, author, product.id)];

    const { first, again } = await revalidated(`/v1/content/compare?ids=${a.slug},${b.slug}`);

    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
  });
});

describe('GET /v1/products/{productId}', () => {
  test("when If-None-Match is the product's ETag, then 304 with no body", async () => {
    const product = await createProduct(app);

    const { first, again } = await revalidated(`/v1/products/${product.id}`);

    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
  });
});

describe('POST /v1/auth/refresh', () => {
  test('when the body is over the limit, then 413 payload_too_large', async () => {
    expectProblem(await app.request('POST', '/v1/auth/refresh', oversized('refresh_token')), 413, 'payload_too_large');
  });

  test('when the body is text/plain, then 415 unsupported_media_type', async () => {
    expectProblem(await app.request('POST', '/v1/auth/refresh', asText({ refresh_token: admin.refreshToken })), 415, 'unsupported_media_type');
  });
});

describe('POST /v1/auth/logout', () => {
  test('when the body is over the limit, then 413 payload_too_large', async () => {
    expectProblem(await app.request('POST', '/v1/auth/logout', oversized('refresh_token')), 413, 'payload_too_large');
  });

  test('when the body is text/plain, then 415 unsupported_media_type and the refresh token still works', async () => {
    const signedIn = await createEditor(app);

    const res = await app.request('POST', '/v1/auth/logout', asText({ refresh_token: signedIn.refreshToken }));

    expectProblem(res, 415, 'unsupported_media_type');
    expect((await app.request('POST', '/v1/auth/refresh', { body: { refresh_token: signedIn.refreshToken } })).status).toBe(200);
  });
});

describe('POST /v1/me/password', () => {
  test('when the body is over the limit, then 413 payload_too_large', async () => {
    expectProblem(await app.request('POST', '/v1/me/password', { token: editor.token, ...oversized('new_password') }), 413, 'payload_too_large');
  });

  test('when the body is text/plain, then 415 unsupported_media_type and the password is unchanged', async () => {
    const body = { current_password: editor.password, new_password: 'another long passphrase' };

    expectProblem(await app.request('POST', '/v1/me/password', { token: editor.token, ...asText(body) }), 415, 'unsupported_media_type');
    expect((await app.request('POST', '/v1/auth/login', { body: { email: editor.email, password: editor.password } })).status).toBe(200);
  });
});

describe('POST /v1/products', () => {
  const lens = () => ({ type: 'lens', brand: 'Sigma', model: `Art ${randomBytes(3).toString('hex')}` });

  test('when the editor still has the initial password, then 403 password_change_required and nothing is added', async () => {
    const product = lens();

    expectProblem(await app.request('POST', '/v1/products', { token: newcomer, body: product }), 403, 'password_change_required');
    const listed = await app.request('GET', `/v1/products?q=${encodeURIComponent(product.model)}`);
    expect(listed.body.items).toEqual([]);
  });

  test('when the body is over the limit, then 413 payload_too_large', async () => {
    expectProblem(await app.request('POST', '/v1/products', { token: admin.token, ...oversized('model') }), 413, 'payload_too_large');
  });

  test('when the body is text/plain, then 415 unsupported_media_type', async () => {
    expectProblem(await app.request('POST', '/v1/products', { token: admin.token, ...asText(lens()) }), 415, 'unsupported_media_type');
  });
});

describe('GET /v1/reviews/{reviewId}', () => {
  test('when no token is sent, then 401 unauthenticated with a bearer challenge', async () => {
    const { editor: author, product } = await editorWithProduct(app);
    const review = await writeReview(app, author, product.id);

    const res = await app.request('GET', `/v1/reviews/${review.id}`);

    expectProblem(res, 401, 'unauthenticated');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  test('when the editor still has the initial password, then 403 password_change_required', async () => {
    expectProblem(await app.request('GET', `/v1/reviews/${admin.id}`, { token: newcomer }), 403, 'password_change_required');
  });
});

describe('PATCH /v1/reviews/{reviewId}', () => {
  test('when the editor still has the initial password, then 403 password_change_required', async () => {
    expectProblem(
      await app.request('PATCH', `/v1/reviews/${admin.id}`, { token: newcomer, body: { title: 'A new title' }, headers: { 'if-match': '*' } }),
      403,
      'password_change_required',
    );
  });

  test('when the body is over the limit, then 413 payload_too_large and the review is unchanged', async () => {
    const { editor: author, product } = await editorWithProduct(app);
    const review = await writeReview(app, author, product.id);

    const res = await app.request('PATCH', `/v1/reviews/${review.id}`, {
      token: author.token,
      ...oversized('body'),
      headers: { 'if-match': '*', 'content-type': 'application/merge-patch+json' },
    });

    expectProblem(res, 413, 'payload_too_large');
    expect((await app.request('GET', `/v1/reviews/${review.id}`, { token: author.token })).body).toEqual(review);
  });
});

describe('DELETE /v1/reviews/{reviewId}', () => {
  test('when the id is not a UUID, then 400 validation_failed', async () => {
    expectProblem(await app.request('DELETE', '/v1/reviews/not-a-uuid', { token: editor.token, headers: { 'if-match': '*' } }), 400, 'validation_failed');
  });

  test('when the editor still has the initial password, then 403 password_change_required', async () => {
    expectProblem(await app.request('DELETE', `/v1/reviews/${admin.id}`, { token: newcomer, headers: { 'if-match': '*' } }), 403, 'password_change_required');
  });
});

describe('POST /v1/editors', () => {
  test('when the body is over the limit, then 413 payload_too_large', async () => {
    expectProblem(await app.request('POST', '/v1/editors', { token: admin.token, ...oversized('display_name') }), 413, 'payload_too_large');
  });
});

describe('PATCH /v1/editors/{editorId}', () => {
  test('when the body is over the limit, then 413 payload_too_large', async () => {
    const res = await app.request('PATCH', `/v1/editors/${editor.id}`, {
      token: admin.token,
      ...oversized('display_name'),
      headers: { 'if-match': '*', 'content-type': 'application/merge-patch+json' },
    });

    expectProblem(res, 413, 'payload_too_large');
  });
});
