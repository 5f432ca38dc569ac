import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ResponseCache } from './public-reads/response-cache.js';
import type { Lanes } from './lanes.js';
import type { OverloadGuard } from './overload.js';

/** A registry per app (not prom-client's global), so several apps in one process do not collide. */
export type Metrics = ReturnType<typeof createMetrics>;

/** `lane`: the public read lane's counters, once there is one. */
export function createMetrics(
  cache: ResponseCache,
  lane: () => Record<string, number> | undefined = () => undefined,
  load: { lanes?: Lanes; overload?: OverloadGuard; circuits?: () => Record<string, string> } = {},
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  // Cached reads answered before Express are not in the histogram above: the cache counts them.
  new Gauge({
    name: 'public_read_cache',
    help: 'In-process public response cache: hits, stale hits, misses and invalidations since start; keys and bytes held now.',
    labelNames: ['measure'],
    registers: [registry],
    collect() {
      for (const [measure, value] of Object.entries(cache.counters())) this.set({ measure }, value);
    },
  });

  new Gauge({
    name: 'public_read_lane',
    help: 'Public reads answered without Express (served) and requests handed on to the full stack, since start.',
    labelNames: ['measure'],
    registers: [registry],
    collect() {
      for (const [measure, value] of Object.entries(lane() ?? {})) this.set({ measure }, value);
    },
  });

  new Gauge({
    name: 'request_lane',
    help: "Bulkheads: requests holding (active) or waiting for (queued) each lane's share of the pool now; shed (queue full) and timed out (waited too long) since start.",
    labelNames: ['lane', 'measure'],
    registers: [registry],
    collect() {
      for (const [name, bulkhead] of Object.entries(load.lanes ?? {})) {
        for (const [measure, value] of Object.entries(bulkhead.counters())) this.set({ lane: name, measure }, value);
      }
    },
  });

  new Gauge({
    name: 'load_shedding',
    help: 'Requests shed because the event loop lagged, since start; the event-loop delay p99 of the last half second (ms).',
    labelNames: ['measure'],
    registers: [registry],
    collect() {
      for (const [measure, value] of Object.entries(load.overload?.counters() ?? {})) this.set({ measure }, value);
    },
  });

  new Gauge({
    name: 'database_circuit',
    help: 'Circuit breaker of each PostgreSQL server (primary, replicas by name): 1 for its current state (closed, open, half_open), 0 for the others.',
    labelNames: ['server', 'state'],
    registers: [registry],
    collect() {
      for (const [server, current] of Object.entries(load.circuits?.() ?? {})) {
        for (const state of ['closed', 'open', 'half_open']) this.set({ server, state }, state === current ? 1 : 0);
      }
    },
  });

  const measure: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // route templates, never raw paths: ids in paths would explode label cardinality
      const route = req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };

  /** For requests answered outside Express (the public read lane): the same histogram, the same route labels. */
  const observe = (method: string, route: string, status: number, seconds: number) => {
    duration.observe({ method, route, status: String(status) }, seconds);
  };

  return { registry, measure, observe };
}
