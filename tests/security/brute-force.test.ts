import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, type HttpResult, type TestApp } from '../support/test-app.js';
import { createEditor, expectProblem } from '../support/fixtures.js';

// Sign-in brute force. Behind a trusted proxy (TRUST_PROXY=loopback here) every attempt may come
// from a new address; from an untrusted peer, X-Forwarded-For is ignored.

const apps: TestApp[] = [];
/** The apps differ in their settings only: after the first, each runs on its database client (no database start of its own). */
async function appWith(env: Record<string, string>): Promise<TestApp> {
  const app = await startTestApp({ AUTH_REQUESTS_PER_MINUTE: '100000', ...env }, { sharingClientOf: apps[0] });
  apps.push(app);
  return app;
}
/** Behind the trusted proxy, short account-wide back-off: each test uses addresses of its own. */
let proxied: TestApp;
/** Behind the trusted proxy, with a long account-wide back-off. */
let patient: TestApp;
/** Reached directly: X-Forwarded-For means nothing. */
let direct: TestApp;
beforeAll(async () => {
  proxied = await appWith({ TRUST_PROXY: 'loopback', LOGIN_FREE_FAILURES: '5', LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS: '2', LOGIN_BACKOFF_MAX_SECONDS: '60' });
  patient = await appWith({ TRUST_PROXY: 'loopback', LOGIN_FREE_FAILURES: '2', LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS: '60' });
  direct = await appWith({ LOGIN_FREE_FAILURES: '5', LOGIN_BACKOFF_MAX_SECONDS: '60' });
});
afterAll(async () => {
  for (const a of [...apps].reverse()) await a.close(); // the first, which owns the database client, last
});

const login = (app: TestApp, email: string, password: string, from?: string) =>
  app.request('POST', '/v1/auth/login', { body: { email, password }, headers: from ? { 'x-forwarded-for': from } : {} });
let nextBlock = 0;
/** A fresh range of 20 addresses for one test: address(i) is its i-th. */
const addresses = () => {
  const block = nextBlock++;
  return (i: number) => `10.${block}.0.${i + 1}`;
};
const retryAfterMs = (res: HttpResult) => Number(res.headers.get('retry-after')) * 1000;

/**
 * Attempts until the first 429 (at most `max`): the statuses, and that response. The first back-off
 * is 1 s, so on a slow machine one more failure may be counted before it shows; it then doubles.
 */
async function untilThrottled(attempt: (i: number) => Promise<HttpResult>, max: number) {
  const statuses: number[] = [];
  for (let i = 0; i < max; i++) {
    const res = await attempt(i);
    statuses.push(res.status);
    if (res.status === 429) return { statuses, throttled: res };
  }
  return { statuses, throttled: undefined };
}

describe('sign-in brute force', () => {
  test('when 20 wrong passwords for one account come from 20 addresses, then sign-in is throttled, and after the back-off the right password works', async () => {
    const app = proxied;
    const address = addresses();
    const editor = await createEditor(app);

    const attempts: HttpResult[] = [];
    for (let i = 0; i < 20; i++) attempts.push(await login(app, editor.email, `wrong password ${i}`, address(i)));
    const statuses = attempts.map((r) => r.status);
    const throttled = attempts.find((r) => r.status === 429) as HttpResult;

    expect(statuses.slice(0, 11)).toEqual(Array(11).fill(401)); // 10 free failures for the account, the 11th starts the back-off
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
    expectProblem(throttled, 429, 'rate_limited');
    expect(retryAfterMs(throttled)).toBeGreaterThanOrEqual(1000);
    expect(retryAfterMs(throttled)).toBeLessThanOrEqual(2000);
    expect(throttled.headers.get('ratelimit')).toMatch(/"login-account";r=0;t=[12]/);

    let signIn = await login(app, editor.email, editor.password, address(20));
    for (let waits = 0; signIn.status === 429 && waits < 3; waits++) {
      await sleep(retryAfterMs(signIn) + 100);
      signIn = await login(app, editor.email, editor.password, address(20));
    }
    expect(signIn.status).toBe(200);
  });

  test('when an attacker holds the account-wide back-off, then the editor still signs in from an address they used before', async () => {
    const app = patient;
    const address = addresses();
    const editor = await createEditor(app);
    const home = address(19);
    expect((await login(app, editor.email, editor.password, home)).status).toBe(200);
    // 4 free failures for the account, then back-offs of 1, 2, 4 and 8 s: wait out all but the last
    for (let i = 0, failed = 0; failed < 8; i++) {
      const res = await login(app, editor.email, `wrong password ${i}`, address(i));
      if (res.status === 429) await sleep(retryAfterMs(res));
      else failed++;
    }

    const fromElsewhere = await login(app, editor.email, editor.password, address(18));
    const fromHome = await login(app, editor.email, editor.password, home);

    expectProblem(fromElsewhere, 429, 'rate_limited');
    expect(fromHome.status).toBe(200);
  });

  test.each([
    ['an existing account', true],
    ['an unknown email', false],
  ])(
    'when %s is attacked from an untrusted peer rotating X-Forwarded-For, then the per account and address back-off starts after 5 failures all the same',
    async (_case, exists) => {
      const app = direct;
      const address = addresses();
      const email = exists ? (await createEditor(app)).email : `nobody-${nextBlock}@test.example`;

      const { statuses, throttled } = await untilThrottled((i) => login(app, email, `wrong password ${i}`, address(i)), 10);

      expect(statuses.slice(0, 6)).toEqual(Array(6).fill(401)); // 5 free failures, the 6th starts the back-off
      expect(statuses.at(-1)).toBe(429);
      expect(throttled?.headers.get('ratelimit')).toMatch(/"login-account-ip";r=0;t=\d+/);
    },
  );

  test('when the same rotation comes through the trusted proxy, then each address has its own count and only the account-wide limit applies (control)', async () => {
    const app = proxied;
    const address = addresses();
    const editor = await createEditor(app);

    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login(app, editor.email, `wrong password ${i}`, address(i))).status);

    expect(statuses).toEqual(Array(7).fill(401));
  });

  test('when one address sprays one password over many accounts, then the per-address back-off stops it', async () => {
    const app = proxied;
    const from = addresses()(0);
    const block = nextBlock;

    const { statuses } = await untilThrottled((i) => login(app, `victim-${block}-${i}@test.example`, 'Summer2026!Summer', from), 26);

    expect(statuses.slice(0, 21)).toEqual(Array(21).fill(401)); // 4 × 5 free failures, the 21st starts the back-off
    expect(statuses.at(-1)).toBe(429);
  });

  test('when a sign-in fails, then RateLimit fields say how many failures are left in each scope', async () => {
    const app = proxied;
    const editor = await createEditor(app);

    const res = await login(app, editor.email, 'not the password at all', addresses()(0));

    expectProblem(res, 401, 'invalid_credentials');
    expect(res.headers.get('ratelimit-policy')).toBe('"login-account-ip";q=5;w=3600, "login-account";q=10;w=3600, "login-ip";q=20;w=3600');
    expect(res.headers.get('ratelimit')).toMatch(/^"login-account-ip";r=4;t=\d+, "login-account";r=9;t=\d+, "login-ip";r=19;t=\d+$/);
  });
});
