import { randomBytes } from 'node:crypto';
import { createEditor, createProduct, writeReview, type TestEditor } from '../support/fixtures.js';
import { replicaTestPlan, sql, startReplicaCluster, until, type ReplicaCluster } from '../support/replica-cluster.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The real app on a real primary with a real hot standby (pg_basebackup -R), both started for this file.
// Which server answered is proven, not assumed: with replay paused, a row written straight into the
// primary (behind the app's back) is visible to a public read only if the primary served it.

const plan = replicaTestPlan();
const suite = plan.run ? describe : describe.skip;
if (!plan.run) process.stdout.write(`\nread-replica tests SKIPPED: ${plan.reason}\n`);

let cluster: ReplicaCluster;
let app: TestApp;
let editor: TestEditor;
let productId: string;
let sampleId: string;

suite(`public reads with a streaming read replica${plan.run ? '' : ` (skipped: ${plan.reason})`}`, () => {
  beforeAll(async () => {
    cluster = await startReplicaCluster();
    app = await startTestApp({ DATABASE_URL: cluster.primaryUrl, DATABASE_REPLICA_URLS: cluster.replicaUrl });
    editor = await createEditor(app);
    productId = (await createProduct(app)).id;
    sampleId = (await writeReview(app, editor, productId)).id;
  });

  afterAll(async () => {
    await app?.close();
    await cluster?.close();
  });

  test('when the replica is healthy, then public reads are served by it, and writes go to the primary', async () => {
    await untilReplicaServesReads();

    expect(await whoServesPublicReads()).toBe('replica');
    const onReplica = await sql(cluster.replicaUrl, `select query from pg_stat_activity where application_name = 'randomcamerareviews-api:replica-reads'`);
    expect(onReplica.map((r) => r.query)).toContainEqual(expect.stringMatching(/\breviews\b/));
    expect(onReplica.map((r) => r.query)).not.toContainEqual(expect.stringMatching(/^\s*(insert|update|delete)/i));

    // a hot standby refuses writes, so a 201 (and the row on the primary) means the primary took it
    const written = await writeReview(app, editor, productId);
    const table = `"${app.config.database.schema}".reviews`;
    expect(await sql(cluster.primaryUrl, `select id from ${table} where id = $1`, [written.id])).toHaveLength(1);
  });

  test('when content changes elsewhere while replay is paused, then the change notification keeps reads (and the cache they fill) off the lagging replica', async () => {
    await untilReplicaServesReads();
    await app.request('GET', '/v1/content?limit=3'); // cached before the change
    await cluster.pauseReplay();
    try {
      // as another instance (or a DBA) would: a committed change whose only trace here is its NOTIFY
      const slug = await insertBehindTheAppsBack(false);

      await until(async () => (await app.request('GET', `/v1/content/${slug}`)).status === 200, 5000, 'the change to be readable');
      const listed = await app.request('GET', '/v1/content?limit=3');
      expect(listed.body.items.map((i: { slug: string }) => i.slug)).toContain(slug);
    } finally {
      await cluster.resumeReplay();
    }
  });

  test("when replay is paused, then an editor's publish, edit and unpublish show at once in public reads; once resumed, the replica serves again", async () => {
    await untilReplicaServesReads();
    await cluster.pauseReplay();
    try {
      const replicaReadsBefore = (await replicaState()).reads;

      const review = await writeReview(app, editor, productId, { title: 'Written while the replica lags' });
      expect((await app.request('GET', `/v1/content/${review.slug}`)).body.title).toBe('Written while the replica lags');
      expect((await app.request('GET', '/v1/content?limit=5')).body.items.map((i: { id: string }) => i.id)).toContain(review.id);
      expect((await app.request('GET', `/v1/products/${productId}`)).body.latest_reviews.map((i: { id: string }) => i.id)).toContain(review.id);

      const edited = await app.request('PATCH', `/v1/reviews/${review.id}`, {
        token: editor.token,
        body: { title: 'Edited while the replica lags' },
        headers: { 'if-match': '"v1"' },
      });
      expect(edited.status).toBe(200);
      expect((await app.request('GET', `/v1/content/${review.slug}`)).body.title).toBe('Edited while the replica lags');

      await app.request('PATCH', `/v1/reviews/${review.id}`, { token: editor.token, body: { status: 'draft' }, headers: { 'if-match': '*' } });
      expect((await app.request('GET', `/v1/content/${review.slug}`)).status).toBe(404);

      expect((await replicaState()).reads).toBe(replicaReadsBefore); // the lagging replica served none of it
      await until(async () => ((await replicaState()).lag_bytes ?? 0) > 0, 5000, '/readyz to report the lag');
    } finally {
      await cluster.resumeReplay();
    }

    await untilReplicaServesReads();
    expect(await whoServesPublicReads()).toBe('replica');
  });

  test('when the replica is stopped under load, then not a single public read fails', async () => {
    await untilReplicaServesReads();
    const slug = (await app.request('GET', `/v1/content/${sampleId}`)).body.slug as string;
    const paths = ['/v1/content?limit=10', `/v1/content/${slug}`, `/v1/products/${productId}`, '/v1/products?limit=10', `/v1/content?q=field`];
    const replicaReadsBefore = (await replicaState()).reads;

    const failures: string[] = [];
    let served = 0;
    let stopped = false;
    const worker = async (n: number) => {
      for (let i = n; !stopped; i++) {
        const path = paths[i % paths.length] as string;
        const res = await app.request('GET', path);
        if (res.status === 200) served++;
        else failures.push(`${path}: ${res.status} ${res.text.slice(0, 200)}`);
      }
    };
    const load = Array.from({ length: 16 }, (_, n) => worker(n));
    // conditions, not sleeps: on a busy machine 16 readers may take seconds to get going
    await until(async () => (await replicaState()).reads > replicaReadsBefore, 20_000, 'the load to reach the replica'); // the load really is on the replica when it dies
    await cluster.stopReplica();
    const servedAtStop = served;
    try {
      await until(async () => served - servedAtStop >= 50 && !(await replicaState()).healthy, 30_000, '50 reads after the stop, and the replica seen down');
    } finally {
      stopped = true;
      await Promise.all(load);
    }

    expect(failures).toEqual([]);
    expect((await replicaState()).healthy).toBe(false);
    expect(app.databaseLog).toContainEqual(expect.stringMatching(/^warn: read replica 127\.0\.0\.1:\d+\/postgres is down/));
    expect((await app.request('GET', '/readyz')).status).toBe(200); // the primary serves: still ready
  });

  test('when the stopped replica is started again, then public reads go back to it', async () => {
    if ((await replicaState()).healthy) await cluster.stopReplica(); // independent of the test before
    const logMark = app.databaseLog.length;
    await cluster.startReplica();

    await until(async () => (await replicaState()).healthy, 20_000, 'the replica to be polled healthy');
    expect(app.databaseLog.slice(logMark)).toContainEqual(expect.stringMatching(/^info: read replica .* is up at \d/));
    await untilReplicaServesReads();
    expect(await whoServesPublicReads()).toBe('replica');
  });
});

type ReplicaState = { name: string; healthy: boolean; replay_lsn: string | null; lag_bytes: number | null; reads: number };

async function replicaState(): Promise<ReplicaState> {
  const ready = await app.request('GET', '/readyz');
  return ready.body.replicas[0] as ReplicaState;
}

/** Waits until a public read is counted on the replica: healthy, and caught up with this app's writes. */
async function untilReplicaServesReads(): Promise<void> {
  await until(
    async () => {
      const before = (await replicaState()).reads;
      app.runtime.cache.invalidateAll(); // a cached page would not reach any database
      await app.request('GET', '/v1/content?limit=1');
      return (await replicaState()).reads > before;
    },
    20_000,
    'a public read on the replica',
  );
}

/** A published review inserted straight into the primary; with `silently`, its change notification is suppressed too. */
async function insertBehindTheAppsBack(silently: boolean): Promise<string> {
  const slug = `behind-the-apps-back-${randomBytes(4).toString('hex')}`;
  await app.db.knex.transaction(async (trx) => {
    // triggers off for this transaction: no NOTIFY, so the app cannot know the primary moved on
    if (silently) await trx.raw('set local session_replication_role = replica');
    // the product's copied fields too: with triggers off, the one that copies them does not run either
    await trx.raw(
      `insert into reviews (slug, editor_id, product_id, status, title, summary, body, verdict_score, product_label, published_at,
                            product_type, product_brand, product_model, product_mount)
       select ?, editor_id, product_id, 'published', title, summary, body, verdict_score, product_label, now(),
              product_type, product_brand, product_model, product_mount from reviews where id = ?`,
      [slug, sampleId],
    );
  });
  return slug;
}

/** Pauses replay, publishes a review into the primary without the app hearing of it, and asks for it publicly. */
async function whoServesPublicReads(): Promise<'replica' | 'primary'> {
  await cluster.pauseReplay();
  try {
    const slug = await insertBehindTheAppsBack(true);
    const res = await app.request('GET', `/v1/content/${slug}`);
    if (res.status === 404) return 'replica';
    if (res.status === 200) return 'primary';
    throw new Error(`unexpected ${res.status}: ${res.text}`);
  } finally {
    await cluster.resumeReplay();
  }
}
