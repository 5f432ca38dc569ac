import type { RequestListener, ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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

export function createOverloadGuard(thresholdMs: number): OverloadGuard {
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
      sendOverloaded(res, req.url ?? '', requestIdOf(req));
    },
    counters: () => ({ ...counters }),
    close() {
      if (timer) clearInterval(timer);
      histogram.disable();
    },
  };
}

/** The documented 503 problem, written directly: Express would add to the backlog it is shedding. */
function sendOverloaded(res: ServerResponse, url: string, requestId: string): void {
  const body = JSON.stringify({
    type: 'https://randomcamerareviews.example/problems/service_unavailable',
    title: 'Service unavailable',
    status: 503,
    code: 'service_unavailable',
    detail: 'The service is overloaded; retry after Retry-After seconds.',
    instance: (url.split('?')[0] ?? '').slice(0, 500),
    request_id: requestId,
  });
  res.writeHead(503, {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
    'retry-after': '1',
    'x-request-id': requestId,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
