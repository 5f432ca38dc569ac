import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startReplicaCluster, type ReplicaCluster } from '../../tests/support/replica-cluster.js';
import { buildService } from '../processes/build-service.js';
import { postsExactlyOnce } from './checks.js';
import { runFaults } from './faults.js';
import { startHaproxy, type Haproxy } from './haproxy.js';
import { instanceEnv, LOAD_EDITOR } from './instance-env.js';
import { createSlots, killAllNow, sampleMemory, startInstance, type Slot } from './instances.js';
import { startLoad, type Load } from './load.js';
import { logVolume, printLogTails } from './log-rows.js';
import { memoryRows } from './memory-rows.js';
import { freePort } from '../processes/child-process.js';
import { startRedis, type OwnRedis } from './redis.js';
import { enforced, formatTable } from './report.js';
import { seedCluster } from './seed.js';

// npm run cluster:test — on loopback: a PostgreSQL 15 primary and hot standby, Redis, three
// compiled instances and haproxy; steady load through haproxy while faults are injected one after
// another; a table of what clients saw. Exit 0 when every target is met, 1 when one is missed,
// 2 when the harness itself failed. Every child is killed and the temp folder removed on any exit.

const log = (line: string) => process.stdout.write(`${line}\n`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'rcr-cluster-'));
const slots: Slot[] = [];
let database: ReplicaCluster | undefined;
let redis: OwnRedis | undefined;
let haproxy: Haproxy | undefined;

async function main(): Promise<number> {
  const started = Date.now();
  // --no-build: reuse dist/ from an earlier `npm run build` (a developer iterating on the harness)
  if (process.argv.includes('--no-build')) log('service: dist/ as built before (--no-build)');
  else buildService(log);
  database = await startReplicaCluster();
  redis = await startRedis(await freePort(), dir);
  const addresses = { primaryUrl: database.primaryUrl, replicaUrl: database.replicaUrl, redisUrl: redis.url };
  log(`primary ${addresses.primaryUrl}, standby ${addresses.replicaUrl}, redis ${addresses.redisUrl}; logs in ${dir}`);

  const jwtSecret = randomBytes(32).toString('base64url');
  slots.push(...createSlots([await freePort(), await freePort(), await freePort()]));
  const envOf = (slot: Slot) => instanceEnv(addresses, jwtSecret, slot.port);
  // the migration Job's command, once, before any instance (deploy/k8s/migration-job.yaml)
  await migrate(envOf(slots[0] as Slot));
  const corpus = await seedCluster(database.primaryUrl, log);
  // the first start creates the load's editor (BOOTSTRAP_ADMIN_*); the others find it
  await startInstance(slots[0] as Slot, envOf(slots[0] as Slot), dir);
  await Promise.all(slots.slice(1).map((slot) => startInstance(slot, envOf(slot), dir)));
  haproxy = await startHaproxy(await freePort(), dir, slots);
  log(`haproxy ${haproxy.url} → ${slots.map((s) => `${s.name} :${s.port}`).join(', ')} (${((Date.now() - started) / 1000).toFixed(0)} s to start)`);

  const pools = await corpus.requestPools(haproxy.url);
  const token = await signIn(haproxy.url);
  const stopSampling = sampleMemory(slots);
  const load = startLoad({ baseUrl: haproxy.url, ...pools, token, readers: 6, readsPerSecondEach: 20, posters: 10, postsPerSecondEach: 2 }); // posters: enough that a quick run on a quiet machine still retries ≥ 1,000 posts through the faults
  const rows = await runFaults({ load, slots, envOf, dir, database, redis, haproxy, log });

  log(`[${(load.now() / 1000).toFixed(0).padStart(4)} s] load stopping; unacknowledged posts retry for up to 90 s`);
  await load.stop(90_000);
  stopSampling();
  rows.push(...(await postsExactlyOnce(addresses.primaryUrl, load)));
  rows.push(...memoryRows(slots));
  rows.push(logVolume(dir, slots));

  // every request as a JSON line, for a closer look at a fault (CLUSTER_SAMPLES=/tmp/samples.jsonl)
  if (process.env.CLUSTER_SAMPLES) writeFileSync(process.env.CLUSTER_SAMPLES, load.samples.map((s) => JSON.stringify(s)).join('\n'));
  log(`\n${load.samples.length.toLocaleString('en')} requests through haproxy in ${(load.now() / 1000).toFixed(0)} s (${summary(load)})\n`);
  log(formatTable(rows));
  const missed = rows.filter((r) => r.met === false);
  const failing = missed.filter(enforced);
  log(missed.length === 0 ? '\nall targets met' : `\n${missed.length} target(s) missed, ${failing.length} of them enforced`);
  log(`cluster test took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return failing.length === 0 ? 0 : 1;
}

async function migrate(env: Record<string, string>): Promise<void> {
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(process.execPath, [path.join('dist', 'src', 'cli', 'migrate.js')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`migration failed: ${result.stderr}`);
}

/** Signs the load's editor in, retrying as a client does while the service sheds or limits (503, 429). */
async function signIn(baseUrl: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`${baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(LOAD_EDITOR),
    });
    const body = (await response.json()) as { access_token?: string };
    if (body.access_token) return body.access_token;
    if (![429, 503].includes(response.status) || Date.now() > deadline) throw new Error(`sign-in answered ${response.status}: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000 * Math.min(5, Number(response.headers.get('retry-after')) || 1)));
  }
}

function summary(load: Load): string {
  const reads = load.samples.filter((s) => s.kind !== 'post').length;
  return `${reads.toLocaleString('en')} reads, ${(load.samples.length - reads).toLocaleString('en')} post attempts`;
}

let cleaning: Promise<void> | undefined;
let failedToRun = false;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    killAllNow(slots);
    haproxy?.kill();
    redis?.kill();
    await database?.close().catch(() => {});
    if (failedToRun) printLogTails(dir, slots);
    rmSync(dir, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().then(() => process.exit(130)));
process.once('exit', () => {
  killAllNow(slots);
  haproxy?.kill();
  redis?.kill();
});

main()
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    process.stderr.write(`cluster test failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    failedToRun = true;
    await cleanUp();
    process.exit(2);
  });
