import { randomBytes, randomUUID } from 'node:crypto';
import { createRateLimitStore, type RateLimitStore } from '../../src/data/rate-limit-store.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { expectProblem, PASSWORD } from '../support/fixtures.js';

// Request quotas and their RateLimit fields. Shared limits run against TEST_REDIS_URL's Redis
// when it is set (CI sets it), else against one in-memory store that both instances hold.
// The apps trust the loopback proxy, so each test speaks from addresses of its own.

const REDIS_URL = process.env.TEST_REDIS_URL;
const LIMITS = { AUTH_REQUESTS_PER_MINUTE: '3', EDITOR_REQUESTS_PER_MINUTE: '3', TRUST_PROXY: 'loopback' };

const apps: TestApp[] = [];
const stores: RateLimitStore[] = [];
/** The apps differ in their limits only: after the first, each runs on its database client (no database start of its own). */
async function appWith(env: Record<string, string>, rateLimitStore?: RateLimitStore): Promise<TestApp> {
  const app = await startTestApp(env, { rateLimitStore, sharingClientOf: apps[0] });
  apps.push(app);
  return app;
}
let app: TestApp;
let twin: TestApp; // same settings, limits in its own memory
beforeAll(async () => {
  [app, twin] = [await appWith(LIMITS), await appWith(LIMITS)];
});
afterAll(async () => {
  for (const a of [...apps].reverse()) await a.close(); // the first, which owns the database client, last
  await Promise.all(stores.map((s) => s.close()));
});

/** An editor's access token, issued without HTTP so that no quota is spent on it. */
async function editorToken(target = app): Promise<string> {
  const email = `limits-${randomBytes(4).toString('hex')}@test.example`;
  await target.services.editors.create({ email, display_name: 'Limits', initial_password: PASSWORD }, { mustChangePassword: false });
  return (await target.services.auth.login(email, PASSWORD)).access_token;
}
const newAddress = () => `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
const refresh = (target: TestApp, from: string) =>
  target.request('POST', '/v1/auth/refresh', { body: { refresh_token: `rt_${randomUUID()}${randomUUID()}` }, headers: { 'x-forwarded-for': from } });

describe('editor quota', () => {
  test('when an editor calls token routes, then RateLimit fields count down and the call over the quota is 429 with Retry-After', async () => {
    const token = await editorToken();

    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await app.request('GET', '/v1/me', { token }));
    const over = responses[3] as (typeof responses)[number];

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(responses.map((r) => r.headers.get('ratelimit-policy'))).toEqual(Array(4).fill('"editor";q=3;w=60'));
    expect(responses.slice(0, 3).map((r) => r.headers.get('ratelimit')?.replace(/t=\d+/, 't=*'))).toEqual([
      '"editor";r=2;t=*',
      '"editor";r=1;t=*',
      '"editor";r=0;t=*',
    ]);
    expectProblem(over, 429, 'rate_limited');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });

  test('when one editor has used up the quota, then another editor is not limited', async () => {
    const [busy, other] = [await editorToken(), await editorToken()];
    for (let i = 0; i < 3; i++) await app.request('GET', '/v1/me', { token: busy });

    expectProblem(await app.request('GET', '/v1/me', { token: busy }), 429, 'rate_limited');
    expect((await app.request('GET', '/v1/me', { token: other })).status).toBe(200);
  });

  test('when anyone reads public content or products, then nothing is counted and no RateLimit field is sent', async () => {
    const from = newAddress();
    const reads = [];
    for (let i = 0; i < 3; i++) {
      reads.push(await app.request('GET', '/v1/content', { headers: { 'x-forwarded-for': from } }));
      reads.push(await app.request('GET', '/v1/products', { headers: { 'x-forwarded-for': from } }));
    }

    expect(reads.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(reads.map((r) => r.headers.get('ratelimit') ?? r.headers.get('ratelimit-policy'))).toEqual(Array(6).fill(null));
    expect((await refresh(app, from)).headers.get('ratelimit')).toMatch(/^"auth-ip";r=2;/); // the reads spent nothing
  });
});

describe('auth quota per address', () => {
  test('when sign-in, refresh and sign-out come from one address over its quota, then 429 whatever the operation', async () => {
    const from = newAddress();
    const headers = { 'x-forwarded-for': from };

    const statuses = [
      (await app.request('POST', '/v1/auth/login', { body: { email: 'a@test.example', password: 'some password 1' }, headers })).status,
      (await refresh(app, from)).status,
      (await app.request('POST', '/v1/auth/logout', { body: { refresh_token: `rt_${randomUUID()}${randomUUID()}` }, headers })).status,
    ];
    const over = await refresh(app, from);
    const otherAddress = await refresh(app, newAddress());

    expect(statuses).toEqual([401, 401, 204]);
    expectProblem(over, 429, 'rate_limited');
    expect(over.headers.get('ratelimit')).toMatch(/^"auth-ip";r=0;t=\d+$/);
    expectProblem(otherAddress, 401, 'invalid_refresh_token');
  });
});

describe(`limits shared across instances (${REDIS_URL ? 'Redis' : 'one in-memory store'})`, () => {
  test('when two instances of one deployment serve the same address, then they count against one quota', async () => {
    const prefix = `test-${randomUUID()}`;
    const shared = REDIS_URL ? undefined : createRateLimitStore({ redisUrl: undefined, keyPrefix: prefix });
    const instanceStore = async () => {
      if (!REDIS_URL) return shared as RateLimitStore;
      const store = createRateLimitStore({ redisUrl: REDIS_URL, keyPrefix: prefix });
      stores.push(store);
      await store.ready();
      return store;
    };
    const env = { ...LIMITS, ...(REDIS_URL && { REDIS_URL, RATE_LIMIT_PREFIX: prefix }) };
    const first = await appWith(env, await instanceStore());
    const second = await appWith(env, await instanceStore());
    const from = newAddress();

    const statuses = [(await refresh(first, from)).status, (await refresh(second, from)).status, (await refresh(first, from)).status];
    const over = await refresh(second, from);

    expect(statuses).toEqual([401, 401, 401]);
    expectProblem(over, 429, 'rate_limited');
  });

  test('when two instances keep limits in their own memory, then each counts alone (control)', async () => {
    const from = newAddress();

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await refresh(app, from)).status, (await refresh(twin, from)).status);

    expect(statuses).toEqual(Array(6).fill(401));
  });

  test('when Redis does not answer, then the service still starts and each instance limits on its own', async () => {
    const unreachable = await appWith({ ...LIMITS, REDIS_URL: 'redis://127.0.0.1:1' });
    const from = newAddress();

    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await refresh(unreachable, from)).status);

    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
