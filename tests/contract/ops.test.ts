import { useTestApp } from '../support/test-app.js';
import { startAppWithUnreachableDatabase } from '../support/unreachable-database-app.js';
import { expectProblem } from '../support/fixtures.js';

const app = useTestApp();

describe('GET /livez and /readyz', () => {
  test('when the database answers, then both report ok and are not cacheable', async () => {
    const live = await app.request('GET', '/livez');
    const ready = await app.request('GET', '/readyz');
    expect(live.body).toEqual({ status: 'ok' });
    // a breaker guards a PostgreSQL server; the embedded database has none to report
    const circuits = process.env.TEST_DATABASE_URL ? { circuits: { primary: 'closed' } } : {};
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'ok' }, ...circuits });
    expect(ready.headers.get('cache-control')).toBe('no-store');
  });
});

describe('GET /metrics', () => {
  test('when requests were served, then their durations appear by route template, not raw path', async () => {
    await app.request('GET', '/v1/content/no-such-review');
    const res = await app.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toContain('route="/v1/content/:idOrSlug"');
    expect(res.text).not.toContain('no-such-review');
  });
});

describe('GET /openapi.json and /docs', () => {
  test('when asked for the contract, then it is the OpenAPI 3.1 document with every operation', async () => {
    const res = await app.request('GET', '/openapi.json');
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/content', '/reviews', '/editors/{editorId}']));
  });

  test('when a browser opens /docs/, then Swagger UI is served from this server', async () => {
    const res = await app.request('GET', '/docs/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toContain('swagger-ui');
  });
});

describe('unknown routes', () => {
  test('when the path is not in the contract, then 404 problem+json', async () => {
    expectProblem(await app.request('GET', '/v1/no-such-thing'), 404, 'not_found');
    expectProblem(await app.request('GET', '/wp-admin'), 404, 'not_found');
  });

  test('when the method is not in the contract for that path, then 405 problem+json', async () => {
    expectProblem(await app.request('PUT', '/v1/content', { body: {} }), 405, 'method_not_allowed');
    expectProblem(await app.request('DELETE', '/v1/products'), 405, 'method_not_allowed');
  });

  test('when any response is sent, then it carries a request id and security headers', async () => {
    const res = await app.request('GET', '/v1/content', { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('when the database is down', () => {
  // A server whose DATABASE_URL points at a port where nothing listens: what a reader and a
  // load balancer see during a database outage.
  let down: { baseUrl: string; close: () => Promise<void> };
  beforeAll(async () => {
    down = await startAppWithUnreachableDatabase();
  });
  afterAll(async () => {
    await down.close();
  });

  test('when a reader asks for content, then 503 service_unavailable with Retry-After, not a 500', async () => {
    const res = await fetch(`${down.baseUrl}/v1/content`);
    const body = (await res.json()) as { code: string; detail: string };

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body.code).toBe('service_unavailable');
    expect(body.detail).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  test('when probed, then /livez is still 200 and /readyz is 503 so traffic goes elsewhere', async () => {
    const live = await fetch(`${down.baseUrl}/livez`);
    const ready = await fetch(`${down.baseUrl}/readyz`);

    expect(live.status).toBe(200);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'unavailable',
      checks: { database: 'unavailable' },
      circuits: { primary: expect.stringMatching(/^(closed|open|half_open)$/) },
    });
  });
});
