import { afterEach, describe, expect, test } from '@jest/globals';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  createClient,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  PreconditionFailedError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UnprocessableEntityError,
  type ClientOptions,
} from '../../sdk/src/index.js';
import { emptyPage, startScriptedServer, type ScriptedReply, type ScriptedServer } from './support/scripted-server.js';

// Retries against a local server that fails on purpose; real timers, small delays.

const REVIEW_ID = '5b7c1f3e-2a4d-4c8e-9f10-3d2b1a0c9e88';
const newReview = { product_id: REVIEW_ID, title: 'Fujifilm X-T5', summary: 'Dials.', body: 'Good.', verdict_score: 8.5 };
const SCHEDULING_SLACK_MS = 150; // two busy cores: timers and sockets run late, never early
let server: ScriptedServer;
afterEach(() => server.close());

async function clientFor(script: ScriptedReply[], options: Partial<ClientOptions> = {}) {
  server = await startScriptedServer(script);
  return createClient({ baseUrl: server.baseUrl, accessToken: 'token', retry: { baseDelayMs: 200, maxDelayMs: 1_000 }, ...options });
}

describe('retrying idempotent requests', () => {
  test('when a GET meets 503 twice, then the third attempt succeeds and each wait stays under its full-jitter ceiling', async () => {
    const client = await clientFor([{ status: 503 }, { status: 503 }, { status: 200, body: emptyPage }]);

    const page = await client.content.list();

    expect(page).toEqual(emptyPage);
    expect(server.received).toHaveLength(3);
    const [first, second] = server.gaps() as [number, number];
    expect(first).toBeLessThanOrEqual(200 + SCHEDULING_SLACK_MS); // retry 0: [0, 200)
    expect(second).toBeLessThanOrEqual(400 + SCHEDULING_SLACK_MS); // retry 1: [0, 400)
  });

  test('when every attempt fails with 500, then it gives up after maxRetries with the last InternalServerError', async () => {
    const client = await clientFor([{ status: 500 }], { maxRetries: 3, retry: { baseDelayMs: 10 } });

    const error = await client.content.get('a-slug').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, code: 'status_500', requestId: 'req-3' });
    expect(server.received).toHaveLength(4);
  });

  test('when a 429 says Retry-After: 1, then the retry waits that second rather than the (tiny) backoff', async () => {
    const client = await clientFor(
      [
        { status: 429, headers: { 'retry-after': '1' } },
        { status: 200, body: emptyPage },
      ],
      {
        retry: { baseDelayMs: 1, maxDelayMs: 1 },
      },
    );

    await client.products.list();

    expect(server.received).toHaveLength(2);
    expect(server.gaps()[0]).toBeGreaterThanOrEqual(990);
    expect(server.gaps()[0]).toBeLessThan(1_000 + SCHEDULING_SLACK_MS);
  });

  test('when Retry-After is an HTTP date, then the retry waits until then', async () => {
    const inOneSecond = () => new Date(Date.now() + 1_500).toUTCString(); // HTTP dates have whole seconds
    server = await startScriptedServer((_r, i) => (i === 0 ? { status: 503, headers: { 'retry-after': inOneSecond() } } : { status: 200, body: emptyPage }));
    const client = createClient({ baseUrl: server.baseUrl, retry: { baseDelayMs: 1, maxDelayMs: 1 } });

    await client.content.list();

    expect(server.gaps()[0]).toBeGreaterThanOrEqual(400);
  });

  test('when Retry-After is longer than maxRetryAfterMs, then RateLimitError is thrown at once', async () => {
    const client = await clientFor([{ status: 429, headers: { 'retry-after': '120' } }]);

    await expect(client.content.list()).rejects.toBeInstanceOf(RateLimitError);
    expect(server.received).toHaveLength(1);
  });

  test('when a DELETE meets 502, then it is retried (DELETE is idempotent)', async () => {
    const client = await clientFor([{ status: 502 }, { status: 204 }], { retry: { baseDelayMs: 10 } });

    await client.reviews.delete(REVIEW_ID, { ifMatch: '"v1"' });

    expect(server.received.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
  });

  test('when a review post meets 503, then it is retried with the same Idempotency-Key', async () => {
    const client = await clientFor([{ status: 503 }, { status: 201, body: { id: REVIEW_ID } }], { retry: { baseDelayMs: 10 } });

    const created = await client.reviews.create(newReview);

    expect(created).toMatchObject({ id: REVIEW_ID });
    const keys = server.received.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  test('when a review post is told its key is still in progress, then it is sent again after Retry-After with the same key', async () => {
    const inProgress: ScriptedReply = { status: 409, headers: { 'retry-after': '1' }, body: { code: 'idempotency_key_in_progress' } };
    const client = await clientFor([inProgress, { status: 201, body: { id: REVIEW_ID } }], { retry: { baseDelayMs: 1, maxDelayMs: 1 } });

    const created = await client.reviews.create(newReview, { idempotencyKey: 'x-t5-review' });

    expect(created).toMatchObject({ id: REVIEW_ID });
    expect(server.received.map((r) => r.headers['idempotency-key'])).toEqual(['x-t5-review', 'x-t5-review']);
    expect(server.gaps()[0]).toBeGreaterThanOrEqual(1_000 - 5);
  });

  test("when a review post loses its connection, then it is resent with the caller's Idempotency-Key", async () => {
    const client = await clientFor([{ destroy: true }, { status: 201, body: { id: REVIEW_ID } }], { retry: { baseDelayMs: 10 } });

    await client.reviews.create(newReview, { idempotencyKey: 'first-draft-of-the-x-t5' });

    expect(server.received.map((r) => [r.method, r.headers['idempotency-key']])).toEqual([
      ['POST', 'first-draft-of-the-x-t5'],
      ['POST', 'first-draft-of-the-x-t5'],
    ]);
  });

  test('when the connection drops, then the GET is retried and ConnectionError comes only after the last retry', async () => {
    const client = await clientFor([{ destroy: true }], { maxRetries: 2, retry: { baseDelayMs: 10 } });

    const error = await client.content.list().then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(server.received).toHaveLength(3);
  });
});

describe('not retrying', () => {
  test.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [412, PreconditionFailedError],
    [422, UnprocessableEntityError],
  ])('when a GET is answered %i, then it is thrown at once as %p', async (status, ErrorClass) => {
    const client = await clientFor([{ status }], { retry: { baseDelayMs: 10 } });

    const error = await client.reviews.get(REVIEW_ID).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, code: `status_${status}`, detail: `Scripted ${status}.`, requestId: 'req-0' });
    expect(server.received).toHaveLength(1);
  });

  test('when a GET meets a 409 with Retry-After, then it is thrown at once: only a keyed request waits out a 409', async () => {
    const client = await clientFor([{ status: 409, headers: { 'retry-after': '1' } }], { retry: { baseDelayMs: 10 } });

    await expect(client.reviews.get(REVIEW_ID)).rejects.toBeInstanceOf(ConflictError);
    expect(server.received).toHaveLength(1);
  });

  test('when a POST without an Idempotency-Key meets 503, then it is not retried', async () => {
    const client = await clientFor([{ status: 503 }], { retry: { baseDelayMs: 10 } });

    await expect(client.products.create({ type: 'camera', brand: 'Fujifilm', model: 'X-T5' })).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(server.received).toHaveLength(1);
  });

  test('when a caller adds an Idempotency-Key to a POST the API does not deduplicate, then it is still not retried', async () => {
    const client = await clientFor([{ status: 503 }], { retry: { baseDelayMs: 10 } });

    const created = client.products.create({ type: 'camera', brand: 'Fujifilm', model: 'X-T5' }, { headers: { 'Idempotency-Key': 'mine' } });

    await expect(created).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(server.received).toHaveLength(1);
  });

  test('when a PATCH meets 500, then it is not retried', async () => {
    const client = await clientFor([{ status: 500 }], { retry: { baseDelayMs: 10 } });

    await expect(client.reviews.update(REVIEW_ID, { title: 'New title' }, { ifMatch: '"v1"' })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.received).toHaveLength(1);
  });

  test('when maxRetries is 0 for one call, then that call is not retried', async () => {
    const client = await clientFor([{ status: 503 }], { retry: { baseDelayMs: 10 } });

    await expect(client.content.list({}, { maxRetries: 0 })).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(server.received).toHaveLength(1);
  });
});

describe('timeouts and cancellation', () => {
  test('when no response comes within the timeout, then TimeoutError is thrown', async () => {
    const client = await clientFor([{ hangMs: 2_000 }], { timeout: 100, maxRetries: 0 });

    const started = performance.now();
    await expect(client.content.list()).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(100 + 500);
  });

  test('when the caller aborts during the wait between retries, then the call rejects with their reason and sends nothing more', async () => {
    const client = await clientFor([{ status: 503, headers: { 'retry-after': '5' } }]);
    const controller = new AbortController();

    const call = client.content.list({}, { signal: controller.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    setTimeout(() => controller.abort(new Error('user left the page')), 200);

    expect(await call).toEqual(new Error('user left the page'));
    expect(server.received).toHaveLength(1);
  });

  test('when the caller aborts a request in flight, then it rejects with an AbortError and is not retried', async () => {
    const client = await clientFor([{ hangMs: 2_000 }]);
    const controller = new AbortController();

    const call = client.content.get('a-slug', { signal: controller.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    setTimeout(() => controller.abort(), 100);

    expect(await call).toMatchObject({ name: 'AbortError' });
    expect(server.received).toHaveLength(1);
  });
});
