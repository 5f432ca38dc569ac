import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestApp, type HttpResult, type TestApp } from '../support/test-app.js';
import { createEditor, createProduct, writeReview } from '../support/fixtures.js';

// The public read lane answers uncached public reads without Express. Whatever it answers must be
// exactly what the full stack would have: the same status, body and headers. Two runtimes on one
// database client, the read cache off in both so every read is computed: one with the lane, one without.

let lane: TestApp;
let fullStack: TestApp;
const UNCACHED = { READ_CACHE_TTL_SECONDS: '0' };

let reviewIds: string[] = [];
let slug = '';
let productId = '';
let editorId = '';

beforeAll(async () => {
  lane = await startTestApp(UNCACHED);
  fullStack = await startTestApp({ ...UNCACHED, PUBLIC_READ_LANE: 'false' }, { sharingClientOf: lane });
  const author = await createEditor(lane);
  editorId = author.id;
  const camera = await createProduct(lane, { type: 'camera', brand: 'Lanebrand', mount: 'Z' });
  const lens = await createProduct(lane, { type: 'lens', brand: 'Lanebrand', mount: 'Z', specs: { focal_length_min_mm: 35, weight_g: 300 } });
  productId = camera.id;
  const reviews = [];
  for (let i = 0; i < 5; i++) {
    reviews.push(await writeReview(lane, author, i % 2 ? lens.id : camera.id, { title: `Lane check ${i} aurora`, verdict_score: 5 + i }));
  }
  reviewIds = reviews.map((r) => r.id);
  slug = reviews[0]?.slug ?? '';
  // the lane answers an operation once the full stack has answered it (it replays that stack's headers)
  for (const path of [
    '/v1/content',
    `/v1/content/${slug}`,
    `/v1/content/compare?ids=${reviewIds[0]},${reviewIds[1]}`,
    '/v1/products',
    `/v1/products/${productId}`,
  ]) {
    expect((await lane.request('GET', path)).status).toBe(200);
  }
});

afterAll(async () => {
  await fullStack.close();
  await lane.close();
});

/** Everything a client can see, but what differs per request by design. */
function visible(res: HttpResult) {
  const headers = Object.fromEntries([...res.headers].filter(([name]) => !['x-request-id', 'date', 'keep-alive', 'connection'].includes(name)));
  const body = res.body && typeof res.body === 'object' ? { ...res.body, request_id: undefined } : res.text;
  return { status: res.status, headers, body };
}

async function both(path: string, headers: Record<string, string> = {}) {
  const before = lane.runtime.lane?.counters() ?? { served: 0, handed_on: 0 };
  const fromLane = await lane.request('GET', path, { headers });
  const after = lane.runtime.lane?.counters() ?? { served: 0, handed_on: 0 };
  const fromStack = await fullStack.request('GET', path, { headers });
  return { fromLane, fromStack, served: after.served - before.served, handedOn: after.handed_on - before.handed_on };
}

describe('public read lane', () => {
  test('when a valid public read is not cached, then the lane answers it, with the bytes and headers the full stack sends', async () => {
    const firstPage = await fullStack.request('GET', '/v1/content?limit=2');
    const paths = [
      '/v1/content',
      '/v1/content?limit=2',
      `/v1/content?limit=2&cursor=${firstPage.body.next_cursor}`,
      '/v1/content?sort=oldest&type=lens',
      '/v1/content?sort=verdict&verdict_min=6&verdict_max=8.5',
      `/v1/content?brand=lanebrand&mount=z&editor=${editorId}`,
      '/v1/content?q=aurora&sort=relevance&limit=10',
      '/v1/content?q=lane+check',
      `/v1/content/${slug}`,
      `/v1/content/${reviewIds[2]}`,
      `/v1/content/compare?ids=${reviewIds[0]},${slug.length > 0 ? reviewIds[3] : ''},${reviewIds[4]}`,
      '/v1/products?brand=Lanebrand&limit=1',
      `/v1/products/${productId}`,
    ];
    for (const path of paths) {
      const { fromLane, fromStack, served } = await both(path);
      expect({ path, served }).toEqual({ path, served: 1 });
      expect(fromLane.status).toBe(200);
      expect(visible(fromLane)).toEqual(visible(fromStack));
    }
  });

  test('when the reader sends Accept, Range or an Origin, then the lane answers as the full stack does', async () => {
    const cases: Record<string, string>[] = [
      { accept: 'text/html' },
      { range: 'bytes=0-10' },
      { origin: 'https://elsewhere.example' },
      { 'x-request-id': 'reader-123' },
    ];
    for (const headers of cases) {
      const { fromLane, fromStack, served } = await both(`/v1/content/${slug}`, headers);
      expect({ headers, served }).toEqual({ headers, served: 1 });
      expect(visible(fromLane)).toEqual(visible(fromStack));
      if ('x-request-id' in headers) expect(fromLane.headers.get('x-request-id')).toBe('reader-123');
    }
  });

  test('when the reader already holds the current version, then the lane answers 304 as the full stack does', async () => {
    const path = `/v1/content/${slug}`;
    const etag = (await fullStack.request('GET', path)).headers.get('etag') ?? '';

    const { fromLane, fromStack, served } = await both(path, { 'if-none-match': etag });

    expect(served).toBe(1);
    expect(fromLane.status).toBe(304);
    expect(visible(fromLane)).toEqual(visible(fromStack));
  });

  test('when a request is not one the lane can prove valid, then the full stack answers it with the documented problem', async () => {
    const paths = [
      '/v1/content?limit=0',
      '/v1/content?limit=abc',
      '/v1/content?colour=red',
      '/v1/content?sort=newest&sort=oldest',
      `/v1/content?q=${'x'.repeat(201)}`,
      '/v1/content?q=',
      '/v1/content?editor=urn:uuid:5b7c1f3e-2a4d-4c8e-9f10-3d2b1a0c9e88',
      '/v1/content?sort=relevance',
      '/v1/content?verdict_min=9&verdict_max=2',
      '/v1/content?cursor=bm90LWEtY3Vyc29y',
      '/v1/content/no-such-review',
      '/v1/content/%E2%9C%93',
      `/v1/content/compare?ids=${reviewIds[0]}`,
      `/v1/content/compare?ids=${reviewIds[0]},${slug}`,
      '/v1/products/not-a-uuid',
      '/v1/products/5b7c1f3e-2a4d-4c8e-9f10-3d2b1a0c9e88',
    ];
    for (const path of paths) {
      const { fromLane, fromStack, served, handedOn } = await both(path);
      expect({ path, served, handedOn }).toEqual({ path, served: 0, handedOn: 1 });
      expect(fromLane.status).toBeGreaterThanOrEqual(400);
      expect(fromLane.status).toBeLessThan(500);
      expect(fromLane.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(visible(fromLane)).toEqual(visible(fromStack));
    }
  });

  test('when a public read carries a body or is not a GET, then the lane leaves it to the full stack', async () => {
    const before = lane.runtime.lane?.counters().served ?? 0;

    const head = await fetch(`${lane.baseUrl}/v1/content`, { method: 'HEAD' });
    const withBody = await getWithBody(lane.baseUrl, '/v1/content', '{}');

    expect(lane.runtime.lane?.counters().served).toBe(before);
    expect(head.status).toBe((await fetch(`${fullStack.baseUrl}/v1/content`, { method: 'HEAD' })).status);
    const stackWithBody = await getWithBody(fullStack.baseUrl, '/v1/content', '{}');
    expect({ ...withBody, headers: undefined }).toEqual({ ...stackWithBody, headers: undefined });
  });
});

/** fetch refuses a GET with a body; node:http sends one. */
function getWithBody(baseUrl: string, path: string, body: string): Promise<{ status: number; headers: undefined; contentType: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${baseUrl}${path}`,
      { method: 'GET', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: undefined, contentType: res.headers['content-type'] }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('public read lane before the full stack has answered', () => {
  test('when an operation has not been answered by the full stack yet, then its first read goes there and the next one through the lane', async () => {
    const fresh = await startTestApp(UNCACHED, { sharingClientOf: lane });
    try {
      const path = `/v1/content/${slug}`;
      const first = await fresh.request('GET', path);
      expect(fresh.runtime.lane?.counters()).toEqual({ served: 0, handed_on: 1 });

      const second = await fresh.request('GET', path);
      expect(fresh.runtime.lane?.counters()).toEqual({ served: 1, handed_on: 1 });
      expect(visible(second)).toEqual(visible(first));
    } finally {
      await fresh.close();
    }
  });
});
