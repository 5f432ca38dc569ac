import { randomBytes, randomUUID } from 'node:crypto';
import { generateKeyPair } from 'jose';
import jwt from 'jsonwebtoken';
import { keyIdOf } from '../../src/domain/access-tokens.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createEditor, createProduct, expectProblem, reviewInput } from '../support/fixtures.js';
import { IDP_ISSUER, startIdentityProvider, type IdentityProvider } from '../support/identity-provider.js';

// Signing-key rotation without signing anyone out, and access tokens of an external identity
// provider verified through its JWKS (served locally: tests have no internet).

const OLD_SECRET = `old-${randomBytes(24).toString('hex')}`;
const NEW_SECRET = `new-${randomBytes(24).toString('hex')}`;

let app: TestApp;
let idp: IdentityProvider;
beforeAll(async () => {
  idp = await startIdentityProvider();
  app = await startTestApp({ JWT_SECRET: NEW_SECRET, JWT_PREVIOUS_SECRETS: OLD_SECRET, JWT_JWKS_URL: idp.jwksUrl, JWT_JWKS_ISSUER: IDP_ISSUER });
});
afterAll(async () => {
  await app.close();
  await idp.close();
});

const getMe = (token: string) => app.request('GET', '/v1/me', { token });
const ourToken = (sub: string, secret: string, kid = keyIdOf(secret)) =>
  jwt.sign({ role: 'editor' }, secret, {
    algorithm: 'HS256',
    expiresIn: 300,
    issuer: app.config.jwt.issuer,
    audience: app.config.jwt.audience,
    subject: sub,
    keyid: kid,
  });
const providerToken = (email: unknown, claims: Record<string, unknown> = {}) =>
  idp.sign({ sub: `idp|${randomUUID()}`, aud: app.config.jwt.audience, email, ...claims });
const kidOf = (token: string) => jwt.decode(token, { complete: true })?.header.kid ?? '';

describe('signing-key rotation', () => {
  test('when the key has rotated, then tokens signed before with the previous key still work and new ones carry the new kid', async () => {
    const editor = await createEditor(app);

    const before = await getMe(ourToken(editor.id, OLD_SECRET));

    expect(before.status).toBe(200);
    expect(kidOf(editor.token)).toBe(keyIdOf(NEW_SECRET));
    expect(kidOf(editor.token)).not.toBe(keyIdOf(OLD_SECRET));
  });

  test.each([
    ['is signed with the previous key but names the current kid', (sub: string) => ourToken(sub, OLD_SECRET, keyIdOf(NEW_SECRET))],
    ['is signed with the current key but names the previous kid', (sub: string) => ourToken(sub, NEW_SECRET, keyIdOf(OLD_SECRET))],
    ['is signed with a key that was dropped from the overlap', (sub: string) => ourToken(sub, `gone-${randomBytes(24).toString('hex')}`)],
  ])('when a token %s, then 401 invalid_token', async (_case, makeToken) => {
    const editor = await createEditor(app);

    expectProblem(await getMe(makeToken(editor.id)), 401, 'invalid_token');
  });
});

describe('tokens of an external identity provider', () => {
  test('when the provider vouches for the email of an active editor (any letter case), then they act as that editor', async () => {
    const editor = await createEditor(app);
    const product = await createProduct(app);
    const token = await providerToken(editor.email.toUpperCase());

    const me = await getMe(token);
    const post = await app.request('POST', '/v1/reviews', { token, body: reviewInput(product.id) });

    expect(me.status).toBe(200);
    expect(me.body.id).toBe(editor.id);
    expect(post.status).toBe(201);
    expect(post.body.editor.id).toBe(editor.id);
  });

  test.each([
    ['names an email no editor has', () => providerToken(`nobody-${randomUUID()}@test.example`)],
    ['has no email claim', () => providerToken(undefined)],
    ['says the email is not verified', async () => providerToken((await createEditor(app)).email, { email_verified: false })],
    ['is from another issuer', async () => providerToken((await createEditor(app)).email, { iss: 'https://evil.example/' })],
    ['is for another audience', async () => providerToken((await createEditor(app)).email, { aud: 'another-api' })],
    [
      'has expired',
      async () =>
        idp.sign({ sub: 'idp|1', aud: app.config.jwt.audience, email: (await createEditor(app)).email }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
    ],
    [
      'is signed by another key under the provider kid',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return idp.sign({ sub: 'idp|1', aud: app.config.jwt.audience, email: (await createEditor(app)).email }, { key: privateKey });
      },
    ],
    [
      'names a kid the provider does not publish',
      async () => idp.sign({ sub: 'idp|1', aud: app.config.jwt.audience, email: (await createEditor(app)).email }, { kid: 'idp-key-unknown' }),
    ],
  ])('when the provider token %s, then 401 invalid_token', async (_case, makeToken) => {
    expectProblem(await getMe(await makeToken()), 401, 'invalid_token');
  });

  test('when the provider JWKS cannot be fetched, then its tokens get 503 service_unavailable with Retry-After (not a 401 that signs people out) and ours work as before', async () => {
    const down = await startIdentityProvider();
    const other = await startTestApp({ JWT_JWKS_URL: down.jwksUrl, JWT_JWKS_ISSUER: IDP_ISSUER }, { sharingClientOf: app });
    try {
      const editor = await createEditor(other);
      const token = await down.sign({ sub: 'idp|1', aud: other.config.jwt.audience, email: editor.email });
      down.answer(500);

      const res = await other.request('GET', '/v1/me', { token });
      const ours = await other.request('GET', '/v1/me', { token: editor.token });
      const oursExpired = await other.request('GET', '/v1/me', {
        token: jwt.sign(
          { sub: editor.id, iss: other.config.jwt.issuer, aud: other.config.jwt.audience, exp: Math.floor(Date.now() / 1000) - 60 },
          other.jwtSecret,
          { keyid: keyIdOf(other.jwtSecret) },
        ),
      });

      expectProblem(res, 503, 'service_unavailable');
      expect(res.headers.get('retry-after')).toBe('5');
      expect(ours.status).toBe(200); // our own tokens do not depend on the provider
      expectProblem(oursExpired, 401, 'invalid_token');
    } finally {
      await other.close();
      await down.close();
    }
  });
});
