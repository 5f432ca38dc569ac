import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { createBulkhead, LaneRejectedError } from '../../src/http/bulkhead.js';
import { laneLimits } from '../../src/http/lanes.js';

/** Work that holds its slot until released. */
function held() {
  let release = () => {};
  const done = new Promise<void>((resolve) => (release = resolve));
  return { work: () => done, release: () => release() };
}

describe('bulkhead', () => {
  test('when the lane is at its limit, then the next request waits and runs as soon as a slot is released', async () => {
    const lane = createBulkhead('editor', { limit: 1, queueMax: 1, maxWaitMs: 60_000, stallMs: 60_000 });
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
    const lane = createBulkhead('content-reads', { limit: 1, queueMax: 0, maxWaitMs: 60_000, stallMs: 60_000 });
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
    const lane = createBulkhead('content-reads', { limit: 1, queueMax: 5, maxWaitMs: 1, stallMs: 60_000 });
    const first = held();
    const running = lane.run(first.work);

    await expect(lane.run(async () => 'late')).rejects.toMatchObject({ reason: 'wait_timeout' });
    expect(lane.counters()).toMatchObject({ queued: 0, timed_out: 1, active: 1 });
    first.release();
    await running;
    expect(lane.counters().active).toBe(0);
  });

  test('when work fails, then its slot is released all the same', async () => {
    const lane = createBulkhead('sign-in', { limit: 1, queueMax: 0, maxWaitMs: 60_000, stallMs: 60_000 });

    await expect(lane.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lane.run(async () => 'next')).resolves.toBe('next');
  });

  describe('when every slot is stuck (a locked table)', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    test('then, once nothing has finished for stallMs, the queue is given up and new requests are refused on arrival', async () => {
      jest.useFakeTimers();
      const lane = createBulkhead('content-reads', { limit: 1, queueMax: 10, maxWaitMs: 60_000, stallMs: 500 });
      const stuck = held();
      const running = lane.run(stuck.work);
      const queued = lane.run(async () => 'never');
      const outcome = queued.catch((error: unknown) => error);

      jest.advanceTimersByTime(499);
      expect(lane.counters()).toMatchObject({ queued: 1, stalled: 0 });
      jest.advanceTimersByTime(1);

      expect(await outcome).toMatchObject({ status: 503, reason: 'wait_timeout', headers: { 'Retry-After': '1' } });
      await expect(lane.run(async () => 'new')).rejects.toMatchObject({ status: 503, reason: 'stalled', headers: { 'Retry-After': '1' } });
      expect(lane.counters()).toMatchObject({ active: 1, queued: 0, timed_out: 1, stalled: 1 });

      stuck.release();
      await running;
      await expect(lane.run(async () => 'after')).resolves.toBe('after');
    });

    test('then a slot freed by a failure goes to one new request (a probe), and the lane stays stuck for the rest until one succeeds', async () => {
      jest.useFakeTimers();
      const lane = createBulkhead('content-reads', { limit: 1, queueMax: 10, maxWaitMs: 60_000, stallMs: 500 });
      const stuck = lane.run(() => Promise.reject(Object.assign(new Error('lock timeout'), { code: '55P03' })));
      await expect(stuck).rejects.toThrow('lock timeout');
      const probe = held();
      jest.advanceTimersByTime(1000);

      const probing = lane.run(probe.work);
      await expect(lane.run(async () => 'refused')).rejects.toMatchObject({ reason: 'stalled' });
      probe.release();
      await probing;

      await expect(lane.run(async () => 'moving again')).resolves.toBe('moving again');
    });

    test('then work that fails for reasons of its own (not the database failing it) is good news: no probe, the lane is not stuck', async () => {
      jest.useFakeTimers();
      const lane = createBulkhead('content-reads', {
        limit: 1,
        queueMax: 10,
        maxWaitMs: 60_000,
        stallMs: 500,
        isFailure: (e) => (e as { code?: string }).code === '55P03',
      });
      await expect(lane.run(() => Promise.reject(Object.assign(new Error('no such review'), { status: 404 })))).rejects.toThrow('no such review');
      jest.advanceTimersByTime(1000);

      const slow = held();
      const running = lane.run(slow.work);
      const queued = lane.run(async () => 'queued, not refused');
      slow.release();

      await expect(queued).resolves.toBe('queued, not refused');
      await running;
    });

    test('then a lane that keeps finishing work is never stalled, however long its queue has been waiting', async () => {
      jest.useFakeTimers();
      const lane = createBulkhead('content-reads', { limit: 1, queueMax: 10, maxWaitMs: 60_000, stallMs: 500 });
      const jobs = Array.from({ length: 4 }, held);
      const runs = jobs.map((job) => lane.run(job.work));

      for (const job of jobs) {
        jest.advanceTimersByTime(400);
        job.release();
        await Promise.resolve();
        await Promise.resolve();
      }
      await Promise.all(runs);

      expect(lane.counters()).toMatchObject({ active: 0, queued: 0, stalled: 0, timed_out: 0 });
    });
  });
});

describe('lane shares', () => {
  test.each([5, 6, 10, 20, 200])('when the pool has %i connections, then the lanes share exactly that many, each at least one', (pool) => {
    const limits = Object.values(laneLimits(pool));
    expect(limits.reduce((a, b) => a + b, 0)).toBe(pool);
    expect(Math.min(...limits)).toBeGreaterThanOrEqual(1);
  });

  test('when the pool has fewer than 5 connections, then the small lanes share one and reads of reviews get the others', () => {
    expect(laneLimits(4)).toEqual({ 'content-reads': 3, 'catalog-reads': 1, editor: 1, 'sign-in': 1 });
    expect(laneLimits(3)).toEqual({ 'content-reads': 2, 'catalog-reads': 1, editor: 1, 'sign-in': 1 });
  });

  test('when the pool is too small to split, then every lane still has one connection', () => {
    expect(laneLimits(2)).toEqual({ 'content-reads': 1, 'catalog-reads': 1, editor: 1, 'sign-in': 1 });
    expect(laneLimits(1)).toEqual({ 'content-reads': 1, 'catalog-reads': 1, editor: 1, 'sign-in': 1 });
  });
});
