import { describe, expect, test } from '@jest/globals';
import {
  backoffDelayMs,
  DEFAULT_RETRY,
  delayBeforeRetryMs,
  isRepeatable,
  isRetryableResponse,
  parseRetryAfterMs,
} from '../../sdk/src/internal/retry-policy.js';

const options = { ...DEFAULT_RETRY, baseDelayMs: 500, maxDelayMs: 8_000 };

describe('full-jitter backoff', () => {
  test.each([
    [0, 500],
    [1, 1_000],
    [3, 4_000],
    [4, 8_000],
    [10, 8_000],
  ])('when retry %i draws the extremes of random(), then the delay spans [0, %i)', (retry, ceiling) => {
    expect(backoffDelayMs(retry, options, () => 0)).toBe(0);
    expect(backoffDelayMs(retry, options, () => 0.999_999)).toBe(ceiling - 1);
  });

  test('when drawn many times, then delays spread over the whole range rather than clustering at the ceiling', () => {
    const delays = Array.from({ length: 2_000 }, () => backoffDelayMs(2, options));

    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(2_000);
    expect(delays.filter((d) => d < 1_000).length / delays.length).toBeGreaterThan(0.4); // uniform: about half below the middle
  });
});

describe('Retry-After', () => {
  test('when given in seconds, then it is read as milliseconds', () => {
    expect(parseRetryAfterMs('30')).toBe(30_000);
  });

  test('when given as an HTTP date, then it is the time left until then, never negative', () => {
    const now = Date.parse('Wed, 25 Nov 2026 12:00:00 GMT');
    expect(parseRetryAfterMs('Wed, 25 Nov 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfterMs('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  test('when absent or malformed, then backoff decides', () => {
    expect(parseRetryAfterMs(null)).toBeUndefined();
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(delayBeforeRetryMs(0, 'soon', options)).toBeLessThan(500);
  });

  test('when longer than maxRetryAfterMs, then there is no retry', () => {
    expect(delayBeforeRetryMs(0, '61', options)).toBeUndefined();
    expect(delayBeforeRetryMs(0, '60', options)).toBe(60_000);
  });
});

describe('what is safe to send again', () => {
  const request = (method: string, headers: Record<string, string> = {}) => new Request('http://api.example/v1/reviews', { method, headers });

  test.each(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])('when the method is %s, then the request is repeatable', (method) => {
    expect(isRepeatable(request(method))).toBe(true);
  });

  test.each(['POST', 'PATCH'])('when a %s carries no Idempotency-Key, then it is not repeatable', (method) => {
    expect(isRepeatable(request(method))).toBe(false);
  });

  test('when a POST carries an Idempotency-Key, then it is repeatable: the API answers a repeat with the first answer', () => {
    expect(isRepeatable(request('POST', { 'Idempotency-Key': '8e03978e-40d5-43e8-bc93-6894a57f9324' }))).toBe(true);
  });
});

describe('which answers are worth waiting out', () => {
  const keyed = new Request('http://api.example/v1/reviews', { method: 'POST', headers: { 'Idempotency-Key': 'k-1' } });
  const unkeyed = new Request('http://api.example/v1/reviews/x', { method: 'GET' });
  const answer = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });

  test.each([408, 429, 500, 503])('when the status is %i, then it is retryable, keyed or not', (status) => {
    expect(isRetryableResponse(keyed, answer(status))).toBe(true);
    expect(isRetryableResponse(unkeyed, answer(status))).toBe(true);
  });

  test('when a keyed request meets 409 with Retry-After, then it is retryable: its first attempt is still running', () => {
    expect(isRetryableResponse(keyed, answer(409, { 'Retry-After': '1' }))).toBe(true);
  });

  test('when a 409 has no Retry-After, or the request carries no key, then it is a conflict, not retried', () => {
    expect(isRetryableResponse(keyed, answer(409))).toBe(false);
    expect(isRetryableResponse(unkeyed, answer(409, { 'Retry-After': '1' }))).toBe(false);
    expect(isRetryableResponse(keyed, answer(422, { 'Retry-After': '1' }))).toBe(false);
  });
});
