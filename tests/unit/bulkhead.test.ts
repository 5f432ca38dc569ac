import { describe, expect, test } from '@jest/globals';
import { createBulkhead, LaneRejectedError } from '../../src/http/bulkhead.js';

/** Work that holds its slot until released. */
function held() {
  let release = () => {};
  const done = new Promise<void>((resolve) => (release = resolve));
  return { work: () => done, release: () => release() };
}

describe('bulkhead', () => {
  test('when the lane is at its limit, then the next request waits and runs as soon as a slot is released', async () => {
    const lane = createBulkhead('editor', { limit: 1, queueMax: 1, maxWaitMs: 60_000 });
    const first = held();
    const running = lane.run(first.work);
    let ranSecond = false;
    const second = lane.run(async () => (ranSecond = true));

    expect(lane.counters()).toMatchObject({ active: 1, queued: 1 });
    expect(ranSecond).toBe(false);
    first.release();
    await Promise.all([running, second]);

    expect(ranSecond).toBe(true);
    expect(lane.counters()).toMatchObject({ active: 0, queued: 0 });
  });

  test('when the queue is full, then the request is shed at once with a 503 that says when to retry', async () => {
    const lane = createBulkhead('content-reads', { limit: 1, queueMax: 0, maxWaitMs: 60_000 });
    const first = held();
    const running = lane.run(first.work);

    const shed = lane.run(async () => 'never');

    await expect(shed).rejects.toBeInstanceOf(LaneRejectedError);
    await expect(shed).rejects.toMatchObject({ status: 503, code: 'service_unavailable', reason: 'queue_full', headers: { 'Retry-After': '1' } });
    expect(lane.counters().shed).toBe(1);
    first.release();
    await running;
  });

  test('when a request waits longer than the lane allows, then it is refused and its place in the queue is given up', async () => {
    const lane = createBulkhead('content-reads', { limit: 1, queueMax: 5, maxWaitMs: 1 });
    const first = held();
    const running = lane.run(first.work);

    await expect(lane.run(async () => 'late')).rejects.toMatchObject({ reason: 'wait_timeout' });
    expect(lane.counters()).toMatchObject({ queued: 0, timed_out: 1, active: 1 });
    first.release();
    await running;
    expect(lane.counters().active).toBe(0);
  });

  test('when work fails, then its slot is released all the same', async () => {
    const lane = createBulkhead('sign-in', { limit: 1, queueMax: 0, maxWaitMs: 60_000 });

    await expect(lane.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lane.run(async () => 'next')).resolves.toBe('next');
  });
});
