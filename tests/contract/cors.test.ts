import { useTestApp } from '../support/test-app.js';
import { expectProblem } from '../support/fixtures.js';

// Browsers: public reads from any page; editor and auth routes only from the portal's origins.

const PORTAL = 'https://portal.randomcamerareviews.example';
const ELSEWHERE = 'https://evil.example';

const app = useTestApp({ CORS_ORIGINS: `${PORTAL}, http://localhost:5173` });

const preflight = (path: string, origin: string, method: string) =>
  app.request('OPTIONS', path, {
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' },
  });

describe('CORS on public reads', () => {
  test('when any page reads content or products, then any origin is granted and ETag is exposed', async () => {
    const content = await app.request('GET', '/v1/content', { headers: { origin: ELSEWHERE } });
    const products = await preflight('/v1/products', ELSEWHERE, 'GET');

    expect(content.status).toBe(200);
    expect(content.headers.get('access-control-allow-origin')).toBe('*');
    expect(content.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(products.status).toBe(204);
    expect(products.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('CORS on editor and auth routes', () => {
  test('when the portal preflights a review post, then its origin, Authorization and the method are granted', async () => {
    const res = await preflight('/v1/reviews', PORTAL, 'POST');

    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });

  test("when the portal preflights a review post with the SDK's Idempotency-Key, then that header is granted", async () => {
    const res = await app.request('OPTIONS', '/v1/reviews', {
      headers: { origin: PORTAL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
    });

    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
  });

  test('when another site preflights a review post, a product post or a sign-in, then nothing is granted', async () => {
    for (const [path, method] of [
      ['/v1/reviews', 'POST'],
      ['/v1/products', 'POST'],
      ['/v1/auth/login', 'POST'],
    ] as const) {
      const res = await preflight(path, ELSEWHERE, method);
      expect({ path, allowed: res.headers.get('access-control-allow-origin') }).toEqual({ path, allowed: null });
    }
  });

  test('when the portal gets a 401, then the problem is readable by the page', async () => {
    const res = await app.request('POST', '/v1/reviews', { headers: { origin: 'http://localhost:5173' }, body: {} });

    expectProblem(res, 401, 'unauthenticated');
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  test('when a preflight asks for a method the path does not have, then nothing is granted', async () => {
    const res = await preflight('/v1/content', PORTAL, 'DELETE');

    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
