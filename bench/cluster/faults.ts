import pg from 'pg';
import { until, type ReplicaCluster } from '../../tests/support/replica-cluster.js';
import { authQuota, memoryQuotaRow, sharedQuotaRow } from './checks.js';
import type { Haproxy } from './haproxy.js';
import { killInstance, startInstance, stopInstance, type Slot } from './instances.js';
import type { Load } from './load.js';
import type { OwnRedis } from './redis.js';
import { inPhase, non2xx, postAttempts, readFailures, readsOfKnownUrls, readsP99Unchanged, shedFast, writesRefusedFast, type Row } from './report.js';

// The faults, one after another under the running load, each judged on what its clients saw.

export type Cluster = {
  load: Load;
  slots: Slot[];
  envOf: (slot: Slot) => Record<string, string>;
  dir: string;
  database: ReplicaCluster;
  redis: OwnRedis;
  haproxy: Haproxy;
  log: (line: string) => void;
};

const AUTH_QUOTA = 30; // AUTH_REQUESTS_PER_MINUTE's default, which the instances keep
const seconds = (s: number) => new Promise<void>((resolve) => setTimeout(resolve, s * 1000));

export async function runFaults({ load, slots, envOf, dir, database, redis, haproxy, log }: Cluster): Promise<Row[]> {
  const rows: Row[] = [];
  const phase = async (name: string, body: () => Promise<void>) => {
    log(`[${(load.now() / 1000).toFixed(0).padStart(4)} s] ${name}`);
    load.setPhase(name);
    await body();
  };
  const quiet = (name: string, s: number) => phase(name, () => seconds(s));

  await quiet('warm-up', 15);
  rows.push(readFailures('none (warm-up)', inPhase(load, 'warm-up')));

  await phase('kill -9 one instance', async () => {
    await killInstance(slots[0] as Slot);
    await seconds(5);
    await startInstance(slots[0] as Slot, envOf(slots[0] as Slot), dir);
    await haproxy.waitUp('api1');
  });
  rows.push(readFailures('kill -9 one instance', inPhase(load, 'kill -9 one instance')));
  rows.push(postAttempts('kill -9 one instance', inPhase(load, 'kill -9 one instance')));

  const shutdownMs: number[] = [];
  await phase('rolling restart (drain, SIGTERM)', async () => {
    // as Kubernetes does it: out of the balancer first (the preStop wait), then SIGTERM
    for (const slot of slots) {
      await haproxy.drain(slot.name);
      shutdownMs.push(await stopInstance(slot));
      await startInstance(slot, envOf(slot), dir);
      await haproxy.ready(slot.name);
      await haproxy.waitUp(slot.name);
    }
  });
  rows.push({
    ...non2xx('rolling restart (drain, SIGTERM)', inPhase(load, 'rolling restart (drain, SIGTERM)')),
    measure: `requests not 2xx (shutdowns took ${shutdownMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s)`,
  });

  await phase('replica stopped', async () => {
    await database.stopReplica();
    await seconds(10);
  });
  rows.push(readFailures('replica stopped', inPhase(load, 'replica stopped')));
  await phase('replica restarting', async () => database.startReplica());

  await quiet('before primary stop', 5);
  const pids = slots.map((s) => s.child?.pid);
  const primaryDown = load.now();
  let primaryGone = Infinity;
  await phase('primary stopped', async () => {
    await database.stopPrimary();
    primaryGone = load.now();
    await seconds(12);
  });
  rows.push(readsOfKnownUrls('primary stopped', load, inPhase(load, 'primary stopped'), primaryDown));
  // a post sent as the stop began may have been committed first: its 201 is right; those sent after must be refused
  rows.push(
    writesRefusedFast(
      'primary stopped',
      inPhase(load, 'primary stopped').filter((s) => s.at >= primaryGone),
    ),
  );
  let recoveredIn = Infinity;
  await phase('primary restarted', async () => {
    const back = load.now();
    await database.startPrimary();
    await until(
      async () => load.acks.length > 0 && load.samples.some((s) => s.kind === 'post' && s.status === 201 && s.at > back),
      60_000,
      'a post to succeed',
    ).catch(() => {});
    const first = load.samples.find((s) => s.kind === 'post' && s.status === 201 && s.at > back);
    if (first) recoveredIn = (first.at + first.ms - back) / 1000;
  });
  const restarted = slots.filter((s, i) => s.child?.pid !== pids[i]).length;
  rows.push({
    fault: 'primary restarted',
    measure: 'first post acknowledged after the primary is back; instances restarted',
    result: `${Number.isFinite(recoveredIn) ? `${recoveredIn.toFixed(1)} s` : 'none within 60 s'}; ${restarted}`,
    target: '≤ 30 s; 0',
    met: recoveredIn <= 30 && restarted === 0,
    integrity: true,
  });

  // Every public read touches reviews (a product shows its review count), so a locked reviews table
  // stalls them all: they must get a kept copy or a fast 503. A locked table only posts use
  // (idempotency_keys) must stall posts alone: the reads' lanes keep their own connections.
  await quiet('calm', 10);
  await phase('reviews table locked 20 s', () => lockTable(database.primaryUrl, 'reviews', 20));
  rows.push(shedFast('reviews table locked 20 s', inPhase(load, 'reviews table locked 20 s'), ['content', 'products', 'post']));
  await quiet('after the reviews lock', 10);
  await phase('idempotency_keys locked 20 s', () => lockTable(database.primaryUrl, 'idempotency_keys', 20));
  rows.push(readsP99Unchanged('idempotency_keys locked 20 s', inPhase(load, 'after the reviews lock'), inPhase(load, 'idempotency_keys locked 20 s')));
  rows.push(shedFast('idempotency_keys locked 20 s', inPhase(load, 'idempotency_keys locked 20 s'), ['post']));
  await quiet('after the lock', 5);

  await phase('rate limit, Redis up', async () => {
    rows.push(sharedQuotaRow(AUTH_QUOTA, 2 * AUTH_QUOTA, await authQuota(haproxy.url, '198.51.100.7', 2 * AUTH_QUOTA)));
  });
  await phase('rate limit, Redis stopped', async () => {
    await redis.stop();
    await seconds(2);
    rows.push(memoryQuotaRow(AUTH_QUOTA, slots.length, 5 * AUTH_QUOTA, await authQuota(haproxy.url, '198.51.100.8', 5 * AUTH_QUOTA)));
  });
  rows.push(readFailures('Redis stopped', inPhase(load, 'rate limit, Redis stopped')));

  return rows;
}

/** ACCESS EXCLUSIVE on one table for `s` seconds, in one transaction on the primary (replayed on the standby). */
async function lockTable(url: string, table: string, s: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(`lock table ${table} in access exclusive mode`);
    await seconds(s);
    await client.query('commit');
  } finally {
    await client.end();
  }
}
