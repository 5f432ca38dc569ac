import etag from 'etag';
import NodeCache from 'node-cache';

// Public responses serialized once and served as bytes to every reader that asks the same URL.
// Writes invalidate everything at once (they are rare next to reads); a TTL is only the safety net.
// An invalidated or expired entry is no longer served while the database answers, but it is kept (up to
// `staleIfErrorSeconds` after it was computed) as the copy to serve when the database cannot answer:
// the stale-if-error every public response advertises, honoured by the instance too (ADR 0034).

export type CachedResponse = {
  readonly body: Buffer;
  readonly etag: string;
  /** Headers the full stack set on the response that filled the entry (CORS, security, caching). */
  readonly headers: Readonly<Record<string, string>>;
  /** The contract shape, kept only where responses are validated (tests): the fast path never needs it. */
  readonly value: unknown;
  readonly freshUntil: number;
  /** When it was computed (Age counts from here). */
  readonly storedAt: number;
  /** Set only on a copy served because the database could not answer. */
  readonly staleIfError?: { ageSeconds: number; secondsPastFresh: number };
  /** Recomputes this entry's body: kept so a stale entry can be refreshed without a request. */
  readonly recompute: () => Promise<unknown>;
};

export type ResponseCacheOptions = {
  ttlSeconds: number;
  staleSeconds: number;
  maxBytes: number;
  /** How long after it was computed a copy may still answer a read the database cannot; 0: never. */
  staleIfErrorSeconds?: number;
  /** Which compute failures mean the database could not answer (others are the request's own). */
  isUnavailable?: (error: unknown) => boolean;
  keepValues?: boolean;
  now?: () => number;
  onRefreshError?: (error: unknown) => void;
};

export type CacheCounters = {
  hits: number;
  stale: number;
  misses: number;
  refreshes: number;
  invalidations: number;
  /** Reads answered from a kept copy because the database could not answer. */
  staleIfError: number;
  /** Reads the database could not answer and no copy could (a 503). */
  unavailable: number;
  bytes: number;
  keys: number;
};

export type ResponseCache = ReturnType<typeof createResponseCache>;

/** An entry bigger than this share of the budget is served but not kept: one huge page must not evict all the rest. */
const MAX_ENTRY_SHARE = 0.1;

export function createResponseCache(options: ResponseCacheOptions) {
  const now = options.now ?? Date.now;
  const enabled = options.ttlSeconds > 0;
  const staleIfErrorMs = (options.staleIfErrorSeconds ?? 0) * 1000;
  const isUnavailable = options.isUnavailable ?? (() => false);
  const store = new NodeCache({
    stdTTL: Math.max(options.ttlSeconds + options.staleSeconds, options.staleIfErrorSeconds ?? 0),
    checkperiod: 60,
    useClones: false, // entries are immutable; cloning a body per hit would cost more than the request
  });
  let bytes = 0;
  let generation = 0;
  let available = enabled;
  const inflight = new Map<string, Promise<CachedResponse>>();
  /** The generation each kept entry was computed in: only the current one's are served while the database answers. */
  const generationOf = new WeakMap<CachedResponse, number>();
  const counters = { hits: 0, stale: 0, misses: 0, refreshes: 0, invalidations: 0, staleIfError: 0, unavailable: 0 };

  store.on('del', (_key: string, entry: CachedResponse) => {
    bytes -= entry.body.length;
  });

  function build(value: unknown, headers: Readonly<Record<string, string>>, recompute: () => Promise<unknown>): CachedResponse {
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    const storedAt = now();
    return {
      body,
      etag: etag(body),
      headers,
      value: options.keepValues ? value : undefined,
      freshUntil: storedAt + options.ttlSeconds * 1000,
      storedAt,
      recompute,
    };
  }

  /** Served while the database answers: computed since the last invalidation, within the stale-while-revalidate window. */
  function servable(entry: CachedResponse): boolean {
    return generationOf.get(entry) === generation && now() < entry.freshUntil + options.staleSeconds * 1000;
  }

  /** The kept copy for key, marked as served in place of an answer the database could not give. */
  function copyForError(key: string): CachedResponse | undefined {
    const entry = store.get<CachedResponse>(key);
    if (!entry) return undefined;
    const ageMs = now() - entry.storedAt;
    if (ageMs >= staleIfErrorMs) return undefined;
    return { ...entry, staleIfError: { ageSeconds: Math.floor(ageMs / 1000), secondsPastFresh: Math.max(0, Math.ceil((now() - entry.freshUntil) / 1000)) } };
  }

  function keep(key: string, entry: CachedResponse): void {
    generationOf.set(entry, generation);
    const size = entry.body.length;
    if (size > options.maxBytes * MAX_ENTRY_SHARE) return;
    const previous = store.get<CachedResponse>(key);
    if (previous) store.del(key);
    if (bytes + size > options.maxBytes) evictOldest(options.maxBytes * 0.75 - size);
    store.set(key, entry);
    bytes += size;
  }

  /** node-cache keeps keys in insertion order: dropping from the front drops the oldest fills. */
  function evictOldest(targetBytes: number): void {
    for (const key of store.keys()) {
      if (bytes <= targetBytes) break;
      store.del(key);
    }
  }

  /** One computation per key at a time; a result computed across an invalidation is served to its waiters but not kept. */
  function load(key: string, compute: () => Promise<unknown>, headers: Readonly<Record<string, string>>): Promise<CachedResponse> {
    const pending = inflight.get(key);
    if (pending) return pending;
    const startedIn = generation;
    const promise = compute()
      .then((value) => {
        const entry = build(value, headers, compute);
        // kept while the cache is unavailable too: not served from memory then, but a copy for when the database fails
        if (startedIn === generation) keep(key, entry);
        return entry;
      })
      .finally(() => {
        if (inflight.get(key) === promise) inflight.delete(key);
      });
    inflight.set(key, promise);
    return promise;
  }

  function revalidate(key: string, stale: CachedResponse): void {
    if (inflight.has(key)) return;
    counters.refreshes++;
    load(key, stale.recompute, stale.headers).catch((error: unknown) => {
      // the stale copy stays until it expires: a failing database must not blank cached pages
      options.onRefreshError?.(error);
    });
  }

  return {
    /** False when the cache is off, or while invalidations cannot be trusted to arrive. */
    get active(): boolean {
      return available;
    },

    /** A cached entry, fresh or stale; a stale one is handed out while one background refresh runs. */
    peek(key: string): CachedResponse | undefined {
      if (!available) return undefined;
      const entry = store.get<CachedResponse>(key);
      if (!entry || !servable(entry)) return undefined;
      if (entry.freshUntil <= now()) {
        counters.stale++;
        revalidate(key, entry);
      } else {
        counters.hits++;
      }
      return entry;
    },

    /** The entry for key, computing it (once, however many ask at the same time) when absent. */
    /** When the database cannot answer, a copy kept from before (within staleIfErrorSeconds) answers instead, marked `staleIfError`. */
    async fetch(key: string, compute: () => Promise<unknown>, headers: Readonly<Record<string, string>>): Promise<CachedResponse> {
      try {
        if (!enabled) return build(await compute(), headers, compute);
        const cached = this.peek(key);
        if (cached) return cached;
        counters.misses++;
        return await load(key, compute, headers);
      } catch (error) {
        if (!isUnavailable(error)) throw error;
        const copy = copyForError(key);
        if (!copy) {
          counters.unavailable++;
          throw error;
        }
        counters.staleIfError++;
        return copy;
      }
    },

    /** No entry is served from memory again, nor a computation in flight kept: the next read of any URL sees the database as it is now. The entries stay as copies for when the database fails. */
    invalidateAll(): void {
      generation++;
      counters.invalidations++;
      inflight.clear();
    },

    /** While invalidations may be missed (the change feed is down), serve nothing from memory (but keep copies for errors). */
    setAvailable(value: boolean): void {
      if (!enabled) return;
      if (value !== available) this.invalidateAll();
      available = value;
    },

    counters(): CacheCounters {
      return { ...counters, bytes, keys: store.keys().length };
    },

    close(): void {
      store.close();
    },
  };
}
