import { randomBytes } from 'node:crypto';
import { apiOperations, loadContract } from '../../src/http/contract.js';
import { expectProblem, PASSWORD } from '../support/fixtures.js';
import { VALID_REQUESTS } from '../support/operation-requests.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

// Every operation the contract marks `x-rate-limit` answers its documented 429 once its quota is
// spent: quotas of one request, so each operation's second call is over. Each test speaks from an
// address and as an editor of its own (the app trusts the loopback proxy), so no test spends another's quota.

const LIMITED = new Set(
  apiOperations(loadContract())
    .filter((op) => op.rateLimits.length > 0)
    .map((op) => `${op.method.toUpperCase()} /v1${op.expressPath.replace(/:(\w+)/g, '{$1}')}`),
);

const app = useTestApp({ AUTH_REQUESTS_PER_MINUTE: '1', EDITOR_REQUESTS_PER_MINUTE: '1', TRUST_PROXY: 'loopback' });

/** An admin's access token (admins may call every operation), issued without HTTP so that no quota is spent on it. */
async function adminToken(): Promise<string> {
  const email = `quota-${randomBytes(4).toString('hex')}@test.example`;
  await app.services.editors.create({ email, display_name: 'Quota', role: 'admin', initial_password: PASSWORD }, { mustChangePassword: false });
  return (await app.services.auth.login(email, PASSWORD)).access_token;
}

/** The app as seen from an address of its own. */
function from(address: string): Pick<TestApp, 'request'> {
  return { request: (method, path, options = {}) => app.request(method, path, { ...options, headers: { ...options.headers, 'x-forwarded-for': address } }) };
}

for (const [title, send] of VALID_REQUESTS.filter(([title]) => LIMITED.has(title))) {
  describe(title, () => {
    test('when the quota is spent, then 429 rate_limited with Retry-After', async () => {
      const client = from(`198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}`);
      const token = await adminToken();

      const first = await send(client, token);
      const over = await send(client, token);

      expect(first.status).not.toBe(429);
      expectProblem(over, 429, 'rate_limited');
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });
  });
}

test('when the limited operations are listed, then every one has a valid request to send', () => {
  expect(VALID_REQUESTS.filter(([title]) => LIMITED.has(title)).length).toBe(LIMITED.size);
  expect(LIMITED.size).toBeGreaterThanOrEqual(10);
});
