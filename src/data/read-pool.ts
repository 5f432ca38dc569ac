import type { Knex } from 'knex';
import { parseLsn } from './lsn.js';
import { guardWithCircuit, isCircuitOpen, type Circuit, type CircuitStateName } from './circuit-breaker.js';
import { connectPostgres, type DatabaseLog } from './postgres.js';
import { asPublicRead } from './public-read-timeout.js';
import { isConnectionError, isRecoveryConflict } from './read-replica-errors.js';

// Public reads on streaming replicas, without ever showing a reader something older than a write
// this instance has already confirmed: a replica is used only once it has replayed that write.

export type ReplicaStatus = { name: string; healthy: boolean; replayLsn: string | null; lagBytes?: number | null; reads: number; circuit?: CircuitStateName };

export type ReadPool = {
  /** Runs a public read on a healthy replica that has replayed at least the newest write this instance knows of; else on the primary,
   *  and when the primary is gone, on any healthy replica.
   *  A replica that fails with a connection-level error mid-read is marked down and the read is retried once on the primary,
   *  so stopping a replica fails no public read. */
  read<T>(fn: (knex: Knex) => Promise<T>): Promise<T>;
  /** The primary has committed a write up to this WAL LSN (text 'X/Y'). Replicas whose last known replay LSN is behind it
   *  are skipped until they catch up (read-your-writes for every reader, not just the writer). */
  noteWrite(lsn: string): void;
  /** Reads the primary's WAL position and calls noteWrite with it; no-op (resolves) without replicas. Never rejects:
   *  when the primary cannot say, replicas are skipped until it can. */
  noteWriteFromPrimary(): Promise<void>;
  /** For /readyz and logs: each replica's state (`reads`: reads it has served). */
  status(): { replicas: ReplicaStatus[] };
  close(): Promise<void>;
};

export type ReadPoolOptions = {
  schema: string;
  poolMax: number;
  lockTimeoutMs?: number;
  /** statement_timeout of public reads (ADR 0041), on the primary and on the replicas, which serve nothing else; default 5 s. */
  readTimeoutMs?: number;
  /** How often each replica's health and replay position are polled. */
  pollIntervalMs?: number;
  log?: DatabaseLog | undefined;
  /** Opens a client on a replica: `reads` for public reads, `health` for the poll. Tests pass fakes. */
  connect?: (url: string, role: 'reads' | 'health') => Knex;
};

type Replica = { name: string; reads: Knex; health: Knex; healthy: boolean; replay: bigint; replayText: string | null; served: number; circuit?: Circuit };

const RESOLVED = Promise.resolve();
const POLL_TIMEOUT_MS = 1500;
const UNKNOWN = -1n;
// Larger than any LSN: no replica qualifies until the primary tells us where it is.
const EVERYTHING = 1n << 64n;

export function createReadPool(primary: Knex, replicaUrls: readonly string[], options: ReadPoolOptions): ReadPool {
  if (replicaUrls.length === 0) {
    // the hot path without replicas: no selection, only the public read scope (ADR 0041)
    return {
      read: (fn) => asPublicRead(() => fn(primary)),
      noteWrite: () => {},
      noteWriteFromPrimary: () => RESOLVED,
      status: () => ({ replicas: [] }),
      close: () => RESOLVED,
    };
  }

  const log = options.log;
  const connect = options.connect ?? ((url, role) => connectReplica(url, role, options));
  const replicas: Replica[] = replicaUrls.map((url) => ({
    name: replicaName(url),
    reads: connect(url, 'reads'),
    health: connect(url, 'health'),
    healthy: false, // until the first poll says otherwise
    replay: UNKNOWN,
    replayText: null,
    served: 0,
  }));
  // the health poll has its own client, outside the breaker: it is what finds a replica back
  for (const replica of replicas) {
    replica.circuit = guardWithCircuit(replica.name, replica.reads, (state) => log?.warn(`read replica ${replica.name} circuit ${state}`));
  }
  let required = 0n; // the newest write this instance knows of
  let primaryLsn = UNKNOWN;
  let next = 0;
  let closed = false;

  function pick(): Replica | undefined {
    for (let i = 0; i < replicas.length; i++) {
      const replica = replicas[(next + i) % replicas.length] as Replica;
      if (replica.healthy && replica.replay >= required) {
        next = (next + i + 1) % replicas.length;
        return replica;
      }
    }
    return undefined;
  }

  function markDown(replica: Replica, reason: unknown): void {
    if (!replica.healthy || closed) return;
    replica.healthy = false;
    log?.warn(`read replica ${replica.name} is down, public reads use the primary: ${describe(reason)}`);
  }

  function noteWrite(lsn: string): void {
    const position = parseLsn(lsn);
    if (position > required) required = position;
  }

  async function pollReplica(replica: Replica): Promise<void> {
    try {
      const { rows } = await replica.health
        .raw<{ rows: { standby: boolean; replay: string | null }[] }>('select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as replay')
        .timeout(POLL_TIMEOUT_MS); // a replica that stops answering is down, even if its socket stays open
      const row = rows[0];
      // a promoted replica no longer follows the primary: reading from it could show a diverged history
      if (!row?.standby || !row.replay) return markDown(replica, new Error('not a streaming standby'));
      replica.replay = parseLsn(row.replay);
      replica.replayText = row.replay;
      if (!replica.healthy && !closed) {
        replica.healthy = true;
        log?.info?.(`read replica ${replica.name} is up at ${row.replay}`);
      }
    } catch (error) {
      markDown(replica, error);
    }
  }

  async function pollPrimary(): Promise<void> {
    // armed before asking: a write whose position was lost during this query is newer than the answer
    const armed = required === EVERYTHING;
    try {
      primaryLsn = parseLsn(await currentLsn(primary));
      if (armed && required === EVERYTHING) required = primaryLsn;
    } catch {
      primaryLsn = UNKNOWN; // the primary's own health is /readyz's concern
    }
  }

  /**
   * No replica is known to hold this instance's newest write, so the primary answers. When the
   * primary is gone (refused, dropped, its circuit open), a healthy replica answers anyway: it may
   * miss the last writes, as a kept copy would, but nobody can read them from the primary either,
   * and an answer beats a 503. The write that could not be located is usually the last one the
   * primary took before it stopped.
   */
  async function readOnPrimaryElseAnyReplica<T>(fn: (knex: Knex) => Promise<T>): Promise<T> {
    try {
      return await fn(primary);
    } catch (error) {
      const fallback = isConnectionError(error) || isCircuitOpen(error) ? replicas.find((r) => r.healthy) : undefined;
      if (!fallback) throw error;
      const result = await fn(fallback.reads);
      fallback.served++;
      return result;
    }
  }

  // one poll in flight per server: a slow or hung one is not stacked on, and does not hold up the others
  const polls = [pollPrimary, ...replicas.map((r) => () => pollReplica(r))].map((run) => {
    let inFlight = false;
    return () => {
      if (inFlight || closed) return;
      inFlight = true;
      void run().finally(() => (inFlight = false));
    };
  });
  const pollAll = () => polls.forEach((poll) => poll());
  const timer = setInterval(pollAll, options.pollIntervalMs ?? 500);
  timer.unref();
  pollAll();

  async function readAnywhere<T>(fn: (knex: Knex) => Promise<T>): Promise<T> {
    const replica = pick();
    if (!replica) return readOnPrimaryElseAnyReplica(fn);
    try {
      const result = await fn(replica.reads);
      replica.served++;
      return result;
    } catch (error) {
      if (isConnectionError(error) || isCircuitOpen(error)) markDown(replica, error);
      else if (!isRecoveryConflict(error)) throw error;
      return fn(primary);
    }
  }

  return {
    read: (fn) => asPublicRead(() => readAnywhere(fn)),

    noteWrite,

    async noteWriteFromPrimary() {
      try {
        noteWrite(await currentLsn(primary));
      } catch (error) {
        // the write is committed; refusing the response would lie. Skip replicas until the poll reaches the primary.
        required = EVERYTHING;
        log?.warn(`could not read the primary's WAL position after a write; public reads use the primary for now: ${describe(error)}`);
      }
    },

    status() {
      return {
        replicas: replicas.map((r) => ({
          name: r.name,
          healthy: r.healthy,
          replayLsn: r.replayText,
          lagBytes: r.replay === UNKNOWN || primaryLsn === UNKNOWN ? null : Number(primaryLsn > r.replay ? primaryLsn - r.replay : 0n),
          reads: r.served,
          ...(r.circuit && { circuit: r.circuit.state() }),
        })),
      };
    },

    async close() {
      closed = true;
      clearInterval(timer);
      await Promise.all(replicas.flatMap((r) => [r.reads.destroy(), r.health.destroy()]));
    },
  };
}

/** The insert position, not pg_current_wal_lsn(): it is never behind a commit record already written, even with synchronous_commit=off. */
async function currentLsn(primary: Knex): Promise<string> {
  const { rows } = await primary.raw<{ rows: { lsn: string }[] }>('select pg_current_wal_insert_lsn()::text as lsn');
  const lsn = rows[0]?.lsn;
  if (!lsn) throw new Error('pg_current_wal_insert_lsn() returned nothing');
  return lsn;
}

function connectReplica(url: string, role: 'reads' | 'health', options: ReadPoolOptions): Knex {
  if (role === 'reads') {
    return connectPostgres(
      {
        url,
        schema: options.schema,
        poolMax: options.poolMax,
        applicationName: 'randomcamerareviews-api:replica-reads',
        statementTimeoutMs: options.readTimeoutMs ?? 5000,
        lockTimeoutMs: options.lockTimeoutMs,
        connectTimeoutMs: 2000,
      },
      options.log,
    );
  }
  // Its own connection, so a replica busy with reads is not mistaken for a dead one. While a replica is down
  // this poll fails twice a second: markDown says so once, knex's per-attempt warnings would flood the log.
  const log = options.log;
  return connectPostgres(
    { url, schema: options.schema, poolMax: 1, applicationName: 'randomcamerareviews-api:replica-health', statementTimeoutMs: 1000, connectTimeoutMs: 1000 },
    { warn: () => {}, error: (message) => log?.error(message) },
  );
}

/** host:port/database — never the credentials. */
function replicaName(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

function describe(reason: unknown): string {
  const e = reason as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0] : String(reason);
  return typeof e?.code === 'string' ? `${e.code} ${message}` : String(message);
}
