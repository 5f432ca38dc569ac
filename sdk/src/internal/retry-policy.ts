// When to retry and how long to wait: pure functions, so the bounds are testable exactly.

export type RetryOptions = {
  /** Retries after the first attempt (0 disables retrying). */
  maxRetries: number;
  /** Ceiling of the first backoff; it doubles on every retry. */
  baseDelayMs: number;
  /** Ceiling no backoff exceeds. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown at once. */
  maxRetryAfterMs: number;
};

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

// Methods whose repetition cannot change the outcome. POST is not among them; PATCH is not, since
// a merge patch can depend on what it replaces.
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

const isIdempotent = (method: string): boolean => IDEMPOTENT_METHODS.has(method.toUpperCase());

/**
 * Safe to send again: an idempotent method, or a request carrying an `Idempotency-Key`, which the
 * API answers once (a repeat gets the first answer, draft-ietf-httpapi-idempotency-key-header).
 * Pass the request as the operation built it: only operations the API deduplicates set the key.
 */
export const isRepeatable = (request: Pick<Request, 'method' | 'headers'>): boolean => isIdempotent(request.method) || request.headers.has('idempotency-key');

/** 408, 429 and 5xx may succeed later; any other status will not. */
export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/**
 * Worth sending again: a retryable status, or a 409 with `Retry-After` to a request carrying an
 * `Idempotency-Key`: the API's "the first attempt with this key is still running"
 * (`idempotency_key_in_progress`), typically a retry that overtook a slow first attempt. Sent again
 * after the wait, it gets the first attempt's answer. Any other 409 is a conflict to show the caller.
 */
export const isRetryableResponse = (request: Pick<Request, 'headers'>, response: Pick<Response, 'status' | 'headers'>): boolean =>
  isRetryableStatus(response.status) || (response.status === 409 && request.headers.has('idempotency-key') && response.headers.has('retry-after'));

/**
 * "Full jitter" backoff: a uniform random delay in [0, min(max, base · 2^retry)), so that many
 * clients failing together do not come back together.
 */
export function backoffDelayMs(retry: number, options: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or malformed. */
export function parseRetryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retry` (0-based) after this response, or undefined when
 * the server asks for a longer wait than we are willing to make the caller sit through.
 */
export function delayBeforeRetryMs(retry: number, retryAfter: string | null, options: RetryOptions): number | undefined {
  const asked = parseRetryAfterMs(retryAfter);
  if (asked === undefined) return backoffDelayMs(retry, options);
  return asked <= options.maxRetryAfterMs ? asked : undefined;
}
