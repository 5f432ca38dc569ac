import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import { createApp, createServices } from './app.js';
import { createResponseCache, type ResponseCache } from './http/public-reads/response-cache.js';
import type { Config } from './config.js';
import { startChangeFeed, type ChangeFeed } from './data/change-feed.js';
import type { Database } from './data/database.js';
import { isDatabaseUnavailable } from './data/read-replica-errors.js';
import type { RateLimitStore } from './data/rate-limit-store.js';
import type { ContentChanges } from './domain/content-changes.js';
import { publicReads } from './handlers/public-reads.js';
import type { Services } from './handlers/services.js';
import { apiOperations, loadContract } from './http/contract.js';
import { createContractValidators } from './http/public-reads/contract-validators.js';
import { withCachedFastPath } from './http/public-reads/fast-path.js';
import { LaneRejectedError } from './http/bulkhead.js';
import { createLanes, readsInLanes } from './http/lanes.js';
import { createMetrics } from './http/metrics.js';
import { createOverloadGuard } from './http/overload.js';
import { failureSummary } from './http/request-logging.js';
import { createPublicReadLane, type PublicReadLane } from './http/public-reads/lane.js';
import { outageSummary } from './logger.js';

// Everything one instance runs, wired once for the server and for the tests: services, the response
// cache and the change feed that keeps it true, and the request listener (cached fast path, then Express).

export type Runtime = {
  services: Services;
  cache: ResponseCache;
  /** Absent when PUBLIC_READ_LANE=false. */
  lane: PublicReadLane | undefined;
  handle: RequestListener;
  /**
   * Resolves once every change committed to the database before the call has emptied this
   * instance's cache, other instances' changes included (at once on the embedded database, whose
   * only writer is this instance, which invalidates before answering). Tests wait on it before
   * counting what the cache did.
   */
  changesHeard(): Promise<void>;
  close(): Promise<void>;
};

/** How long start-up waits for the change feed before serving (uncached until it listens). */
const FEED_START_WAIT_MS = 3000;

export async function startRuntime(deps: {
  config: Config;
  db: Database;
  logger: Logger;
  jwtSecret: string;
  rateLimitStore?: RateLimitStore;
}): Promise<Runtime> {
  const { config, db, logger } = deps;
  const cache = createResponseCache({
    ...config.readCache,
    keepValues: config.validateResponses,
    // a read that could not get its lane's share of the pool in time is answered from a copy too
    isUnavailable: (error) => isDatabaseUnavailable(error) || error instanceof LaneRejectedError,
    onRefreshError: (error) => logger.warn({ err: outageSummary(error) }, 'refreshing a stale cached response failed'),
  });
  // Replicas first learn how far the primary is, then the cache empties: a refill must not come
  // from a replica that has not replayed the change yet.
  const changed = async () => {
    await db.reads.noteWriteFromPrimary();
    cache.invalidateAll();
  };
  const emptying = new Set<Promise<void>>();
  const heard = () => {
    const done = changed().finally(() => emptying.delete(done));
    emptying.add(done);
  };
  const feed = db.kind === 'postgres' && cache.active ? await listenForChanges(config, cache, heard, logger) : undefined;

  // This instance's own writes invalidate before the writer is answered; the feed tells the others.
  const changes: ContentChanges = { published: changed };
  const services = createServices(db, config, deps.jwtSecret, changes);
  const lanes = createLanes(config);
  const reads = readsInLanes(publicReads(services), lanes);
  // one 'failed requests by kind' line every 10 s for the instance: the access log's failures, and the
  // requests shed before they reach it
  const failures = failureSummary(logger);
  const overload = createOverloadGuard(config.load.shedEventLoopDelayMs, config.corsOrigins, () => failures.count('service_unavailable:overloaded'));
  let lane: PublicReadLane | undefined;
  const metrics = createMetrics(cache, () => lane?.counters(), { lanes, overload, circuits: () => db.circuits() });
  const doc = loadContract();
  lane = config.publicReadLane
    ? createPublicReadLane({
        operations: apiOperations(doc),
        validators: createContractValidators(doc),
        reads,
        cache,
        logger,
        observe: metrics.observe,
        validateResponses: config.validateResponses,
      })
    : undefined;
  const app = createApp({ ...deps, services, cache, reads, lanes, metrics, failures, onPublicHeaders: lane?.learn });
  // cached bytes first, then shedding when the event loop lags, then valid public reads without Express, then the full stack
  const afterCache: RequestListener = overload.wrap(lane ? laneThen(lane, app) : app);
  return {
    services,
    cache,
    lane,
    handle: withCachedFastPath(cache, afterCache),
    async changesHeard() {
      await feed?.caughtUp();
      await Promise.all(emptying);
    },
    async close() {
      await feed?.stop();
      cache.close();
      overload.close();
      failures.close();
    },
  };
}

function laneThen(lane: PublicReadLane, app: RequestListener): RequestListener {
  return (req, res) => lane.handle(req, res, app);
}

/** Several instances share one database: each drops its cache when any of them (or anyone) commits a change. */
async function listenForChanges(config: Config, cache: ResponseCache, heard: () => void, logger: Logger): Promise<ChangeFeed> {
  cache.setAvailable(false); // until the feed listens, a change elsewhere could go unheard
  const feed = startChangeFeed(config.database.url as string, config.database.schema, {
    onChange: heard,
    onListening: (listening) => {
      cache.setAvailable(listening);
      if (listening) logger.info('change feed listening: read cache on');
      else logger.warn('change feed lost: reads go to the database until it reconnects (copies kept for when it cannot answer)');
    },
    onError: (error) => logger.warn({ err: outageSummary(error) }, 'change feed error'),
  });
  const deadline = Date.now() + FEED_START_WAIT_MS;
  while (!feed.listening && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return feed;
}
