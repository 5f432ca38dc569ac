import { createHttp } from './internal/http.js';
import { DEFAULT_RETRY, type RetryOptions } from './internal/retry-policy.js';
import { Session, type SessionOptions } from './internal/session.js';
import { createTransport, type Hooks } from './internal/transport.js';
import { authCalls, authResource } from './resources/auth.js';
import { contentResource } from './resources/content.js';
import { editorsResource } from './resources/editors.js';
import { productsResource } from './resources/products.js';
import { reviewsResource } from './resources/reviews.js';

export type ClientOptions = SessionOptions &
  Hooks & {
    /** The API root, version included: `https://api.randomcamerareviews.example/v1`, or the mock's `http://127.0.0.1:4010/v1`. */
    baseUrl: string;
    /** Defaults to the global fetch (browsers, Node >= 20). */
    fetch?: ((request: Request) => Promise<Response>) | undefined;
    /** Milliseconds per attempt (default 30 000). */
    timeout?: number | undefined;
    /** Retries of idempotent requests and review posts (Idempotency-Key) on connection errors, timeouts, 408, 429 and 5xx (default 2). */
    maxRetries?: number | undefined;
    /** Backoff tuning: full jitter between 0 and min(maxDelayMs, baseDelayMs · 2^retry). */
    retry?: Partial<Omit<RetryOptions, 'maxRetries'>> | undefined;
    /** Sent with every request. */
    headers?: Record<string, string> | undefined;
  };

const DEFAULT_TIMEOUT_MS = 30_000;

export function createClient(options: ClientOptions) {
  const session = new Session(options);
  const transport = createTransport({
    fetch: options.fetch,
    timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, ...options.retry, maxRetries: options.maxRetries ?? DEFAULT_RETRY.maxRetries },
    headers: options.headers ?? {},
    session,
    onRequest: options.onRequest,
    onResponse: options.onResponse,
  });
  const http = createHttp(options.baseUrl, transport);
  session.connect(authCalls(http));
  return {
    content: contentResource(http),
    products: productsResource(http),
    auth: authResource(http, session, options.credentials),
    reviews: reviewsResource(http),
    editors: editorsResource(http),
  };
}

export type RandomCameraReviewsClient = ReturnType<typeof createClient>;
