import { AppError } from '../errors.js';

// Bulkheads: each kind of request may hold only its share of the database pool, so one kind that
// waits (a locked table, a slow search, a sign-in storm) cannot starve the others. Past its share a
// request waits in a bounded queue for a bounded time; a full queue is shed at once (ADR 0034).

export type LaneName = 'content-reads' | 'catalog-reads' | 'editor' | 'sign-in';

/** The lane refused the request: its queue was full (shed at once) or the wait ran out. A 503 the client may retry. */
export class LaneRejectedError extends AppError {
  constructor(lane: LaneName, reason: 'queue_full' | 'wait_timeout') {
    const detail =
      reason === 'queue_full'
        ? 'The service is too busy to queue this request; retry after Retry-After seconds.'
        : 'The service could not start this request in time; retry after Retry-After seconds.';
    super('service_unavailable', 503, detail, { headers: { 'Retry-After': '1' } });
    this.name = 'LaneRejectedError';
    this.lane = lane;
    this.reason = reason;
  }
  readonly lane: LaneName;
  readonly reason: 'queue_full' | 'wait_timeout';
}

export type Bulkhead = {
  /** Runs fn once a slot is free; rejects with LaneRejectedError when the queue is full or the wait is too long. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** A slot for work that ends later (a request): resolves with its release. */
  acquire(): Promise<() => void>;
  counters(): { active: number; queued: number; shed: number; timed_out: number };
};

export function createBulkhead(lane: LaneName, options: { limit: number; queueMax: number; maxWaitMs: number }): Bulkhead {
  let active = 0;
  const queue: { grant: () => void }[] = [];
  const counters = { shed: 0, timed_out: 0 };

  const release = () => {
    const next = queue.shift();
    if (next) next.grant();
    else active--;
  };

  function acquire(): Promise<() => void> {
    if (active < options.limit) {
      active++;
      return Promise.resolve(once(release));
    }
    if (queue.length >= options.queueMax) {
      counters.shed++;
      return Promise.reject(new LaneRejectedError(lane, 'queue_full'));
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(once(release)); // the slot passes from the releaser to this waiter: active stays
        },
      };
      const timer = setTimeout(() => {
        queue.splice(queue.indexOf(waiter), 1);
        counters.timed_out++;
        reject(new LaneRejectedError(lane, 'wait_timeout'));
      }, options.maxWaitMs);
      queue.push(waiter);
    });
  }

  return {
    acquire,
    async run(fn) {
      const done = await acquire();
      try {
        return await fn();
      } finally {
        done();
      }
    },
    counters: () => ({ active, queued: queue.length, ...counters }),
  };
}

function once(fn: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    fn();
  };
}
