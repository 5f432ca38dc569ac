import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { apiOperations, loadContract } from '../../src/http/contract.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp, type HttpResult, type TestApp } from '../support/test-app.js';
import { createEditor, createProduct, expectProblem, reviewInput, writeReview, type TestEditor } from '../support/fixtures.js';

// What an outside tester found in minutes (issue 13): hostile values in query, path and body, HEAD,
// and the contract's small untruths. Three runtimes on one database client: `app` as deployed
// (read cache, public read lane, full stack), `laneOnly` (no cache) and `fullStack` (neither), so
// each answer is checked on every path a public GET can take.

const logLines: string[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
const UNCACHED = { READ_CACHE_TTL_SECONDS: '0' };

let app: TestApp;
let laneOnly: TestApp;
let fullStack: TestApp;
let admin: TestEditor;
let author: TestEditor;
let productId = '';
let reviewId = '';
let slug = '';
let otherSlug = '';

beforeAll(async () => {
  app = await startTestApp({}, { logger: createLogger('info', capture) });
  laneOnly = await startTestApp(UNCACHED, { sharingClientOf: app });
  fullStack = await startTestApp({ ...UNCACHED, PUBLIC_READ_LANE: 'false' }, { sharingClientOf: app });
  admin = await createEditor(app, 'admin');
  author = await createEditor(app);
  productId = (await createProduct(app, { brand: 'Hostilebrand' })).id;
  const first = await writeReview(app, author, productId, { title: 'Hostile input first' });
  const second = await writeReview(app, author, productId, { title: 'Hostile input second' });
  reviewId = first.id;
  slug = first.slug;
  otherSlug = second.slug;
  // the lane answers an operation once the full stack has answered it once
  for (const target of [app, laneOnly]) {
    for (const path of publicReads()) expect((await target.request('GET', path)).status).toBe(200);
  }
});

afterAll(async () => {
  await fullStack?.close();
  await laneOnly?.close();
  await app?.close();
});

const publicReads = () => ['/v1/content', `/v1/content/${slug}`, `/v1/content/compare?ids=${slug},${otherSlug}`, '/v1/products', `/v1/products/${productId}`];
const everyPath = () => [app, laneOnly, fullStack];
const errorLines = () => logLines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);

/** 400 problem+json naming the field. */
function expectFieldRejected(res: HttpResult, path: string, code = 'validation_failed') {
  expectProblem(res, 400, code);
  expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
}

// Every answer below is checked on `app` (cache, lane, full stack), `laneOnly` and `fullStack`.
const ON_EVERY_PATH = '(cached stack, lane, full stack)';

describe('GET /v1/content', () => {
  test.each([
    ['q=a%00b', '/query/q'],
    ['brand=Hostile%00brand', '/query/brand'],
    ['mount=X%00', '/query/mount'],
  ])(`when ?%s carries a NUL ${ON_EVERY_PATH}, then 400 naming %s and nothing logged at error level`, async (query, field) => {
    const before = errorLines().length;
    for (const target of everyPath()) expectFieldRejected(await target.request('GET', `/v1/content?${query}`), field);
    expect(errorLines().slice(before)).toEqual([]);
  });

  test.each([
    ['limit=Infinity', '/query/limit'],
    ['verdict_min=Infinity', '/query/verdict_min'],
    ['verdict_min=1e309', '/query/verdict_min'],
    ['verdict_max=-Infinity', '/query/verdict_max'],
    ['verdict_max=NaN', '/query/verdict_max'],
  ])(`when ?%s is not a finite number ${ON_EVERY_PATH}, then 400 naming %s`, async (query, field) => {
    for (const target of everyPath()) expectFieldRejected(await target.request('GET', `/v1/content?${query}`), field);
  });
});

describe('GET /v1/content/{idOrSlug}', () => {
  test(`when the slug carries a NUL ${ON_EVERY_PATH}, then 400 naming /path/idOrSlug`, async () => {
    for (const target of everyPath()) expectFieldRejected(await target.request('GET', '/v1/content/a%00b'), '/path/idOrSlug');
  });

  test.each(['%zz', '%FF', '%C0%AE%C0%AE', 'ok%E0%A4%A'])(
    `when the slug is the malformed escape %s ${ON_EVERY_PATH}, then 400 malformed_request, not 500`,
    async (slugText) => {
      for (const target of everyPath()) expectProblem(await target.request('GET', `/v1/content/${slugText}`), 400, 'malformed_request');
    },
  );
});

describe('GET /v1/products', () => {
  test.each([
    ['q=a%00b', '/query/q'],
    ['brand=%00', '/query/brand'],
    ['mount=E%00E', '/query/mount'],
    ['limit=Infinity', '/query/limit'],
    ['limit=1e309', '/query/limit'],
  ])(`when ?%s is sent ${ON_EVERY_PATH}, then 400 naming %s and nothing logged at error level`, async (query, field) => {
    const before = errorLines().length;
    for (const target of everyPath()) expectFieldRejected(await target.request('GET', `/v1/products?${query}`), field);
    expect(errorLines().slice(before)).toEqual([]);
  });
});

describe.each([
  ['GET /v1/products/{productId}', '/v1/products/'],
  ['GET /v1/reviews/{reviewId}', '/v1/reviews/'],
  ['GET /v1/editors/{editorId}', '/v1/editors/'],
])('%s', (_operation, prefix) => {
  test.each(['%zz', '%FF', '%C0%AE%C0%AE'])(`when the id is the malformed escape %s ${ON_EVERY_PATH}, then 400 malformed_request, not 500`, async (id) => {
    for (const target of everyPath()) expectProblem(await target.request('GET', `${prefix}${id}`, { token: admin.token }), 400, 'malformed_request');
  });
});

describe.each(['/v1/reviews', '/v1/editors'])('GET %s', (path) => {
  test.each(['Infinity', '1e309'])('when ?limit=%s, then 400 naming /query/limit', async (limit) => {
    expectFieldRejected(await app.request('GET', `${path}?limit=${limit}`, { token: admin.token }), '/query/limit');
  });
});

describe('POST /v1/reviews', () => {
  test('when title, body or pros carry a NUL, then 400 naming each field and no review is stored', async () => {
    const before = await app.request('GET', '/v1/reviews?limit=100', { token: author.token });
    const cases: [Record<string, unknown>, string][] = [
      [{ title: 'Nul\u0000title' }, '/body/title'],
      [{ body: 'Body with a \u0000 inside' }, '/body/body'],
      [{ pros: ['fine', 'bad\u0000pro'] }, '/body/pros/1'],
    ];
    for (const [overrides, field] of cases) {
      expectFieldRejected(await app.request('POST', '/v1/reviews', { token: author.token, body: reviewInput(productId, overrides) }), field);
    }
    const after = await app.request('GET', '/v1/reviews?limit=100', { token: author.token });
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  test('when verdict_score is 1e309 in the JSON, then 400 naming /body/verdict_score', async () => {
    const body = JSON.stringify(reviewInput(productId)).replace('"verdict_score":8.5', '"verdict_score":1e309');
    const res = await app.request('POST', '/v1/reviews', { token: author.token, rawBody: body, headers: { 'content-type': 'application/json' } });
    expectFieldRejected(res, '/body/verdict_score');
  });
});

describe('PATCH /v1/reviews/{reviewId}', () => {
  test('when summary carries a NUL, then 400 naming /body/summary', async () => {
    expectFieldRejected(
      await app.request('PATCH', `/v1/reviews/${reviewId}`, { token: author.token, body: { summary: 'a\u0000b' }, headers: { 'if-match': '*' } }),
      '/body/summary',
    );
  });
});

describe('POST /v1/products', () => {
  test('when brand carries a NUL, then 400 naming /body/brand', async () => {
    const product = { type: 'camera', brand: 'Nul\u0000brand', model: `M ${randomBytes(3).toString('hex')}`, mount: 'X', specs: {} };
    expectFieldRejected(await app.request('POST', '/v1/products', { token: author.token, body: product }), '/body/brand');
  });

  test('when the database fails with a driver error, then 500 and the error log holds its message and code but no SQL', async () => {
    const marker = `sqlmarker${randomBytes(3).toString('hex')}`;
    const before = errorLines().length;
    await app.db.knex.raw('alter table products rename to products_hidden');
    let res: HttpResult;
    try {
      const product = { type: 'camera', brand: 'Driverbrand', model: marker, mount: 'X', specs: {} };
      res = await app.request('POST', '/v1/products', { token: author.token, body: product });
    } finally {
      await app.db.knex.raw('alter table products_hidden rename to products');
    }

    expectProblem(res, 500, 'internal_error');
    const logged = errorLines().slice(before).join('\n');
    expect(logged).toContain('42P01');
    expect(logged).toContain('relation \\"products\\" does not exist');
    expect(logged).not.toMatch(/insert into/i);
    expect(logged).not.toContain(marker);
  });
});

describe('POST /v1/editors and PATCH /v1/editors/{editorId}', () => {
  test('when display_name carries a NUL, then 400 naming /body/display_name', async () => {
    const email = `nul-${randomBytes(4).toString('hex')}@test.example`;
    const created = await app.request('POST', '/v1/editors', {
      token: admin.token,
      body: { email, display_name: 'Nul\u0000Name', initial_password: 'a long enough passphrase 42' },
    });
    expectFieldRejected(created, '/body/display_name');
    expectFieldRejected(
      await app.request('PATCH', `/v1/editors/${author.id}`, { token: admin.token, body: { display_name: 'x\u0000' }, headers: { 'if-match': '*' } }),
      '/body/display_name',
    );
  });
});

describe('HEAD /v1/… (every GET operation of the contract)', () => {
  const values = (): Record<string, string> => ({ idOrSlug: slug, productId, reviewId, editorId: author.id });
  const urlOf = (expressPath: string) => {
    const path = `/v1${expressPath.replace(/:(\w+)/g, (_m, name: string) => values()[name] ?? name)}`;
    return path === '/v1/content/compare' ? `${path}?ids=${slug},${otherSlug}` : path;
  };
  /** What a client can compare between two answers: per-request headers aside. */
  const headersOf = (res: HttpResult) =>
    Object.fromEntries([...res.headers].filter(([name]) => !['x-request-id', 'date', 'keep-alive', 'connection', 'ratelimit'].includes(name)));

  test('when HEAD is sent where GET is documented, then the GET status and headers without a body (RFC 9110 9.3.2), on every path a read takes', async () => {
    const gets = apiOperations(loadContract()).filter((op) => op.method === 'get');
    expect(gets.length).toBeGreaterThanOrEqual(8);
    for (const op of gets) {
      const url = urlOf(op.expressPath);
      for (const target of everyPath()) {
        const token = op.requiresAuth ? (op.role === 'admin' ? admin.token : author.token) : undefined;
        const get = await target.request('GET', url, { token });
        const head = await target.request('HEAD', url, { token });
        expect({ op: op.operationId, url, status: head.status, body: head.text }).toEqual({ op: op.operationId, url, status: get.status, body: '' });
        expect(get.status).toBe(200);
        expect(headersOf(head)).toEqual(headersOf(get));
      }
    }
  });

  test('when HEAD names something that does not exist, then the GET status (404) without a body', async () => {
    const res = await app.request('HEAD', '/v1/content/no-such-review-here');
    expect({ status: res.status, body: res.text }).toEqual({ status: 404, body: '' });
  });
});

describe('GET /docs', () => {
  test('when /docs is opened without a trailing slash, then 200 with the Swagger UI page, as the contract documents', async () => {
    const res = await fetch(`${app.baseUrl}/docs`, { redirect: 'manual' });
    const page = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    // its scripts and styles resolve under /docs/, where they are served
    const scripts = [...page.matchAll(/src="([^"]+)"/g)].map((m) => new URL(m[1] ?? '', new URL(baseOf(page), `${app.baseUrl}/docs`)).pathname);
    expect(scripts).toContain('/docs/swagger-ui-bundle.js');
    for (const script of scripts) expect((await fetch(`${app.baseUrl}${script}`)).status).toBe(200);
  });
});

describe('POST /v1/auth/refresh', () => {
  test('when the refresh token is unknown, then 401 without a bearer challenge, as its own documented response says', async () => {
    const res = await app.request('POST', '/v1/auth/refresh', { body: { refresh_token: `rt_${randomBytes(24).toString('base64url')}` } });
    expectProblem(res, 401, 'invalid_refresh_token');
    expect(res.headers.get('www-authenticate')).toBeNull();
    const documented = loadContract().paths['/auth/refresh']?.post as { responses: Record<string, { $ref?: string }> };
    const response = resolveResponse(documented.responses['401']);
    expect(Object.keys(response.headers ?? {})).not.toContain('WWW-Authenticate');
  });
});

describe('GET /v1/content/{idOrSlug} revalidated', () => {
  test('when a reader revalidates through the full stack, the lane or the cached fast path, then 304 carries no Content-Type', async () => {
    const path = `/v1/content/${slug}`;
    const etag = (await fullStack.request('GET', path)).headers.get('etag') ?? '';
    for (const target of [fullStack, laneOnly, app, app]) {
      const res = await target.request('GET', path, { headers: { 'if-none-match': etag } });
      expect({ status: res.status, contentType: res.headers.get('content-type'), body: res.text }).toEqual({ status: 304, contentType: null, body: '' });
      expect(res.headers.get('etag')).toBe(etag);
    }
  });
});

describe('openapi/reviews.yaml documents only what can happen', () => {
  const operations = () => {
    const doc = loadContract();
    return Object.values(doc.paths).flatMap((item) =>
      Object.values(item).filter(
        (op): op is { operationId: string; responses: Record<string, unknown> } => typeof op === 'object' && op !== null && 'operationId' in op,
      ),
    );
  };

  test('when a public read is documented, then no 429 (public reads are never rate-limited)', () => {
    const publicIds = ['listContent', 'compareContent', 'getContent', 'listProducts', 'getProduct'];
    const documented = operations().filter((op) => publicIds.includes(op.operationId) && '429' in op.responses);
    expect(documented.map((op) => op.operationId)).toEqual([]);
  });

  test('when updateReview is documented, then no 422 (nothing raises one)', () => {
    const update = operations().find((op) => op.operationId === 'updateReview');
    expect(Object.keys(update?.responses ?? {})).not.toContain('422');
  });
});

/** The page's <base href>, or the page itself when it has none. */
function baseOf(page: string): string {
  return /<base href="([^"]+)"/.exec(page)?.[1] ?? './';
}

function resolveResponse(ref: { $ref?: string } | undefined): { headers?: Record<string, unknown> } {
  if (!ref?.$ref) return (ref ?? {}) as { headers?: Record<string, unknown> };
  const name = ref.$ref.replace('#/components/responses/', '');
  return (loadContract().components as { responses: Record<string, unknown> }).responses[name] ?? {};
}

// Found by the contract fuzzer (tests/fuzz): lone surrogates, Express's implicit 304s, a 10k-character
// path echoed whole, and getMe's undocumented 400.
describe('POST /v1/reviews with a lone surrogate', () => {
  test('when title, pros or an image alt carry a lone UTF-16 surrogate, then 400 lone_surrogate naming the field and no review is stored', async () => {
    const before = await app.request('GET', '/v1/reviews?limit=100', { token: author.token });
    const cases: [Record<string, unknown>, string][] = [
      [{ title: 'Lone \ud800 high' }, '/body/title'],
      [{ pros: ['fine', 'x\udc00'] }, '/body/pros/1'],
      [{ images: [{ url: 'https://images.example/a.jpg', alt: 'x\udc00y' }] }, '/body/images/0/alt'],
    ];
    for (const [overrides, field] of cases) {
      const res = await app.request('POST', '/v1/reviews', { token: author.token, body: reviewInput(productId, overrides) });
      expectFieldRejected(res, field);
      expect(res.body.errors[0].code).toBe('lone_surrogate');
    }
    const after = await app.request('GET', '/v1/reviews?limit=100', { token: author.token });
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  test('when a surrogate pair (an emoji) is sent, then it is stored as sent', async () => {
    const created = await app.request('POST', '/v1/reviews', { token: author.token, body: reviewInput(productId, { title: 'Sharp \ud83d\udcf7 everywhere' }) });
    expect(created.status).toBe(201);
    expect(created.body.title).toBe('Sharp 📷 everywhere');
  });
});

describe('POST /v1/products with a lone surrogate', () => {
  test('when a spec value carries a lone surrogate, then 400 naming it, not 500', async () => {
    const res = await app.request('POST', '/v1/products', {
      token: admin.token,
      body: { type: 'camera', brand: 'Surrogatebrand', model: `M${randomBytes(3).toString('hex')}`, specs: { sensor_format: 'x\udc00y' } },
    });
    expectFieldRejected(res, '/body/specs/sensor_format');
  });
});

describe('GET /v1/me', () => {
  test('when an unknown query parameter is sent, then 400 validation_failed, as documented', async () => {
    expectProblem(await app.request('GET', '/v1/me?zz_unknown=1', { token: author.token }), 400, 'validation_failed');
  });
});

describe('If-None-Match on GETs that document no 304', () => {
  test('when If-None-Match: * is sent to an editor read, a probe or the docs, then 200 with the body, never an undocumented 304', async () => {
    const reads: [string, string | undefined][] = [
      ['/v1/me', author.token],
      [`/v1/reviews/${reviewId}`, author.token],
      ['/v1/reviews', author.token],
      ['/v1/editors', admin.token],
      ['/livez', undefined],
      ['/openapi.json', undefined],
      ['/docs', undefined],
    ];
    for (const [path, token] of reads) {
      const res = await app.request('GET', path, { ...(token && { token }), headers: { 'if-none-match': '*' } });
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.text.length).toBeGreaterThan(0);
    }
  });
});

describe('DELETE /v1/reviews/{reviewId} with a 10,000-character id', () => {
  test('when the path is huge, then 400 whose instance is cut to the contract maximum (500 characters)', async () => {
    const res = await app.request('DELETE', `/v1/reviews/${'x'.repeat(10_000)}`, { token: author.token, headers: { 'if-match': '*' } });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.instance.length).toBe(500);
  });
});
