import { createHash, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { components } from '../../generated/reviews.js';
import { keyIdOf } from '../../src/domain/access-tokens.js';
import { useTestApp, type HttpResult } from '../support/test-app.js';
import { createEditor, createProduct, expectProblem, PASSWORD, reviewInput } from '../support/fixtures.js';

type TokenPair = components['schemas']['TokenPair'];
type Editor = components['schemas']['Editor'];

const app = useTestApp();

const uniqueEmail = (prefix = 'auth') => `${prefix}-${randomBytes(4).toString('hex')}@test.example`;
const login = (email: string, password: string) => app.request<TokenPair>('POST', '/v1/auth/login', { body: { email, password } });
const refresh = (refreshToken: string) => app.request<TokenPair>('POST', '/v1/auth/refresh', { body: { refresh_token: refreshToken } });
const getMe = (token?: string) => app.request<Editor>('GET', '/v1/me', token === undefined ? {} : { token });
const disable = (editorId: string) => app.services.editors.update(editorId, { status: 'disabled' }, '*');
const withoutRequestIdentity = ({ request_id: _id, instance: _instance, ...rest }: Record<string, unknown>) => rest;

/** An access token signed outside the app: every claim the app checks can be varied. */
function forgeAccessToken(
  sub: string,
  changes: Partial<{ secret: string; algorithm: jwt.Algorithm; kid: string | null; iss: string; aud: string; iat: number; exp: number }> = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    role: 'editor',
    sub,
    iss: changes.iss ?? app.config.jwt.issuer,
    aud: changes.aud ?? app.config.jwt.audience,
    iat: changes.iat ?? now,
    exp: changes.exp ?? now + 300,
    jti: randomUUID(),
  };
  const kid = changes.kid === undefined ? keyIdOf(app.jwtSecret) : changes.kid;
  return jwt.sign(payload, changes.secret ?? app.jwtSecret, { algorithm: changes.algorithm ?? 'HS256', ...(kid !== null && { keyid: kid }) });
}

function expectTokenPair(res: HttpResult<TokenPair>): void {
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.body).toEqual({
    access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    token_type: 'Bearer',
    expires_in: 900,
    refresh_token: expect.any(String),
    refresh_expires_in: app.config.jwt.refreshTtlSeconds,
  });
}

describe('POST /v1/auth/login', () => {
  test('when the email and password are right, then a token pair that is never cached', async () => {
    const editor = await createEditor(app);

    const res = await login(editor.email, editor.password);

    expectTokenPair(res);
    expect((await getMe(res.body.access_token)).status).toBe(200);
  });

  test('when the email differs only in letter case, then the login still works', async () => {
    const editor = await createEditor(app, 'editor', { email: uniqueEmail('mixed') });

    const res = await login(editor.email.toUpperCase(), editor.password);

    expectTokenPair(res);
  });

  test('when the password is wrong or the email unknown, then the same 401 invalid_credentials', async () => {
    const editor = await createEditor(app);

    const wrongPassword = await login(editor.email, 'not the right password');
    const unknownEmail = await login(uniqueEmail('nobody'), 'not the right password');

    expectProblem(wrongPassword, 401, 'invalid_credentials');
    expectProblem(unknownEmail, 401, 'invalid_credentials');
    expect(withoutRequestIdentity(wrongPassword.body)).toEqual(withoutRequestIdentity(unknownEmail.body));
    expect(wrongPassword.headers.get('cache-control')).toBe('no-store');
  });

  test('when the account is disabled, then 401 invalid_credentials even with the right password', async () => {
    const editor = await createEditor(app);
    await disable(editor.id);

    const res = await login(editor.email, editor.password);

    expectProblem(res, 401, 'invalid_credentials');
  });

  test('when the body has a field the contract does not define, then 400 validation_failed', async () => {
    const editor = await createEditor(app);

    const res = await app.request('POST', '/v1/auth/login', { body: { email: editor.email, password: editor.password, remember_me: true } });

    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining('body') })]));
  });

  test('when a required field is missing or the email is not an email, then 400 validation_failed', async () => {
    expectProblem(await app.request('POST', '/v1/auth/login', { body: { email: uniqueEmail() } }), 400, 'validation_failed');
    expectProblem(await app.request('POST', '/v1/auth/login', { body: { email: 'not-an-email', password: PASSWORD } }), 400, 'validation_failed');
  });

  test('when the body is not valid JSON, then 400 malformed_json', async () => {
    const res = await app.request('POST', '/v1/auth/login', { rawBody: '{"email": "a@b.example",', headers: { 'content-type': 'application/json' } });

    expectProblem(res, 400, 'malformed_json');
  });

  test('when the body is text/plain, then 415 unsupported_media_type', async () => {
    const body = JSON.stringify({ email: uniqueEmail(), password: PASSWORD });

    const res = await app.request('POST', '/v1/auth/login', { rawBody: body, headers: { 'content-type': 'text/plain' } });

    expectProblem(res, 415, 'unsupported_media_type');
  });

  test('when the body is over the 256 KiB limit, then 413 payload_too_large', async () => {
    const body = JSON.stringify({ email: uniqueEmail(), password: 'x'.repeat(256 * 1024) });

    const res = await app.request('POST', '/v1/auth/login', { rawBody: body, headers: { 'content-type': 'application/json' } });

    expectProblem(res, 413, 'payload_too_large');
  });
});

describe('POST /v1/auth/refresh', () => {
  test('when the refresh token is fresh, then a new pair with a different refresh token', async () => {
    const editor = await createEditor(app);

    const res = await refresh(editor.refreshToken);

    expectTokenPair(res);
    expect(res.body.refresh_token).not.toBe(editor.refreshToken);
    expect((await getMe(res.body.access_token)).status).toBe(200);
  });

  test('when a rotated refresh token is replayed, then 401 and the token issued in its place is revoked too', async () => {
    const editor = await createEditor(app);
    const rotated = await refresh(editor.refreshToken);
    expect(rotated.status).toBe(200);

    const replay = await refresh(editor.refreshToken);
    const successor = await refresh(rotated.body.refresh_token);

    expectProblem(replay, 401, 'invalid_refresh_token');
    expectProblem(successor, 401, 'invalid_refresh_token');
  });

  test('when another sign-in of the same editor is replayed, then this sign-in keeps working', async () => {
    const editor = await createEditor(app);
    const otherSignIn = await login(editor.email, editor.password);
    await refresh(otherSignIn.body.refresh_token);
    expectProblem(await refresh(otherSignIn.body.refresh_token), 401, 'invalid_refresh_token');

    const res = await refresh(editor.refreshToken);

    expectTokenPair(res);
  });

  test('when the refresh token was never issued, then 401 invalid_refresh_token', async () => {
    const res = await refresh(`rt_${randomBytes(32).toString('base64url')}`);

    expectProblem(res, 401, 'invalid_refresh_token');
  });

  test('when the refresh token is shorter than the contract allows, then 400 validation_failed', async () => {
    expectProblem(await refresh('short'), 400, 'validation_failed');
  });

  test('when the editor was disabled since signing in, then 401 invalid_refresh_token', async () => {
    const editor = await createEditor(app);
    await disable(editor.id);

    const res = await refresh(editor.refreshToken);

    expectProblem(res, 401, 'invalid_refresh_token');
  });
});

describe('POST /v1/auth/logout', () => {
  test('when the refresh token is valid, then 204 and the token no longer refreshes', async () => {
    const editor = await createEditor(app);

    const res = await app.request('POST', '/v1/auth/logout', { body: { refresh_token: editor.refreshToken } });

    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectProblem(await refresh(editor.refreshToken), 401, 'invalid_refresh_token');
  });

  test('when the token was rotated before logout, then its successor is revoked with it', async () => {
    const editor = await createEditor(app);
    const rotated = await refresh(editor.refreshToken);

    const res = await app.request('POST', '/v1/auth/logout', { body: { refresh_token: editor.refreshToken } });

    expect(res.status).toBe(204);
    expectProblem(await refresh(rotated.body.refresh_token), 401, 'invalid_refresh_token');
  });

  test('when the refresh token is unknown or already revoked, then 204 all the same', async () => {
    const editor = await createEditor(app);
    await app.request('POST', '/v1/auth/logout', { body: { refresh_token: editor.refreshToken } });

    const unknown = await app.request('POST', '/v1/auth/logout', { body: { refresh_token: `rt_${randomBytes(32).toString('base64url')}` } });
    const again = await app.request('POST', '/v1/auth/logout', { body: { refresh_token: editor.refreshToken } });

    expect(unknown.status).toBe(204);
    expect(again.status).toBe(204);
  });

  test('when the body has no refresh_token, then 400 validation_failed', async () => {
    expectProblem(await app.request('POST', '/v1/auth/logout', { body: {} }), 400, 'validation_failed');
  });
});

describe('expired refresh tokens', () => {
  const DAY_SECONDS = 24 * 3600;
  /** Rows as the service stores them (SHA-256 of the token), expiring `expiresInSeconds` from now (negative: ago); the raw tokens. */
  async function insertTokens(editorId: string, count: number, expiresInSeconds: number, { used = true, family = randomUUID() } = {}): Promise<string[]> {
    const tokens = Array.from({ length: count }, () => `rt_${randomBytes(32).toString('base64url')}`);
    await app.db.knex('refresh_tokens').insert(
      tokens.map((token) => ({
        editor_id: editorId,
        family_id: family,
        token_hash: createHash('sha256').update(token).digest('hex'),
        expires_at: app.db.knex.raw('now() + make_interval(secs => ?)', [expiresInSeconds]),
        used_at: used ? app.db.knex.raw('now()') : null,
      })),
    );
    return tokens;
  }
  const tokensOf = async (editorId: string) => Number((await app.db.knex('refresh_tokens').where({ editor_id: editorId }).count({ n: '*' }))[0]?.n);

  test('when an editor signs in and refreshes, then tokens that expired more than a refresh lifetime ago are deleted, 500 at a time, and nothing else', async () => {
    const editor = await createEditor(app);
    const ttl = app.config.jwt.refreshTtlSeconds;
    await insertTokens(editor.id, 600, -(2 * ttl + DAY_SECONDS));
    await insertTokens(editor.id, 3, -(ttl - DAY_SECONDS)); // expired, within the lifetime they are kept for
    expect(await tokensOf(editor.id)).toBe(1 + 600 + 3);

    const signIn = await login(editor.email, editor.password);
    expect(signIn.status).toBe(200);
    // the oldest 500 went; the sign-ins' own tokens and the recently expired ones stay
    expect(await tokensOf(editor.id)).toBe(1 + 100 + 3 + 1);

    expectTokenPair(await refresh(signIn.body.refresh_token));
    expect(await tokensOf(editor.id)).toBe(1 + 3 + 2);
  });

  test('when deleting expired tokens fails, then the sign-in and the refresh still answer 200 and the new token works', async () => {
    const editor = await createEditor(app);
    await insertTokens(editor.id, 2, -(2 * app.config.jwt.refreshTtlSeconds + DAY_SECONDS));
    // a table that refuses deletes: housekeeping fails, issuing and rotating do not
    await app.db.knex.raw(`create function refuse_delete() returns trigger language plpgsql as $$ begin raise exception 'no deletes'; end $$`);
    await app.db.knex.raw('create trigger refuse_delete before delete on refresh_tokens for each row execute function refuse_delete()');
    try {
      const signIn = await login(editor.email, editor.password);
      expectTokenPair(signIn);
      const rotated = await refresh(signIn.body.refresh_token);
      expectTokenPair(rotated);
      expectTokenPair(await refresh(rotated.body.refresh_token));
    } finally {
      await app.db.knex.raw('drop trigger refuse_delete on refresh_tokens');
      await app.db.knex.raw('drop function refuse_delete()');
    }
  });

  test('when a rotated token expired recently is replayed, then its whole sign-in is still revoked', async () => {
    const editor = await createEditor(app);
    const family = randomUUID();
    const [stolen] = await insertTokens(editor.id, 1, -DAY_SECONDS, { family });
    // the token issued in its place, live: the same sign-in
    const [live] = await insertTokens(editor.id, 1, DAY_SECONDS, { used: false, family });
    expect((await login(editor.email, editor.password)).status).toBe(200); // housekeeping runs, keeps both

    expectProblem(await refresh(stolen!), 401, 'invalid_refresh_token');
    expectProblem(await refresh(live!), 401, 'invalid_refresh_token');
  });
});

describe('GET /v1/me', () => {
  test('when signed in, then the account, never cached and without any password hash', async () => {
    const editor = await createEditor(app);

    const res = await getMe(editor.token);

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      id: editor.id,
      email: editor.email,
      display_name: expect.any(String),
      role: 'editor',
      status: 'active',
      must_change_password: false,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(res.text).not.toMatch(/password_hash|\$argon2/);
  });

  test('when no token is sent, then 401 unauthenticated with a WWW-Authenticate challenge', async () => {
    const res = await getMe();

    expectProblem(res, 401, 'unauthenticated');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  test('when a token is forged with our secret, kid and claims, then it is accepted (control for the cases below)', async () => {
    const editor = await createEditor(app);

    const res = await getMe(forgeAccessToken(editor.id));

    expect(res.status).toBe(200);
    expect(res.body.id).toBe(editor.id);
  });

  test.each([
    ['is not a JWT at all', () => 'not-a-jwt'],
    ['is signed with another secret under our kid', (sub: string) => forgeAccessToken(sub, { secret: randomBytes(32).toString('hex') })],
    ['has no kid', (sub: string) => forgeAccessToken(sub, { kid: null })],
    ['names another kid', (sub: string) => forgeAccessToken(sub, { kid: 'hs-000000000000' })],
    ['has expired', (sub: string) => forgeAccessToken(sub, { iat: Math.floor(Date.now() / 1000) - 120, exp: Math.floor(Date.now() / 1000) - 60 })],
    ['was issued longer ago than an access token lives', (sub: string) => forgeAccessToken(sub, { iat: Math.floor(Date.now() / 1000) - 3600 })],
    [
      'uses alg none',
      (sub: string) => jwt.sign({ sub, iss: app.config.jwt.issuer, aud: app.config.jwt.audience }, null, { algorithm: 'none', keyid: keyIdOf(app.jwtSecret) }),
    ],
    ['uses HS512 instead of HS256', (sub: string) => forgeAccessToken(sub, { algorithm: 'HS512' })],
    ['is for another audience', (sub: string) => forgeAccessToken(sub, { aud: 'some-other-api' })],
    ['is from another issuer', (sub: string) => forgeAccessToken(sub, { iss: 'https://evil.example' })],
    ['names an editor that does not exist', () => forgeAccessToken(randomUUID())],
    ['has a subject that is not an editor id', () => forgeAccessToken('admin')],
    [
      'has no subject',
      () => jwt.sign({ iss: app.config.jwt.issuer, aud: app.config.jwt.audience }, app.jwtSecret, { expiresIn: 300, keyid: keyIdOf(app.jwtSecret) }),
    ],
  ])('when the token %s, then 401 invalid_token', async (_case, makeToken) => {
    const editor = await createEditor(app);

    const res = await getMe(makeToken(editor.id));

    expectProblem(res, 401, 'invalid_token');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  test('when the editor is disabled, then their unexpired access token stops working at once', async () => {
    const editor = await createEditor(app);
    expect((await getMe(editor.token)).status).toBe(200);

    await disable(editor.id);
    const res = await getMe(editor.token);

    expectProblem(res, 401, 'invalid_token');
  });
});

describe('POST /v1/me/password', () => {
  const changePassword = (token: string, body: Record<string, unknown>) => app.request('POST', '/v1/me/password', { token, body });

  /** An editor as an admin creates one: with an initial password they must change. */
  async function createEditorViaApi() {
    const admin = await createEditor(app, 'admin');
    const email = uniqueEmail('new');
    const initialPassword = 'initial password 1234';
    const created = await app.request<Editor>('POST', '/v1/editors', {
      token: admin.token,
      body: { email, display_name: 'New Editor', initial_password: initialPassword },
    });
    expect(created.status).toBe(201);
    const signIn = await login(email, initialPassword);
    expect(signIn.status).toBe(200);
    return { email, initialPassword, token: signIn.body.access_token, refreshToken: signIn.body.refresh_token };
  }

  test('when the current password is right, then 204, the new password works, the old one and old sign-ins do not', async () => {
    const editor = await createEditorViaApi();
    expect((await getMe(editor.token)).body.must_change_password).toBe(true);
    const newPassword = 'a brand new passphrase';

    const res = await changePassword(editor.token, { current_password: editor.initialPassword, new_password: newPassword });

    expect(res.status).toBe(204);
    expectProblem(await login(editor.email, editor.initialPassword), 401, 'invalid_credentials');
    expectProblem(await refresh(editor.refreshToken), 401, 'invalid_refresh_token');
    const signIn = await login(editor.email, newPassword);
    expectTokenPair(signIn);
    expect((await getMe(signIn.body.access_token)).body.must_change_password).toBe(false);
  });

  test('when the account still has its initial password, then only GET /me and this operation work, until it is changed', async () => {
    const editor = await createEditorViaApi();
    const product = await createProduct(app);
    const postReview = () => app.request('POST', '/v1/reviews', { token: editor.token, body: reviewInput(product.id) });

    const before = await postReview();
    const mine = await app.request('GET', '/v1/reviews', { token: editor.token });
    const me = await getMe(editor.token);
    const changed = await changePassword(editor.token, { current_password: editor.initialPassword, new_password: 'a brand new passphrase' });
    const after = await postReview();

    expectProblem(before, 403, 'password_change_required');
    expectProblem(mine, 403, 'password_change_required');
    expect(me.status).toBe(200);
    expect(changed.status).toBe(204);
    expect(after.status).toBe(201);
    const [stored] = await app.db.knex('reviews').where({ product_id: product.id }).count({ n: '*' });
    expect(Number(stored?.n)).toBe(1);
  });

  test('when the current password is wrong, then 422 wrong_password and the password is unchanged', async () => {
    const editor = await createEditor(app);

    const res = await changePassword(editor.token, { current_password: 'not my password', new_password: 'a brand new passphrase' });

    expectProblem(res, 422, 'wrong_password');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/body/current_password' })]);
    expect((await login(editor.email, editor.password)).status).toBe(200);
  });

  test('when the new password equals the current one, then 422 password_unchanged', async () => {
    const editor = await createEditor(app);

    const res = await changePassword(editor.token, { current_password: editor.password, new_password: editor.password });

    expectProblem(res, 422, 'password_unchanged');
    expect((await refresh(editor.refreshToken)).status).toBe(200);
  });

  test('when the new password is shorter than 12 characters, then 400 validation_failed naming it', async () => {
    const editor = await createEditor(app);

    const res = await changePassword(editor.token, { current_password: editor.password, new_password: 'short' });

    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining('new_password') })]));
    expect((await login(editor.email, editor.password)).status).toBe(200);
  });

  test('when no token is sent, then 401 unauthenticated before the body is looked at', async () => {
    const res = await app.request('POST', '/v1/me/password', { body: {} });

    expectProblem(res, 401, 'unauthenticated');
  });
});
