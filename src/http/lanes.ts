import type { RequestHandler } from 'express';
import type { Config } from '../config.js';
import type { PublicReadId, PublicReads } from '../handlers/public-reads.js';
import { isConnectionError } from '../data/read-replica-errors.js';
import { createBulkhead, type Bulkhead, type LaneName } from './bulkhead.js';

// Which lane each request takes, and each lane's share of the pool (DATABASE_POOL_MAX = P):
// reads of reviews ⌈P/2⌉, reads of the catalog ⌈P/4⌉, editors' requests ⌈P/2⌉, sign-in ⌈P/4⌉.
// No lane alone can hold more than half the pool. Public reads are gated where they reach the
// database (a cached answer never waits); other requests for as long as they run.

export type Lanes = Record<LaneName, Bulkhead>;

/** How long editors' requests and sign-ins may wait for their lane: knex's own pool wait. */
const WRITE_WAIT_MS = 5000;
const SIGN_IN_OPERATIONS = new Set(['login', 'refreshToken', 'logout']);
const CATALOG_READS = new Set<PublicReadId>(['listProducts', 'getProduct']);

export function createLanes(config: Config): Lanes {
  const pool = config.database.poolMax;
  const lane = (name: LaneName, share: number, maxWaitMs: number) =>
    createBulkhead(name, { limit: Math.max(1, Math.ceil(pool * share)), queueMax: config.load.laneQueueMax, maxWaitMs });
  return {
    'content-reads': lane('content-reads', 1 / 2, config.load.readWaitMs),
    'catalog-reads': lane('catalog-reads', 1 / 4, config.load.readWaitMs),
    editor: lane('editor', 1 / 2, WRITE_WAIT_MS),
    'sign-in': lane('sign-in', 1 / 4, WRITE_WAIT_MS),
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
      res.once('close', release);
      next();
    }, next);
  };
}
