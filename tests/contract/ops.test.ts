import { startTestApp, type TestApp } from '../support/test-app.js';
import { expectProblem } from '../support/fixtures.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('GET /livez and /readyz', () => {
  test('when the database answers, then both report ok and are not cacheable', async () => {
    const live = await app.request('GET', '/livez');
    const ready = await app.request('GET', '/readyz');
    expect(live.body).toEqual({ status: 'ok' });
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'ok' } });
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
