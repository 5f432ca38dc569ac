import { AppError } from '../errors.js';

// Bulkheads: each kind of request may hold only its share of the database pool, so one kind that
// waits (a locked table, a slow search, a sign-in storm) cannot starve the others. Past its share a
// request waits in a bounded queue for a bounded time; a full queue is shed at once.
//
// A lane that is full and has had no good news for `stallMs` (no work finished other than by the
// database failing it) is stuck, not slow: a locked table. It refuses new requests at once and gives
// up its queue, so callers get their 503 (or a stale copy) in milliseconds instead of after the
// wait. A slot that work freed by failing goes to the next request that comes, as a probe: while it
// runs, the lane stays stuck; when one succeeds, the lane is healthy again (ADR 0034).

export type LaneName = 'content-reads' | 'catalog-reads' | 'editor' | 'sign-in';
export type LaneRejection = 'queue_full' | 'wait_timeout' | 'stalled';

const DETAIL: Record<LaneRejection, string> = {
  queue_full: 'The service is too busy to queue this request; retry after Retry-After seconds.',
  wait_timeout: 'The service could not start this request in time; retry after Retry-After seconds.',
  stalled: 'The service cannot start this request now: the work ahead of it is stuck; retry after Retry-After seconds.',
};

/** The lane refused the request. A 503 the client may retry. */
export class LaneRejectedError extends AppError {
  constructor(lane: LaneName, reason: LaneRejection) {
    super('service_unavailable', 503, DETAIL[reason], { headers: { 'Retry-After': '1' } });
    this.name = 'LaneRejectedError';
    this.lane = lane;
    this.reason = reason;
  }
  readonly lane: LaneName;
  readonly reason: LaneRejection;
}

export type Bulkhead = {
  /** Runs fn once a slot is free; rejects with LaneRejectedError when the queue is full, the wait is too long or the lane is stalled. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** A slot for work that ends later (a request): resolves with its release, told whether the work succeeded. */
  acquire(): Promise<Release>;
  counters(): { active: number; queued: number; shed: number; timed_out: number; stalled: number };
};

/** Frees the slot; `failed: true` when the database failed the work (timed out, unavailable): no good news. */
export type Release = (failed: boolean) => void;

export type BulkheadOptions = {
  limit: number;
  queueMax: number;
  maxWaitMs: number;
  stallMs: number;
  /** Whether an error thrown by `run`'s work is the database failing it (default: every error). */
  isFailure?: (error: unknown) => boolean;
};

export function createBulkhead(lane: LaneName, options: BulkheadOptions): Bulkhead {
  let active = 0;
  const queue: { grant: () => void; refuse: (reason: 'wait_timeout') => void }[] = [];
  const counters = { shed: 0, timed_out: 0, stalled: 0 };
  // when the lane last finished work, or started it with no failure since the last success
  let goodNewsAt = Date.now();
  let failedSinceGoodNews = false;
  let stallTimer: NodeJS.Timeout | undefined;

  const stalled = () => active >= options.limit && Date.now() - goodNewsAt >= options.stallMs;

  // armed while requests wait: when nothing has finished for stallMs, they are all refused at once
  function watchForStall(): void {
    if (stallTimer || queue.length === 0) return;
    stallTimer = setTimeout(
      () => {
        stallTimer = undefined;
        // they waited and cannot start: a wait cut short, not a refusal on arrival
        if (stalled()) for (const waiter of queue.splice(0)) waiter.refuse('wait_timeout');
        watchForStall();
      },
      Math.max(1, goodNewsAt + options.stallMs - Date.now()),
    );
    stallTimer.unref();
  }

  const release: Release = (failed) => {
    if (failed) failedSinceGoodNews = true;
    else {
      goodNewsAt = Date.now();
      failedSinceGoodNews = false;
    }
    const next = queue.shift();
    if (next) next.grant();
    else active--;
  };

  function acquire(): Promise<Release> {
    if (active < options.limit) {
      active++;
      // a free slot is good news, unless work failed since the last success: then this is a probe
      if (!failedSinceGoodNews) goodNewsAt = Date.now();
      return Promise.resolve(once(release));
    }
    if (stalled()) {
      counters.stalled++;
      return Promise.reject(new LaneRejectedError(lane, 'stalled'));
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
        refuse: (reason: 'wait_timeout') => {
          clearTimeout(timer);
          counters.timed_out++;
          reject(new LaneRejectedError(lane, reason));
        },
      };
      const timer = setTimeout(() => {
        queue.splice(queue.indexOf(waiter), 1);
        waiter.refuse('wait_timeout');
      }, options.maxWaitMs);
      queue.push(waiter);
      watchForStall();
    });
  }

  return {
    acquire,
    async run(fn) {
      const done = await acquire();
      try {
        const result = await fn();
        done(false);
        return result;
      } catch (error) {
        done(options.isFailure?.(error) ?? true);
        throw error;
      }
    },
    counters: () => ({ active, queued: queue.length, ...counters }),
  };
}

function once(release: Release): Release {
  let called = false;
  return (failed) => {
    if (called) return;
    called = true;
    release(failed);
  };
}
