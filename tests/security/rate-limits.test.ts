import { randomUUID } from 'node:crypto';
import { createRateLimitStore, type RateLimitStore } from '../../src/data/rate-limit-store.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createEditor, expectProblem } from '../support/fixtures.js';

// Request quotas and their RateLimit fields. Shared limits run against TEST_REDIS_URL's Redis
// when it is set (CI sets it), else against one in-memory store that both instances hold.

const REDIS_URL = process.env.TEST_REDIS_URL;
const apps: TestApp[] = [];
const stores: RateLimitStore[] = [];
async function appWith(env: Record<string, string>, rateLimitStore?: RateLimitStore): Promise<TestApp> {
  const app = await startTestApp(env, { rateLimitStore });
  apps.push(app);
  return app;
}
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await Promise.all(stores.map((s) => s.close()));
});

/** The rate-limit store of one more instance of a deployment (same key prefix: same counters). */
async function instanceStore(keyPrefix: string, shared: RateLimitStore | undefined): Promise<RateLimitStore> {
  if (!REDIS_URL) return shared as RateLimitStore;
  const store = createRateLimitStore({ redisUrl: REDIS_URL, keyPrefix });
  stores.push(store);
  await store.ready();
  return store;
}

const refresh = (app: TestApp) => app.request('POST', '/v1/auth/refresh', { body: { refresh_token: `rt_${randomUUID()}${randomUUID()}` } });

describe('editor quota', () => {
  test('when an editor calls token routes, then RateLimit fields count down and the call over the quota is 429 with Retry-After', async () => {
    const app = await appWith({ EDITOR_REQUESTS_PER_MINUTE: '3' });
    const editor = await createEditor(app);

    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await app.request('GET', '/v1/me', { token: editor.token }));
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
    const app = await appWith({ EDITOR_REQUESTS_PER_MINUTE: '1' });
    const [busy, other] = [await createEditor(app), await createEditor(app)];
    await app.request('GET', '/v1/me', { token: busy.token });

    expectProblem(await app.request('GET', '/v1/me', { token: busy.token }), 429, 'rate_limited');
    expect((await app.request('GET', '/v1/me', { token: other.token })).status).toBe(200);
  });

  test('when anyone reads public content or products, then nothing is counted and no RateLimit field is sent', async () => {
    const app = await appWith({ EDITOR_REQUESTS_PER_MINUTE: '1', AUTH_REQUESTS_PER_MINUTE: '1' });

    const reads = [];
    for (let i = 0; i < 3; i++) reads.push(await app.request('GET', '/v1/content'), await app.request('GET', '/v1/products'));

    expect(reads.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(reads.map((r) => r.headers.get('ratelimit') ?? r.headers.get('ratelimit-policy'))).toEqual(Array(6).fill(null));
  });
});

describe('auth quota per address', () => {
  test('when sign-in, refresh and sign-out come from one address over its quota, then 429 whatever the operation', async () => {
    const app = await appWith({ AUTH_REQUESTS_PER_MINUTE: '3' });

    const statuses = [
      (await app.request('POST', '/v1/auth/login', { body: { email: 'a@test.example', password: 'some password 1' } })).status,
      (await refresh(app)).status,
      (await app.request('POST', '/v1/auth/logout', { body: { refresh_token: `rt_${randomUUID()}${randomUUID()}` } })).status,
    ];
    const over = await refresh(app);

    expect(statuses).toEqual([401, 401, 204]);
    expectProblem(over, 429, 'rate_limited');
    expect(over.headers.get('ratelimit')).toMatch(/^"auth-ip";r=0;t=\d+$/);
  });
});

describe(`limits shared across instances (${REDIS_URL ? 'Redis' : 'one in-memory store'})`, () => {
  test('when two instances of one deployment serve the same address, then they count against one quota', async () => {
    const prefix = `test-${randomUUID()}`;
    const shared = REDIS_URL ? undefined : createRateLimitStore({ redisUrl: undefined, keyPrefix: prefix });
    const env = { AUTH_REQUESTS_PER_MINUTE: '3', ...(REDIS_URL && { REDIS_URL, RATE_LIMIT_PREFIX: prefix }) };
    const first = await appWith(env, await instanceStore(prefix, shared));
    const second = await appWith(env, await instanceStore(prefix, shared));

    const statuses = [(await refresh(first)).status, (await refresh(second)).status, (await refresh(first)).status];
    const over = await refresh(second);

    expect(statuses).toEqual([401, 401, 401]);
    expectProblem(over, 429, 'rate_limited');
  });

  test('when two instances keep limits in their own memory, then each counts alone (control)', async () => {
    const env = { AUTH_REQUESTS_PER_MINUTE: '3' };
    const [first, second] = [await appWith(env), await appWith(env)];

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await refresh(first)).status, (await refresh(second)).status);

    expect(statuses).toEqual(Array(6).fill(401));
  });

  test('when Redis does not answer, then the service still starts and each instance limits on its own', async () => {
    const app = await appWith({ REDIS_URL: 'redis://127.0.0.1:1', AUTH_REQUESTS_PER_MINUTE: '2' });

    const statuses = [(await refresh(app)).status, (await refresh(app)).status, (await refresh(app)).status];

    expect(statuses).toEqual([401, 401, 429]);
  });
});
