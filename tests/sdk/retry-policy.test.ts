import { describe, expect, test } from '@jest/globals';
import { backoffDelayMs, DEFAULT_RETRY, delayBeforeRetryMs, parseRetryAfterMs } from '../../sdk/src/internal/retry-policy.js';

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
