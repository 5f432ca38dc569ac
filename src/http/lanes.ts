import type { RequestHandler } from 'express';
import type { Config } from '../config.js';
import type { PublicReadId, PublicReads } from '../handlers/public-reads.js';
import { isConnectionError, isDatabaseUnavailable } from '../data/read-replica-errors.js';
import { createBulkhead, type Bulkhead, type LaneName } from './bulkhead.js';

// Which lane each request takes, and each lane's share of the pool (DATABASE_POOL_MAX = P): reads of
// the catalog, editors' requests and sign-in ⌊P/5⌋ each, reads of reviews the rest. From 5 connections
// up the shares add up to the pool, so a lane whose work is stuck (a locked table) holds only its own
// connections and the other lanes still get theirs. Below 5 a fifth rounds to nothing: the three small
// lanes share one connection (each may take it) and reads of reviews get the others. Public reads are
// gated where they reach the database (a cached answer never waits); other requests for as long as they run.

export type Lanes = Record<LaneName, Bulkhead>;

/** How long editors' requests and sign-ins may wait for their lane: knex's own pool wait. */
const WRITE_WAIT_MS = 5000;
const SIGN_IN_OPERATIONS = new Set(['login', 'refreshToken', 'logout']);
const CATALOG_READS = new Set<PublicReadId>(['listProducts', 'getProduct']);

/**
 * Each lane's number of connections for a pool of `pool`. Reads of reviews are nearly all the traffic:
 * splitting a pool of 4 one connection per lane (as every lane's "at least one" did) served every
 * uncached read of reviews one at a time. At 1M reviews the bench's list then gave 767 req/s with a
 * p99 of 46 ms, against 1,124 req/s and 26 ms with 3 of the 4 (ADR 0034).
 */
export function laneLimits(pool: number): Record<LaneName, number> {
  const fifth = Math.floor(pool / 5);
  const small = Math.max(1, fifth);
  // what reads of reviews leave to the three small lanes: their own shares, or below 5 the one they share
  const reserved = fifth > 0 ? 3 * fifth : 1;
  return { 'content-reads': Math.max(1, pool - reserved), 'catalog-reads': small, editor: small, 'sign-in': small };
}

export function createLanes(config: Config): Lanes {
  const limits = laneLimits(config.database.poolMax);
  // stuck: nothing finished successfully for as long as a request may wait
  const lane = (name: LaneName, maxWaitMs: number) =>
    createBulkhead(name, { limit: limits[name], queueMax: config.load.laneQueueMax, maxWaitMs, stallMs: maxWaitMs, isFailure: isDatabaseUnavailable });
  return {
    'content-reads': lane('content-reads', config.load.readWaitMs),
    'catalog-reads': lane('catalog-reads', config.load.readWaitMs),
    editor: lane('editor', WRITE_WAIT_MS),
    'sign-in': lane('sign-in', WRITE_WAIT_MS),
  };
}

/** Full jitter (AWS's "Exponential Backoff And Jitter"): a uniformly random wait below this, for the one retry. */
const RETRY_BACKOFF_MS = 100;

/**
 * The one retry layer: a public read (idempotent) whose connection dropped is tried once more after a
 * full-jitter backoff, so readers do not feel one dropped connection. Not when the circuit is open
 * (BrokenCircuitError is not a connection error) nor when the pool is full (KnexTimeoutError): both say
 * waiting more would not help. Writes are never retried here: clients retry them with their Idempotency-Key.
 */
async function retriedOnDroppedConnection<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!isConnectionError(error) || (error as Error).name === 'KnexTimeoutError') throw error;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * RETRY_BACKOFF_MS));
    return read();
  }
}

/** The public reads, each run in its lane, retried once on a dropped connection. */
export function readsInLanes(reads: PublicReads, lanes: Lanes): PublicReads {
  const gated = {} as Record<PublicReadId, (input: never) => Promise<unknown>>;
  for (const [id, read] of Object.entries(reads) as [PublicReadId, (input: never) => Promise<unknown>][]) {
    const bulkhead = lanes[CATALOG_READS.has(id) ? 'catalog-reads' : 'content-reads'];
    gated[id] = (input) => bulkhead.run(() => retriedOnDroppedConnection(() => read(input)));
  }
  return gated as PublicReads;
}

/** The lane of an operation that is not a public read; undefined for those outside /v1's database work. */
export function laneOf(operationId: string, requiresAuth: boolean): LaneName | undefined {
  if (SIGN_IN_OPERATIONS.has(operationId)) return 'sign-in';
  return requiresAuth ? 'editor' : undefined;
}

/** Holds a slot of the lane from before authentication (which reads the database) until the response ends. */
export function laneGate(bulkhead: Bulkhead): RequestHandler {
  return (_req, res, next) => {
    bulkhead.acquire().then((release) => {
      // a 503 is the database (or a lane behind it) failing the request: no good news for the lane
      res.once('close', () => release(res.statusCode === 503));
      next();
    }, next);
  };
}
