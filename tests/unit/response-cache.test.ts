import { afterEach, describe, expect, test } from '@jest/globals';
import { createResponseCache, type ResponseCache } from '../../src/http/public-reads/response-cache.js';

const HEADERS = { 'cache-control': 'public, max-age=60' };

let clock = 0;
const caches: ResponseCache[] = [];

function cacheWith(options: Partial<Parameters<typeof createResponseCache>[0]> = {}) {
  const cache = createResponseCache({ ttlSeconds: 10, staleSeconds: 100, maxBytes: 1024 * 1024, now: () => clock, ...options });
  caches.push(cache);
  return cache;
}

/** A computation that counts its runs and resolves only when told to. */
function deferredCompute(value: unknown = { items: [] }) {
  const state = { runs: 0, release: () => {} };
  const compute = () => {
    state.runs++;
    return new Promise<unknown>((resolve) => {
      state.release = () => resolve(value);
    });
  };
  return { state, compute };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  while (caches.length) caches.pop()?.close();
  clock = 0;
});

describe('response cache', () => {
  test('when many readers miss the same key at once, then it is computed once and all get the same bytes', async () => {
    const cache = cacheWith();
    const { state, compute } = deferredCompute({ n: 1 });

    const waiting = Array.from({ length: 20 }, () => cache.fetch('/v1/content', compute, HEADERS));
    await tick();
    state.release();
    const entries = await Promise.all(waiting);

    expect(state.runs).toBe(1);
    expect(new Set(entries.map((e) => e.etag)).size).toBe(1);
    expect(entries[0]?.body.toString()).toBe('{"n":1}');
    expect(cache.peek('/v1/content')?.etag).toBe(entries[0]?.etag);
  });

  test('when an entry goes stale, then readers get the stale copy while exactly one refresh runs', async () => {
    const cache = cacheWith();
    let runs = 0;
    let release = () => {};
    // the entry refreshes itself with the computation that filled it: fast the first time, then held open
    const compute = () => {
      runs++;
      if (runs === 1) return Promise.resolve({ v: 'old' });
      return new Promise<unknown>((resolve) => {
        release = () => resolve({ v: 'new' });
      });
    };
    await cache.fetch('/k', compute, HEADERS);
    clock += 11_000;

    const served = Array.from({ length: 10 }, () => cache.peek('/k')?.body.toString());
    expect(runs).toBe(2);
    release();
    await tick();

    expect(served.every((body) => body === '{"v":"old"}')).toBe(true);
    expect(cache.counters().refreshes).toBe(1);
    expect(cache.peek('/k')?.body.toString()).toBe('{"v":"new"}');
  });

  test('when a refresh fails, then the stale copy is still served and the error is reported', async () => {
    const errors: unknown[] = [];
    const cache = cacheWith({ onRefreshError: (e) => errors.push(e) });
    let fail = false;
    await cache.fetch(
      '/k',
      async () => {
        if (fail) throw new Error('database down');
        return { v: 1 };
      },
      HEADERS,
    );
    clock += 11_000;
    fail = true;

    expect(cache.peek('/k')?.body.toString()).toBe('{"v":1}');
    await tick();

    expect(errors).toHaveLength(1);
    expect(cache.peek('/k')?.body.toString()).toBe('{"v":1}');
  });

  test('when content changes during a computation, then its result answers its waiters but is not kept', async () => {
    const cache = cacheWith();
    const { state, compute } = deferredCompute({ v: 'before the write' });

    const pending = cache.fetch('/k', compute, HEADERS);
    await tick();
    cache.invalidateAll();
    state.release();

    expect((await pending).body.toString()).toBe('{"v":"before the write"}');
    expect(cache.peek('/k')).toBeUndefined();
  });

  test('when invalidated, then no entry is served from memory and the next read computes afresh', async () => {
    const cache = cacheWith();
    await cache.fetch('/a', async () => 1, HEADERS);
    await cache.fetch('/b', async () => 2, HEADERS);

    cache.invalidateAll();
    const again = await cache.fetch('/a', async () => 'after the write', HEADERS);

    expect(cache.peek('/b')).toBeUndefined();
    expect(again.body.toString()).toBe('"after the write"');
    expect(cache.counters()).toMatchObject({ invalidations: 1, misses: 3 });
  });

  test('when the byte budget is exceeded, then the oldest entries are dropped first', async () => {
    const cache = cacheWith({ maxBytes: 10_000 });
    const body = (i: number) => ({ i, pad: 'x'.repeat(900) });
    for (let i = 0; i < 15; i++) await cache.fetch(`/k${i}`, async () => body(i), HEADERS);

    const { bytes, keys } = cache.counters();
    expect(bytes).toBeLessThanOrEqual(10_000);
    expect(keys).toBeLessThan(15);
    expect(cache.peek('/k0')).toBeUndefined();
    expect(cache.peek('/k14')).toBeDefined();
  });

  test('when the cache is unavailable (change feed down), then nothing is served from memory and every read computes', async () => {
    const cache = cacheWith();
    await cache.fetch('/k', async () => 1, HEADERS);

    cache.setAvailable(false);
    let runs = 0;
    await cache.fetch('/k2', async () => ++runs, HEADERS);
    const second = await cache.fetch('/k2', async () => ++runs, HEADERS);

    expect(second.body.toString()).toBe('2');
    expect(cache.peek('/k')).toBeUndefined();
    cache.setAvailable(true);
    expect(cache.peek('/k')).toBeUndefined(); // what was held before the outage could be stale
    expect(cache.peek('/k2')).toBeUndefined();
  });

  test('when the TTL is 0, then the cache is off', async () => {
    const cache = cacheWith({ ttlSeconds: 0 });
    let runs = 0;
    await cache.fetch('/k', async () => ++runs, HEADERS);
    await cache.fetch('/k', async () => ++runs, HEADERS);

    expect(runs).toBe(2);
    expect(cache.active).toBe(false);
  });

  test('when an entry is filled, then its ETag is strong and changes with the bytes', async () => {
    const cache = cacheWith();
    const a = await cache.fetch('/a', async () => ({ v: 1 }), HEADERS);
    const b = await cache.fetch('/b', async () => ({ v: 2 }), HEADERS);

    expect(a.etag).toMatch(/^"[^"]+"$/);
    expect(a.etag).not.toBe(b.etag);
  });

  describe('when the database cannot answer', () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const failing = async () => {
      throw down;
    };
    const withCopies = () => cacheWith({ staleIfErrorSeconds: 1000, isUnavailable: (e) => e === down });

    test('then a read answered before gets the copy, marked with its age and how long it has been stale, and counted', async () => {
      const cache = withCopies();
      await cache.fetch('/k', async () => ({ v: 1 }), HEADERS);
      clock = 150_000; // past fresh (10 s) and the stale-while-revalidate window (100 s)

      const entry = await cache.fetch('/k', failing, HEADERS);

      expect(entry.body.toString()).toBe('{"v":1}');
      expect(entry.staleIfError).toEqual({ ageSeconds: 150, secondsPastFresh: 140 });
      expect(cache.counters()).toMatchObject({ staleIfError: 1, unavailable: 0 });
    });

    test('then a copy invalidated by a write still answers, though it is never served while the database answers', async () => {
      const cache = withCopies();
      await cache.fetch('/k', async () => ({ v: 'before the write' }), HEADERS);
      cache.invalidateAll();

      expect(cache.peek('/k')).toBeUndefined();
      expect((await cache.fetch('/k', failing, HEADERS)).staleIfError).toBeDefined();
    });

    test('then a copy kept while the change feed was down answers too', async () => {
      const cache = withCopies();
      cache.setAvailable(false);
      await cache.fetch('/k', async () => ({ v: 1 }), HEADERS);

      expect((await cache.fetch('/k', failing, HEADERS)).body.toString()).toBe('{"v":1}');
    });

    test('then a read never answered, or answered longer ago than the bound, fails with the database error', async () => {
      const cache = withCopies();
      await cache.fetch('/old', async () => 1, HEADERS);
      clock = 1_000_000;

      await expect(cache.fetch('/old', failing, HEADERS)).rejects.toBe(down);
      await expect(cache.fetch('/never', failing, HEADERS)).rejects.toBe(down);
      expect(cache.counters()).toMatchObject({ staleIfError: 0, unavailable: 2 });
    });

    test('then an error of the request itself (not found) is never answered from a copy', async () => {
      const cache = withCopies();
      await cache.fetch('/k', async () => 1, HEADERS);
      cache.invalidateAll();
      const notFound = new Error('not found');

      await expect(
        cache.fetch(
          '/k',
          async () => {
            throw notFound;
          },
          HEADERS,
        ),
      ).rejects.toBe(notFound);
    });
  });
});
