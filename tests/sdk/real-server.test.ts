import { beforeAll, describe, expect, test } from '@jest/globals';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  createClient,
  NotFoundError,
  PermissionDeniedError,
  PreconditionFailedError,
  UnprocessableEntityError,
  type RandomCameraReviewsClient,
  type ReviewCreate,
  type TokenPair,
} from '../../sdk/src/index.js';
import { createEditor, createProduct, PASSWORD, type TestEditor } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';

// The SDK against the real app (in-process, real migrated PostgreSQL): every operation, the
// way the portal uses it.

const app = useTestApp();
let baseUrl: string;
let editor: TestEditor;
let admin: TestEditor;
let productId: string;
let asEditor: RandomCameraReviewsClient;
let asAdmin: RandomCameraReviewsClient;

beforeAll(async () => {
  baseUrl = `${app.baseUrl}/v1`;
  [editor, admin] = await Promise.all([createEditor(app), createEditor(app, 'admin')]);
  productId = (await createProduct(app, { brand: 'Fujifilm', model: `X-T5 ${Date.now()}` })).id;
  asEditor = createClient({ baseUrl, credentials: { email: editor.email, password: editor.password } });
  asAdmin = createClient({ baseUrl, credentials: { email: admin.email, password: admin.password } });
});

/** A review the contract accepts, published unless overridden. */
const review = (overrides: Partial<ReviewCreate> = {}): ReviewCreate => ({
  product_id: productId,
  title: `Field test ${Math.random().toString(36).slice(2, 8)}`,
  summary: 'A short summary of the verdict.',
  body: '## Handling\n\nGood grip and clear dials.',
  verdict_score: 8.5,
  status: 'published',
  ...overrides,
});

describe('auth', () => {
  test('when logging in, refreshing and logging out, then each step works and the old session is dead afterwards', async () => {
    const client = createClient({ baseUrl });

    const first = await client.auth.login({ email: editor.email, password: PASSWORD });
    const me = await client.auth.me();
    const second = await client.auth.refresh();
    await client.auth.logout();

    expect(me).toMatchObject({ id: editor.id, email: editor.email, role: 'editor' });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    await expect(client.auth.me()).rejects.toBeInstanceOf(AuthenticationError);
    const reuse = await app.request('POST', '/v1/auth/refresh', { body: { refresh_token: second.refresh_token } });
    expect(reuse.status).toBe(401);
  });

  test('when the saved access token is no longer accepted, then the client refreshes it with the server and the call succeeds', async () => {
    const fresh = await createEditor(app);
    const saved: Array<TokenPair | null> = [];
    const client = createClient({ baseUrl, tokens: { access_token: 'expired', refresh_token: fresh.refreshToken }, onTokens: (t) => saved.push(t) });

    const me = await client.auth.me();

    expect(me.id).toBe(fresh.id);
    expect(saved).toHaveLength(1);
    expect(saved[0]?.refresh_token).not.toBe(fresh.refreshToken);
  });

  test('when the password is wrong, then login throws AuthenticationError with code invalid_credentials', async () => {
    const client = createClient({ baseUrl });

    await expect(client.auth.login({ email: editor.email, password: 'not it' })).rejects.toMatchObject({
      constructor: AuthenticationError,
      code: 'invalid_credentials',
      requestId: expect.any(String),
    });
  });

  test('when changing the password, then the new one signs in and the session must sign in again', async () => {
    const someone = await createEditor(app);
    const client = createClient({ baseUrl, credentials: { email: someone.email, password: someone.password } });

    await client.auth.changePassword({ current_password: someone.password, new_password: 'a brand new passphrase' });
    const tokens = await client.auth.login({ email: someone.email, password: 'a brand new passphrase' });

    expect(tokens.token_type).toBe('Bearer');
  });
});

describe('reviews (the editor side)', () => {
  test('when writing, reading, editing with If-Match and deleting a review, then each step returns the contract shape', async () => {
    const created = await asEditor.reviews.create(review({ status: 'draft' }));
    const { data: read, etag = '' } = await asEditor.reviews.get(created.id).withResponse();
    const { data: edited, etag: editedEtag = '' } = await asEditor.reviews
      .update(created.id, { title: 'Edited after a week' }, { ifMatch: etag })
      .withResponse();
    const stale = await asEditor.reviews.update(created.id, { title: 'Lost update' }, { ifMatch: etag }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const mine = await asEditor.reviews.list({ status: 'draft' }).toArray({ max: 100 });
    await asEditor.reviews.delete(created.id, { ifMatch: editedEtag });

    expect(read).toMatchObject({ id: created.id, status: 'draft', version: 1 });
    expect(edited).toMatchObject({ title: 'Edited after a week', version: 2 });
    expect(stale).toBeInstanceOf(PreconditionFailedError);
    expect(mine.map((r) => r.id)).toContain(created.id);
    await expect(asEditor.reviews.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  test('when the review breaks the contract, then BadRequestError carries validation_failed and each field error', async () => {
    const error = await asEditor.reviews.create(review({ verdict_score: 11 })).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: '/body/verdict_score' })] });
  });

  test('when the product does not exist, then UnprocessableEntityError carries unknown_product', async () => {
    const error = asEditor.reviews.create(review({ product_id: '00000000-0000-4000-8000-000000000000' }));

    await expect(error).rejects.toMatchObject({ constructor: UnprocessableEntityError, code: 'unknown_product' });
  });

  test('when the answer to a review post is lost on the way back, then the retry gets the same review and only one is created', async () => {
    const author = await createEditor(app);
    let lost = 0;
    const client = createClient({
      baseUrl,
      credentials: { email: author.email, password: author.password },
      retry: { baseDelayMs: 10 },
      // the server does the post, then the connection drops before its answer arrives
      fetch: async (request) => {
        const response = await fetch(request);
        if (request.method === 'POST' && request.url.endsWith('/reviews') && lost++ === 0) throw new TypeError('fetch failed');
        return response;
      },
    });

    const created = await client.reviews.create(review({ title: 'Posted over a weak signal' }));
    const mine = await client.reviews.list().toArray({ max: 100 });

    expect(lost).toBe(2);
    expect(created).toMatchObject({ title: 'Posted over a weak signal', version: 1 });
    expect(mine.map((r) => r.id)).toEqual([created.id]);
  });
});

describe('content and products (the public side)', () => {
  test('when reviews are published, then readers search, page through, open and compare them', async () => {
    const word = `patagonia${Date.now()}`;
    const [a, b, c] = await Promise.all([1, 2, 3].map((n) => asEditor.reviews.create(review({ title: `Trip ${n} to ${word}` }))));
    const reader = createClient({ baseUrl });

    const found = [];
    for await (const item of reader.content.list({ q: word, limit: 1 })) found.push(item.id);
    const bySlug = await reader.content.get(a?.slug ?? '');
    const comparison = await reader.content.compare([a?.id ?? '', b?.slug ?? '']);

    expect(found.sort()).toEqual([a?.id, b?.id, c?.id].sort());
    expect(bySlug).toMatchObject({ id: a?.id, body: expect.any(String) });
    expect(comparison.reviews.map((r) => r.id)).toEqual([a?.id, b?.id]);
  });

  test('when browsing and adding to the catalog, then products list, open, and a duplicate is a ConflictError', async () => {
    const reader = createClient({ baseUrl });
    const model = `Z ${Date.now()}`;

    const added = await asEditor.products.create({ type: 'camera', brand: 'Nikon', model, mount: 'Z' });
    const listed = await reader.products.list({ q: model }).toArray({ max: 10 });
    const detail = await reader.products.get(added.id);
    const duplicate = asEditor.products.create({ type: 'camera', brand: 'Nikon', model, mount: 'Z' });

    expect(listed.map((p) => p.id)).toEqual([added.id]);
    expect(detail).toMatchObject({ id: added.id, latest_reviews: [] });
    await expect(duplicate).rejects.toMatchObject({ constructor: ConflictError, code: 'already_exists' });
  });
});

describe('editors (the admin side)', () => {
  test('when an admin creates, reads, lists and disables an editor, then each step works', async () => {
    const email = `sdk-${Date.now()}@test.example`;

    const created = await asAdmin.editors.create({ email, display_name: 'SDK Editor', initial_password: 'initial-password-123' });
    const { data: read, etag = '' } = await asAdmin.editors.get(created.id).withResponse();
    const all = await asAdmin.editors.list().toArray({ max: 1_000 });
    const disabled = await asAdmin.editors.update(created.id, { status: 'disabled' }, { ifMatch: etag });

    expect(read).toMatchObject({ email, must_change_password: true });
    expect(all.map((e) => e.id)).toContain(created.id);
    expect(disabled.status).toBe('disabled');
  });

  test('when an editor who is not an admin lists editors, then PermissionDeniedError carries forbidden', async () => {
    await expect(asEditor.editors.list()).rejects.toMatchObject({ constructor: PermissionDeniedError, code: 'forbidden' });
  });
});
