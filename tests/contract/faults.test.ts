import type { Services } from '../../src/handlers/services.js';
import { apiOperations, loadContract } from '../../src/http/contract.js';
import { createEditor, expectProblem, type TestEditor } from '../support/fixtures.js';
import { VALID_REQUESTS } from '../support/operation-requests.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startAppWithUnreachableDatabase, type UnreachableDatabaseApp } from '../support/unreachable-database-app.js';

// Every operation's documented 500 and 503, by fault injection: a service that fails unexpectedly
// (a stub in place of every service call but token verification) must answer 500 internal_error with
// nothing internal in it; a database that does not answer must answer 503 with Retry-After.

const INJECTED = 'injected fault: select * from reviews failed';

/** Every service call fails as a broken query would, except the token check that lets requests reach their handler. */
function failEveryServiceCall(services: Services, keep: string[]): void {
  for (const [name, service] of Object.entries(services) as [string, Record<string, unknown>][]) {
    for (const [method, value] of Object.entries(service)) {
      if (typeof value !== 'function' || keep.includes(`${name}.${method}`)) continue;
      service[method] = async () => {
        throw new Error(INJECTED);
      };
    }
  }
}

let failing: TestApp;
let admin: TestEditor;
let down: UnreachableDatabaseApp;
beforeAll(async () => {
  [failing, down] = await Promise.all([startTestApp(), startAppWithUnreachableDatabase()]);
  admin = await createEditor(failing, 'admin');
  failEveryServiceCall(failing.services, ['auth.principalFor']);
});
afterAll(async () => {
  await Promise.all([failing?.close(), down?.close()]);
});

for (const [title, send] of VALID_REQUESTS) {
  describe(title, () => {
    test('when a service fails unexpectedly, then 500 internal_error that says nothing of the cause', async () => {
      const res = await send(failing, admin.token);

      expectProblem(res, 500, 'internal_error');
      expect(res.text).not.toContain('injected fault');
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    test('when the database does not answer, then 503 service_unavailable with Retry-After', async () => {
      const res = await send(down, down.token('admin'));

      expectProblem(res, 503, 'service_unavailable');
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    });
  });
}

test('when the requests above are listed, then they are one per operation of the contract', () => {
  const operations = apiOperations(loadContract()).map((op) => `${op.method.toUpperCase()} /v1${op.expressPath.replace(/:(\w+)/g, '{$1}')}`);

  expect(VALID_REQUESTS.map(([title]) => title).sort()).toEqual(operations.sort());
});
