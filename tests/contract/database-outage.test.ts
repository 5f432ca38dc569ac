import { createEditor, createProduct, expectProblem, writeReview, type TestEditor } from '../support/fixtures.js';
import { databaseFaultPlan, startCuttableProxy, type CuttableProxy } from '../support/cuttable-proxy.js';
import { until } from '../support/replica-cluster.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The real app on a real PostgreSQL reached through a TCP proxy the test cuts: the database stops
// answering (connections reset, new ones refused) under a running app, its change feed included.

const plan = databaseFaultPlan();
if (!plan.run) process.stdout.write(`\n\n*** database outage tests NOT RUN: ${plan.reason} ***\n\n`);

let proxy: CuttableProxy;
let app: TestApp;
let editor: TestEditor;
let productId: string;
let slug: string;

(plan.run ? describe : describe.skip)('public reads while the database is down', () => {
  beforeAll(async () => {
    proxy = await startCuttableProxy((plan as { url: string }).url);
    app = await startTestApp({ DATABASE_URL: proxy.url });
    editor = await createEditor(app);
    productId = (await createProduct(app)).id;
    slug = (await writeReview(app, editor, productId)).slug;
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => {}); // the schema is dropped through it
    await app?.close();
    await proxy?.close();
  });

  const answeredBefore = () => ['/v1/content?limit=5', `/v1/content/${slug}`, `/v1/products/${productId}`];

  test('when the database stops, then every public read answered before is answered from the copy, marked with Age and Cache-Status, and counted in /metrics', async () => {
    const before = await Promise.all(answeredBefore().map((path) => app.request('GET', path)));
    await proxy.cut();

    const during = await Promise.all(answeredBefore().map((path) => app.request('GET', path)));
    const metrics = await app.request('GET', '/metrics');

    expect(before.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(before.map((r) => r.headers.get('cache-status'))).toEqual([null, null, null]);
    expect(during.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(during.map((r) => r.text)).toEqual(before.map((r) => r.text));
    expect(during.map((r) => r.headers.get('etag'))).toEqual(before.map((r) => r.headers.get('etag')));
    for (const res of during) {
      expect(res.headers.get('cache-status')).toMatch(/^randomcamerareviews-api; hit; ttl=-?\d+; detail=database-unavailable$/);
      expect(res.headers.get('age')).toMatch(/^\d+$/);
    }
    expect(metrics.text).toMatch(/public_read_cache\{measure="staleIfError"\} [3-9]/);
  });

  test('when the database is down, then a public read never answered before is 503 with Retry-After', async () => {
    const res = await app.request('GET', '/v1/content?limit=7');

    expectProblem(res, 503, 'service_unavailable');
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  test('when the database comes back, then reads are fresh again without a restart and a publish is visible at once', async () => {
    await proxy.restore();
    await until(async () => {
      const res = await app.request('GET', '/v1/content?limit=5');
      return res.status === 200 && res.headers.get('cache-status') === null;
    }, 60_000, 'fresh reads after the database returned');

    const published = await writeReview(app, editor, productId);
    const listed = await app.request('GET', '/v1/content?limit=5');

    expect(listed.body.items.map((i: { slug: string }) => i.slug)).toContain(published.slug);
  });
});

if (!plan.run && plan.required) {
  test('database outage tests can run here', () => {
    throw new Error(`required (CI or TEST_DATABASE_FAULTS=require) but ${plan.reason}`);
  });
}
