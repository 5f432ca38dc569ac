import { ConnectionError, TimeoutError } from '../errors.js';
import { attemptSignal, sleep, throwIfAborted, unlessAborted } from './abort.js';
import { delayBeforeRetryMs, isRepeatable, isRetryableResponse, type RetryOptions } from './retry-policy.js';
import type { Session } from './session.js';

/** Options every SDK method takes as its last argument. */
export type RequestOptions = {
  /** Cancels the call, including any wait between retries; the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Milliseconds per attempt, from sending to the whole body received. */
  timeout?: number | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
  headers?: Record<string, string> | undefined;
};

export type Hooks = {
  /** Sees every attempt just before it is sent (retries included); may return a replacement Request. */
  onRequest?: ((request: Request) => Request | void | Promise<Request | void>) | undefined;
  /** Sees every response, error statuses included, before the SDK acts on it. */
  onResponse?: ((response: Response, request: Request) => void | Promise<void>) | undefined;
};

export type TransportConfig = Hooks & {
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  timeout: number;
  retry: RetryOptions;
  headers: Record<string, string>;
  session: Session;
};

/** What the calling SDK method knows about its operation. */
export type CallPolicy = { authenticated: boolean; options: RequestOptions | undefined };

// Statuses whose responses have no body by definition (new Response() refuses one).
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * Sends one operation's request: adds headers and the access token, applies the timeout to
 * each attempt, retries what is safe to retry, and refreshes the token once on 401.
 */
export function createTransport(config: TransportConfig) {
  const send = (request: Request) => (config.fetch ?? globalThis.fetch)(request);

  async function attempt(request: Request, options: RequestOptions): Promise<Response> {
    const timeout = options.timeout ?? config.timeout;
    const guard = attemptSignal(options.signal, timeout);
    try {
      const response = await send(new Request(request, { signal: guard.signal }));
      // Read the whole body inside the attempt, so the timeout also covers a stalled body.
      const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (guard.timedOut()) throw new TimeoutError(`${request.method} ${request.url}: no response within ${timeout} ms`, { cause: error });
      throw new ConnectionError(`${request.method} ${request.url}: ${describe(error)}`, { cause: error });
    } finally {
      guard.dispose();
    }
  }

  return async function transport(original: Request, policy: CallPolicy): Promise<Response> {
    const options = policy.options ?? {};
    // Judged on `original`, as the operation built it: an Idempotency-Key a caller adds through
    // options.headers, to an operation the API does not deduplicate, must not make it retried.
    const maxRetries = isRepeatable(original) ? (options.maxRetries ?? config.retry.maxRetries) : 0;
    let retries = 0;
    let renewedToken = false;
    for (;;) {
      // nothing is sent, refreshed or retried for a caller who has cancelled
      throwIfAborted(options.signal);
      let request = original.clone();
      for (const [name, value] of Object.entries({ ...config.headers, ...options.headers })) request.headers.set(name, value);
      const token = policy.authenticated ? await unlessAborted(config.session.accessToken(), options.signal) : undefined;
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      request = (await config.onRequest?.(request)) ?? request;

      let response: Response;
      try {
        response = await attempt(request, options);
      } catch (error) {
        if (!(error instanceof ConnectionError) || retries >= maxRetries) throw error;
        await sleep(delayBeforeRetryMs(retries++, null, config.retry) ?? 0, options.signal);
        continue;
      }
      await config.onResponse?.(response, request);

      // The server authenticates before reading the body, so a 401 means nothing was done: safe to resend.
      if (response.status === 401 && policy.authenticated && !renewedToken) {
        renewedToken = true;
        if (await unlessAborted(config.session.recover(token), options.signal)) continue;
      }
      if (isRetryableResponse(request, response) && retries < maxRetries) {
        const delay = delayBeforeRetryMs(retries, response.headers.get('retry-after'), config.retry);
        if (delay !== undefined) {
          retries++;
          await sleep(delay, options.signal);
          continue;
        }
      }
      // an answer that arrives after the caller cancelled must not land (a component already gone)
      throwIfAborted(options.signal);
      return response;
    }
  };
}

export type Transport = ReturnType<typeof createTransport>;

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
}
