import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

// A throwaway PostgreSQL primary and a hot standby streaming from it (pg_basebackup -R), on free
// loopback ports, in a temp folder: what the read-replica tests need, never the machine's own cluster.

const run = promisify(execFile);

export const PG_BIN_DIR = process.env.TEST_PG_BIN_DIR || '/usr/lib/postgresql/15/bin';
const TOOLS = ['initdb', 'pg_ctl', 'pg_basebackup'];

export type ReplicaCluster = {
  primaryUrl: string;
  replicaUrl: string;
  /** `pg_ctl stop -m immediate`: the standby dies as in a crash, mid-query connections drop. */
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** The standby stops replaying WAL (it still answers queries): replication lag on demand. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** `pg_ctl stop -m immediate` on the primary: a crash; the standby keeps answering reads and retries its stream. */
  stopPrimary(): Promise<void>;
  /** Crash recovery, then accepting connections again; the standby reconnects by itself. */
  startPrimary(): Promise<void>;
  close(): Promise<void>;
};

/** Whether this file's tests run: binaries present, or required (CI, a real-PostgreSQL run) so their absence fails loudly. */
export function replicaTestPlan(): { run: true } | { run: false; reason: string } {
  if (process.env.TEST_REPLICAS === 'skip') return { run: false, reason: 'TEST_REPLICAS=skip' };
  if (missingTools().length === 0) return { run: true };
  const required = process.env.TEST_REPLICAS === 'require' || Boolean(process.env.CI) || Boolean(process.env.TEST_DATABASE_URL);
  return required ? { run: true } : { run: false, reason: `no PostgreSQL server binaries in ${PG_BIN_DIR}` };
}

export async function startReplicaCluster(): Promise<ReplicaCluster> {
  const missing = missingTools();
  if (missing.length > 0) {
    throw new Error(
      `The read-replica tests need PostgreSQL 15 server binaries (${missing.join(', ')} not found in ${PG_BIN_DIR}). ` +
        'Install postgresql-15, point TEST_PG_BIN_DIR at its bin folder, or opt out with TEST_REPLICAS=skip.',
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcr-replicas-'));
  const owner = postgresOwner();
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const primaryDir = path.join(dir, 'primary');
  const replicaDir = path.join(dir, 'replica');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const pgCtl = (dataDir: string, ...args: string[]) => asPostgres('pg_ctl', ['-D', dataDir, '-l', `${dataDir}.log`, '-w', '-t', '60', ...args]);

  const started: string[] = [];
  const teardown = async () => {
    for (const dataDir of started.reverse()) await pgCtl(dataDir, '-m', 'immediate', 'stop').catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // a test run killed before its afterAll must not leave servers running
  const onExit = () => {
    for (const dataDir of started) stopQuietly(dataDir);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  try {
    await asPostgres('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C']);
    fs.appendFileSync(path.join(primaryDir, 'postgresql.conf'), serverSettings(primaryPort, dir));
    fs.appendFileSync(path.join(primaryDir, 'pg_hba.conf'), 'host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n');
    await pgCtl(primaryDir, 'start');
    started.push(primaryDir);

    await asPostgres('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      replicaDir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
    fs.appendFileSync(path.join(replicaDir, 'postgresql.conf'), `port = ${replicaPort}\n`); // the last setting wins
    await pgCtl(replicaDir, 'start');
    started.push(replicaDir);
  } catch (error) {
    await teardown();
    process.removeListener('exit', onExit);
    throw error;
  }

  const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/postgres`;
  await waitForStandby(replicaUrl);
  return {
    primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
    replicaUrl,
    stopReplica: () => pgCtl(replicaDir, '-m', 'immediate', 'stop').then(() => {}),
    async startReplica() {
      await pgCtl(replicaDir, 'start');
      await waitForStandby(replicaUrl);
    },
    async pauseReplay() {
      await sql(replicaUrl, 'select pg_wal_replay_pause()');
      // pausing is requested, then takes effect: wait until nothing more is replayed
      await until(async () => (await sql(replicaUrl, 'select pg_get_wal_replay_pause_state() as s'))[0]?.s === 'paused');
    },
    resumeReplay: () => sql(replicaUrl, 'select pg_wal_replay_resume()').then(() => {}),
    stopPrimary: () => pgCtl(primaryDir, '-m', 'immediate', 'stop').then(() => {}),
    startPrimary: () => pgCtl(primaryDir, 'start').then(() => {}),
    async close() {
      process.removeListener('exit', onExit);
      await teardown();
    },
  };

  function stopQuietly(dataDir: string) {
    try {
      execFileSync(...asPostgresArgs('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']), { stdio: 'ignore' });
    } catch {
      // already stopped
    }
  }
}

function serverSettings(port: number, socketDir: string): string {
  return [
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    `unix_socket_directories = '${socketDir}'`,
    'wal_level = replica',
    'max_wal_senders = 4',
    'hot_standby = on',
    'max_connections = 60',
    'shared_buffers = 16MB',
    'fsync = off', // a throwaway cluster: durability buys nothing, speed does
    '',
  ].join('\n');
}

function missingTools(): string[] {
  return TOOLS.filter((tool) => !fs.existsSync(path.join(PG_BIN_DIR, tool)));
}

/** PostgreSQL refuses to run as root: as root, its tools run as the postgres user. */
function postgresOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function asPostgresArgs(tool: string, args: string[]): [string, string[]] {
  const bin = path.join(PG_BIN_DIR, tool);
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

async function asPostgres(tool: string, args: string[]): Promise<string> {
  const [command, argv] = asPostgresArgs(tool, args);
  try {
    return (await run(command, argv, { encoding: 'utf8', timeout: 120_000 })).stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${tool} failed: ${e.stderr?.trim() || e.message}`, { cause: error });
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function sql(url: string, text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function waitForStandby(url: string): Promise<void> {
  await until(async () => {
    try {
      return (await sql(url, 'select pg_is_in_recovery() as standby'))[0]?.standby === true;
    } catch {
      return false; // still starting
    }
  });
}

/** Polls until the condition holds; fails after timeoutMs. */
export async function until(condition: () => Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
