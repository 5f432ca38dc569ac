import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

// Where rate-limit counters live: one Redis shared by every instance when REDIS_URL is set,
// otherwise this process's memory. With Redis, each limiter falls back to its own in-memory
// copy while Redis does not answer, so an outage degrades limits to per instance, never to none.

export type LimiterOptions = Readonly<{ name: string; points: number; durationSeconds: number }>;

export type RateLimitStore = {
  kind: 'memory' | 'redis';
  limiter(options: LimiterOptions): RateLimiterAbstract;
  /** Connects (Redis); resolves either way, so a Redis outage at start does not stop the service. */
  ready(): Promise<void>;
  close(): Promise<void>;
};

export function createRateLimitStore(
  settings: Readonly<{ redisUrl: string | undefined; keyPrefix: string }>,
  onError: (message: string) => void = () => {},
): RateLimitStore {
  const memory = ({ name, points, durationSeconds }: LimiterOptions) =>
    new RateLimiterMemory({ keyPrefix: `${settings.keyPrefix}:${name}`, points, duration: durationSeconds });

  if (!settings.redisUrl) {
    // one set of counters per name, as in Redis: whoever holds this store shares them
    const limiters = new Map<string, RateLimiterAbstract>();
    const shared = (options: LimiterOptions) => {
      const key = `${options.name}/${options.points}/${options.durationSeconds}`;
      const limiter = limiters.get(key) ?? memory(options);
      limiters.set(key, limiter);
      return limiter;
    };
    return { kind: 'memory', limiter: shared, ready: async () => {}, close: async () => {} };
  }

  const client = new Redis(settings.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false, // while disconnected, fail at once and let the in-memory fallback answer
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
  });
  let lastError = '';
  client.on('error', (error: Error) => {
    // ioredis repeats the same error on every reconnection attempt: say it once
    if (error.message !== lastError) onError(`rate-limit store: ${error.message}`);
    lastError = error.message;
  });
  client.on('ready', () => {
    lastError = '';
  });

  return {
    kind: 'redis',
    limiter: (options) =>
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `${settings.keyPrefix}:${options.name}`,
        points: options.points,
        duration: options.durationSeconds,
        insuranceLimiter: memory(options),
      }),
    ready: () => client.connect().catch(() => undefined),
    close: async () => {
      client.disconnect();
    },
  };
}
