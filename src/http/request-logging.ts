import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { RequestFailure } from './problem.js';

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is sane, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
}

/** How often the failures of the last interval are summed up in one line per kind. */
const SUMMARY_INTERVAL_MS = 10_000;

/**
 * JSON access log with a request id: the caller's X-Request-Id when it is sane, else a new UUID.
 * A failed request is one line, carrying why (`err`: the problem's code, the cause's type, code and
 * message, a stack only for a 500); every SUMMARY_INTERVAL_MS one line per kind of failure counts them.
 */
export function requestLogging(logger: Logger, summary: FailureSummary = failureSummary(logger)) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdOf(req);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // method and path only: query strings may carry search text, headers carry tokens
    serializers: {
      req: (req: IncomingMessage & { id?: unknown; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        path: (req.url ?? '').split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    // pino-http's own error for a 5xx is a new Error with this module's stack: the reason the app recorded replaces it
    customErrorObject: (_req, res, _error, fields: Record<string, unknown>) => {
      const failure = (res as { locals?: { failure?: RequestFailure } }).locals?.failure;
      summary.count(failure ? `${failure.code}:${failure.cause.code ?? failure.cause.type ?? 'unknown'}` : `status_${res.statusCode}`);
      return { ...fields, err: failure ?? { message: `failed with status ${res.statusCode}` } };
    },
    autoLogging: { ignore: (req) => req.url === '/livez' || req.url === '/readyz' || req.url === '/metrics' },
  });
}

export type FailureSummary = { count(kind: string): void; close(): void };

/** Counts failures by kind and logs one line per interval with the counts, when there were any. */
export function failureSummary(logger: Logger): FailureSummary {
  let counts = new Map<string, number>();
  const timer = setInterval(() => {
    if (counts.size === 0) return;
    const failures = Object.fromEntries(counts);
    counts = new Map();
    logger.warn({ failures, interval_seconds: SUMMARY_INTERVAL_MS / 1000 }, 'failed requests by kind');
  }, SUMMARY_INTERVAL_MS);
  timer.unref();
  return {
    count: (kind: string) => void counts.set(kind, (counts.get(kind) ?? 0) + 1),
    close: () => clearInterval(timer),
  };
}
