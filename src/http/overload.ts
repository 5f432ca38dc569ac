import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EXPOSED_HEADERS } from './cors.js';
import { requestIdOf } from './request-logging.js';

// Load shedding on event-loop delay: when the process cannot keep up (the p99 delay over the
// threshold for a whole second: two half-second windows in a row), a request that would queue
// behind the backlog is answered 503 at once, cheaply and without Express, instead of late. Cached
// reads are answered before this check (they cost less than a 503); probes and metrics never wait.

const NEVER_SHED = /^\/(livez|readyz|metrics)(\?|$)/;
const SAMPLE_MS = 500;

export type OverloadGuard = {
  wrap(next: RequestListener): RequestListener;
  counters(): { shed: number; event_loop_delay_p99_ms: number };
  close(): void;
};

/**
 * `corsOrigins`: the portal's origins (CORS_ORIGINS), so that a page there can read the 503 and its
 * Retry-After. `onShed`: hears each request shed. The runtime counts them into the interval's
 * failure summary (request-logging.ts) rather than writing an access line for each: under overload,
 * a log line per request is the very work shedding saves.
 */
export function createOverloadGuard(thresholdMs: number, corsOrigins: readonly string[] = [], onShed: () => void = () => {}): OverloadGuard {
  const counters = { shed: 0, event_loop_delay_p99_ms: 0 };
  if (thresholdMs <= 0) return { wrap: (next) => next, counters: () => ({ ...counters }), close: () => {} };
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let overloaded = false;
  let timer: NodeJS.Timeout | undefined;
  // from the first request on: start-up's own work (loading the contract, seeding) is no overload
  const start = () => {
    histogram.enable();
    let previousOver = false;
    timer = setInterval(() => {
      counters.event_loop_delay_p99_ms = histogram.percentile(99) / 1e6;
      const over = counters.event_loop_delay_p99_ms > thresholdMs;
      // two windows in a row: one long GC pause or a busy neighbour's burst is not an overload
      overloaded = over && previousOver;
      previousOver = over;
      histogram.reset();
    }, SAMPLE_MS);
    timer.unref();
  };

  return {
    wrap: (next) => (req, res) => {
      if (!timer) start();
      if (!overloaded || NEVER_SHED.test(req.url ?? '')) return next(req, res);
      counters.shed++;
      onShed();
      sendOverloaded(req, res, requestIdOf(req), corsOrigins);
    },
    counters: () => ({ ...counters }),
    close() {
      if (timer) clearInterval(timer);
      histogram.disable();
    },
  };
}

/** The documented 503 problem, written directly: Express would add to the backlog it is shedding. */
function sendOverloaded(req: IncomingMessage, res: ServerResponse, requestId: string, corsOrigins: readonly string[]): void {
  const body = JSON.stringify({
    type: 'https://randomcamerareviews.example/problems/service_unavailable',
    title: 'Service unavailable',
    status: 503,
    code: 'service_unavailable',
    detail: 'The service is overloaded; retry after Retry-After seconds.',
    instance: ((req.url ?? '').split('?')[0] ?? '').slice(0, 500),
    request_id: requestId,
  });
  res.writeHead(503, {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
    'retry-after': '1',
    'x-request-id': requestId,
    'content-length': Buffer.byteLength(body),
    ...corsHeaders(req, corsOrigins),
  });
  res.end(body);
}

/**
 * The CORS grant the route would have given (cors.ts), without finding the route: the portal's
 * origins for anything, any origin for a read. Without it a browser hides the 503 from the page
 * (a network error), and the SDK cannot honour Retry-After. The body tells nobody anything.
 */
function corsHeaders(req: IncomingMessage, corsOrigins: readonly string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  const exposed = { 'access-control-expose-headers': EXPOSED_HEADERS.join(',') };
  if (corsOrigins.includes(origin)) return { 'access-control-allow-origin': origin, vary: 'Origin', ...exposed };
  if (req.method === 'GET' || req.method === 'HEAD') return { 'access-control-allow-origin': '*', ...exposed };
  return {};
}
