import { randomBytes, randomUUID } from 'node:crypto';
import type { components } from '../../generated/reviews.js';
import { findEditorByEmail } from '../../src/data/editor-repository.js';
import { startTestApp, useTestApp, type TestApp } from '../support/test-app.js';
import { createEditor, expectProblem, PASSWORD } from '../support/fixtures.js';

type Editor = components['schemas']['Editor'];
type EditorPage = components['schemas']['EditorPage'];

const app = useTestApp();
let admin: Awaited<ReturnType<typeof createEditor>>;
beforeAll(async () => {
  admin = await createEditor(app, 'admin');
});

const uniqueEmail = (prefix = 'editor') => `${prefix}-${randomBytes(4).toString('hex')}@test.example`;
const newEditor = (overrides: Record<string, unknown> = {}) => ({
  email: uniqueEmail(),
  display_name: 'Ansel Adams',
  initial_password: 'initial password 1234',
  ...overrides,
});
const patchEditor = (id: string, body: unknown, token = admin.token) =>
  app.request<Editor>('PATCH', `/v1/editors/${id}`, { token, body, headers: { 'if-match': '*' } });

/** Every editor the listing holds, walking next_cursor page by page. */
async function walkEditors(query: string, limit: number) {
  const ids: string[] = [];
  const pageSizes: number[] = [];
  let cursor: string | null = null;
  do {
    const suffix: string = cursor ? `&cursor=${cursor}` : '';
    const res = await app.request<EditorPage>('GET', `/v1/editors?limit=${limit}${query}${suffix}`, { token: admin.token });
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((e) => e.id));
    pageSizes.push(res.body.items.length);
    cursor = res.body.next_cursor;
  } while (cursor && pageSizes.length < 100);
  return { ids, pageSizes };
}

describe('POST /v1/editors', () => {
  test('when an admin creates an editor, then 201 with Location, role editor and a password to change', async () => {
    const input = newEditor();

    const res = await app.request<Editor>('POST', '/v1/editors', { token: admin.token, body: input });

    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      id: expect.any(String),
      email: input.email,
      display_name: input.display_name,
      role: 'editor',
      status: 'active',
      must_change_password: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(res.headers.get('location')).toBe(`/v1/editors/${res.body.id}`);
    expect(res.text).not.toMatch(/password_hash|\$argon2|initial password/);
    const fetched = await app.request<Editor>('GET', res.headers.get('location') ?? '', { token: admin.token });
    expect(fetched.body).toEqual(res.body);
    expect((await app.request('POST', '/v1/auth/login', { body: { email: input.email, password: input.initial_password } })).status).toBe(200);
  });

  test('when the role admin is asked for, then the account is an admin', async () => {
    const res = await app.request<Editor>('POST', '/v1/editors', { token: admin.token, body: newEditor({ role: 'admin' }) });

    expect(res.status).toBe(201);
    expect(res.body.role).toBe('admin');
  });

  test('when the email is taken in another letter case, then 409 already_exists', async () => {
    const first = newEditor({ email: uniqueEmail('dup') });
    await app.request('POST', '/v1/editors', { token: admin.token, body: first });

    const res = await app.request('POST', '/v1/editors', { token: admin.token, body: newEditor({ email: first.email.toUpperCase() }) });

    expectProblem(res, 409, 'already_exists');
  });

  test.each([
    ['a password_hash', { password_hash: '$argon2id$v=19$m=19456,t=2,p=1$x$y' }],
    ['an id', { id: randomUUID() }],
    ['must_change_password', { must_change_password: false }],
    ['a too short initial_password', { initial_password: 'short' }],
    ['an invalid email', { email: 'not-an-email' }],
    ['an unknown role', { role: 'superuser' }],
  ])('when the body has %s, then 400 validation_failed and nothing is created', async (_case, overrides) => {
    const input = newEditor(overrides);

    const res = await app.request('POST', '/v1/editors', { token: admin.token, body: input });

    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(await findEditorByEmail(app.db.knex, String(input.email))).toBeUndefined();
  });

  test('when the body is sent as merge-patch, then 415 unsupported_media_type', async () => {
    const res = await app.request('POST', '/v1/editors', {
      token: admin.token,
      body: newEditor(),
      headers: { 'content-type': 'application/merge-patch+json' },
    });

    expectProblem(res, 415, 'unsupported_media_type');
  });
});

describe('admin-only routes', () => {
  const routes = (id: string): [string, string, unknown][] => [
    ['POST', '/v1/editors', newEditor()],
    ['GET', '/v1/editors', undefined],
    ['GET', `/v1/editors/${id}`, undefined],
    ['PATCH', `/v1/editors/${id}`, { display_name: 'Renamed' }],
  ];

  test('when an editor without the admin role calls any of them, then 403 forbidden', async () => {
    const editor = await createEditor(app);

    for (const [method, path, body] of routes(editor.id)) {
      expectProblem(await app.request(method, path, { token: editor.token, body }), 403, 'forbidden');
    }
    const self = await app.request<Editor>('GET', '/v1/me', { token: editor.token });
    expect(self.body.display_name).not.toBe('Renamed');
  });

  test('when nobody is signed in, then 401 unauthenticated on all of them', async () => {
    const editor = await createEditor(app);

    for (const [method, path, body] of routes(editor.id)) {
      const res = await app.request(method, path, { body });
      expectProblem(res, 401, 'unauthenticated');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
  });
});

describe('GET /v1/editors/{editorId}', () => {
  test('when the editor exists, then the account without any password hash', async () => {
    const editor = await createEditor(app);

    const res = await app.request<Editor>('GET', `/v1/editors/${editor.id}`, { token: admin.token });

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ id: editor.id, email: editor.email, role: 'editor', status: 'active' });
    expect(res.text).not.toMatch(/password_hash|\$argon2/);
  });

  test('when no editor has this id, then 404 not_found', async () => {
    expectProblem(await app.request('GET', `/v1/editors/${randomUUID()}`, { token: admin.token }), 404, 'not_found');
  });

  test('when the id is not a uuid, then 400 validation_failed', async () => {
    expectProblem(await app.request('GET', '/v1/editors/not-a-uuid', { token: admin.token }), 400, 'validation_failed');
  });
});

describe('GET /v1/editors', () => {
  test('when walked two at a time via next_cursor, then every editor once, oldest first, matching one big page', async () => {
    for (let i = 0; i < 5; i++) await createEditor(app);

    const walked = await walkEditors('', 2);
    const all = await app.request<EditorPage>('GET', '/v1/editors?limit=100', { token: admin.token });

    expect(walked.ids.length).toBeGreaterThanOrEqual(6);
    expect(new Set(walked.ids).size).toBe(walked.ids.length);
    expect(walked.pageSizes.slice(0, -1).every((n) => n === 2)).toBe(true);
    expect(all.body.next_cursor).toBeNull();
    expect(walked.ids).toEqual(all.body.items.map((e) => e.id));
    const created = all.body.items.map((e) => Date.parse(e.created_at));
    expect(created).toEqual([...created].sort((a, b) => a - b));
  });

  test('when filtered by role and by status, then only matching accounts, across pages too', async () => {
    const otherAdmin = await createEditor(app, 'admin');
    const editor = await createEditor(app);
    const disabled = await createEditor(app);
    await patchEditor(disabled.id, { status: 'disabled' });

    const admins = await walkEditors('&role=admin', 2);
    const disabledOnes = await walkEditors('&status=disabled', 2);
    const adminPage = await app.request<EditorPage>('GET', '/v1/editors?role=admin&limit=100', { token: admin.token });
    const disabledPage = await app.request<EditorPage>('GET', '/v1/editors?status=disabled&limit=100', { token: admin.token });

    expect(adminPage.body.items.every((e) => e.role === 'admin')).toBe(true);
    expect(admins.ids).toEqual(adminPage.body.items.map((e) => e.id));
    expect(admins.ids).toEqual(expect.arrayContaining([admin.id, otherAdmin.id]));
    expect(admins.ids).not.toContain(editor.id);
    expect(disabledPage.body.items.every((e) => e.status === 'disabled')).toBe(true);
    expect(disabledOnes.ids).toEqual(disabledPage.body.items.map((e) => e.id));
    expect(disabledOnes.ids).toContain(disabled.id);
    expect(disabledOnes.ids).not.toContain(editor.id);
  });

  test.each([
    ['is not base64 JSON', Buffer.from('not-a-cursor').toString('base64url')],
    ['belongs to another listing', Buffer.from(JSON.stringify(['products', '2024-01-01 00:00:00+00', randomUUID()])).toString('base64url')],
    ['carries a value of the wrong type', Buffer.from(JSON.stringify(['editors', 'yesterday', 'not-a-uuid'])).toString('base64url')],
  ])('when the cursor %s, then 400 invalid_cursor', async (_case, cursor) => {
    expectProblem(await app.request('GET', `/v1/editors?cursor=${cursor}`, { token: admin.token }), 400, 'invalid_cursor');
  });

  test.each([['limit=101'], ['limit=0'], ['limit=ten'], ['role=owner'], ['sort=email']])('when the query has %s, then 400 validation_failed', async (query) => {
    expectProblem(await app.request('GET', `/v1/editors?${query}`, { token: admin.token }), 400, 'validation_failed');
  });
});

describe('PATCH /v1/editors/{editorId}', () => {
  test('when the name and role change, then 200 with them and the new role applies to the existing token', async () => {
    const editor = await createEditor(app);
    expectProblem(await app.request('GET', '/v1/editors', { token: editor.token }), 403, 'forbidden');

    const res = await patchEditor(editor.id, { display_name: 'Dorothea Lange', role: 'admin' });

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ id: editor.id, display_name: 'Dorothea Lange', role: 'admin', status: 'active', email: editor.email });
    expect((await app.request('GET', '/v1/editors', { token: editor.token })).status).toBe(200);
  });

  test('when an editor is disabled, then their access and refresh tokens fail at once and sign-in fails', async () => {
    const editor = await createEditor(app);
    expect((await app.request('GET', '/v1/me', { token: editor.token })).status).toBe(200);

    const res = await patchEditor(editor.id, { status: 'disabled' });

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('disabled');
    expectProblem(await app.request('GET', '/v1/me', { token: editor.token }), 401, 'invalid_token');
    expectProblem(await app.request('POST', '/v1/auth/refresh', { body: { refresh_token: editor.refreshToken } }), 401, 'invalid_refresh_token');
    expectProblem(await app.request('POST', '/v1/auth/login', { body: { email: editor.email, password: editor.password } }), 401, 'invalid_credentials');
  });

  test('when a disabled editor is enabled again, then they can sign in, but refresh tokens from before stay revoked', async () => {
    const editor = await createEditor(app);
    await patchEditor(editor.id, { status: 'disabled' });

    const res = await patchEditor(editor.id, { status: 'active' });

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('active');
    expect((await app.request('POST', '/v1/auth/login', { body: { email: editor.email, password: PASSWORD } })).status).toBe(200);
    expectProblem(await app.request('POST', '/v1/auth/refresh', { body: { refresh_token: editor.refreshToken } }), 401, 'invalid_refresh_token');
  });

  test('when the body is sent as application/json, then 415 unsupported_media_type and nothing changes', async () => {
    const editor = await createEditor(app);

    const res = await app.request('PATCH', `/v1/editors/${editor.id}`, {
      token: admin.token,
      body: { display_name: 'Not Applied' },
      headers: { 'if-match': '*', 'content-type': 'application/json' },
    });

    expectProblem(res, 415, 'unsupported_media_type');
    expect((await app.request<Editor>('GET', `/v1/editors/${editor.id}`, { token: admin.token })).body.display_name).not.toBe('Not Applied');
  });

  test.each([
    ['is empty', {}],
    ['changes the email', { email: uniqueEmail() }],
    ['sets a password_hash', { password_hash: 'x' }],
    ['has an unknown status', { status: 'banned' }],
    ['blanks the display name', { display_name: '' }],
    ['sets a display name of spaces only', { display_name: '   ' }],
    ['pads the display name with spaces', { display_name: ' Ansel ' }],
  ])('when the patch %s, then 400 validation_failed', async (_case, body) => {
    const editor = await createEditor(app);

    expectProblem(await patchEditor(editor.id, body), 400, 'validation_failed');
  });

  test('when no editor has this id, then 404 not_found', async () => {
    expectProblem(await patchEditor(randomUUID(), { display_name: 'Nobody' }), 404, 'not_found');
  });
});

describe('PATCH /v1/editors/{editorId} with If-Match', () => {
  const rename = (id: string, display_name: string, headers: Record<string, string>) =>
    app.request<Editor>('PATCH', `/v1/editors/${id}`, { token: admin.token, body: { display_name }, headers });

  test('when If-Match is missing, then 428 precondition_required and the account is unchanged', async () => {
    const editor = await createEditor(app);

    const res = await rename(editor.id, 'Blind Overwrite', {});

    expectProblem(res, 428, 'precondition_required');
    expect((await app.request<Editor>('GET', `/v1/editors/${editor.id}`, { token: admin.token })).body.display_name).not.toBe('Blind Overwrite');
  });

  test('when If-Match is the ETag of the GET, then 200 with a new ETag; the old one then fails with 412 precondition_failed', async () => {
    const editor = await createEditor(app);
    const read = await app.request<Editor>('GET', `/v1/editors/${editor.id}`, { token: admin.token });
    const etag = read.headers.get('etag') ?? '';

    const first = await rename(editor.id, 'First Rename', { 'if-match': etag });
    const second = await rename(editor.id, 'Lost Update', { 'if-match': etag });

    expect(etag).toMatch(/^"e-[\w-]+"$/);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).not.toBe(etag);
    expectProblem(second, 412, 'precondition_failed');
    expect((await app.request<Editor>('GET', `/v1/editors/${editor.id}`, { token: admin.token })).body.display_name).toBe('First Rename');
  });

  test('when If-Match is the ETag the last change answered, then the next change is accepted', async () => {
    const editor = await createEditor(app);
    const first = await rename(editor.id, 'Renamed Once', { 'if-match': '*' });

    const next = await rename(editor.id, 'Renamed Twice', { 'if-match': first.headers.get('etag') ?? '' });

    expect(next.status).toBe(200);
    expect(next.body.display_name).toBe('Renamed Twice');
  });
});

describe('the last active admin', () => {
  // A database of its own, so that demoting every other admin cannot break the tests above.
  let solo: TestApp;
  beforeAll(async () => {
    solo = await startTestApp();
  });
  afterAll(async () => {
    await solo.close();
  });
  const patch = (id: string, body: unknown, token: string) => solo.request<Editor>('PATCH', `/v1/editors/${id}`, { token, body, headers: { 'if-match': '*' } });

  /** A new admin, made the only active one by demoting every other. */
  async function soleAdmin() {
    const only = await createEditor(solo, 'admin');
    const { items } = await solo.services.editors.list({ role: 'admin', status: 'active' }, undefined, 100);
    for (const other of items.filter((e) => e.id !== only.id)) await solo.services.editors.update(other.id, { role: 'editor' }, '*');
    return only;
  }

  test('when the only active admin demotes or disables itself, then 409 last_admin and it stays an active admin', async () => {
    const only = await soleAdmin();

    const demote = await patch(only.id, { role: 'editor' }, only.token);
    const disable = await patch(only.id, { status: 'disabled' }, only.token);

    expectProblem(demote, 409, 'last_admin');
    expectProblem(disable, 409, 'last_admin');
    expect((await solo.request<Editor>('GET', '/v1/me', { token: only.token })).body).toMatchObject({ role: 'admin', status: 'active' });
  });

  test('when another active admin exists, then an admin may step down, and the one left may not', async () => {
    const first = await soleAdmin();
    const second = await createEditor(solo, 'admin');

    const steppedDown = await patch(first.id, { role: 'editor' }, first.token);
    const lastOne = await patch(second.id, { status: 'disabled' }, second.token);

    expect(steppedDown.status).toBe(200);
    expect(steppedDown.body.role).toBe('editor');
    expectProblem(lastOne, 409, 'last_admin');
  });

  test('when the other admin is disabled, then it does not count and the active one may not step down', async () => {
    const only = await soleAdmin();
    const disabledAdmin = await createEditor(solo, 'admin');
    expect((await patch(disabledAdmin.id, { status: 'disabled' }, only.token)).status).toBe(200);

    const res = await patch(only.id, { role: 'editor' }, only.token);

    expectProblem(res, 409, 'last_admin');
  });

  test('when the last admin only renames itself, then 200: only losing the role is refused', async () => {
    const only = await soleAdmin();

    const res = await patch(only.id, { display_name: 'Still In Charge', role: 'admin', status: 'active' }, only.token);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ display_name: 'Still In Charge', role: 'admin', status: 'active' });
  });
});
