import { afterEach, describe, expect, test } from '@jest/globals';
import { createResponseCache, type ResponseCache } from '../../src/cache/response-cache.js';

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
    await cache.fetch('/k', async () => {
      if (fail) throw new Error('database down');
      return { v: 1 };
    }, HEADERS);
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

  test('when invalidated, then every entry is gone and the next read computes afresh', async () => {
    const cache = cacheWith();
    await cache.fetch('/a', async () => 1, HEADERS);
    await cache.fetch('/b', async () => 2, HEADERS);

    cache.invalidateAll();

    expect(cache.peek('/a')).toBeUndefined();
    expect(cache.peek('/b')).toBeUndefined();
    expect(cache.counters()).toMatchObject({ keys: 0, bytes: 0, invalidations: 1 });
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

  test('when the cache is unavailable (change feed down), then nothing is served or kept from memory', async () => {
    const cache = cacheWith();
    await cache.fetch('/k', async () => 1, HEADERS);

    cache.setAvailable(false);
    const entry = await cache.fetch('/k2', async () => 2, HEADERS);

    expect(entry.body.toString()).toBe('2');
    expect(cache.peek('/k')).toBeUndefined();
    expect(cache.counters().keys).toBe(0);
    cache.setAvailable(true);
    expect(cache.peek('/k')).toBeUndefined(); // what was held before the outage could be stale
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
});
