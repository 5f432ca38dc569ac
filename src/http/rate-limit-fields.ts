import { AppError } from '../errors.js';

// RateLimit-Policy and RateLimit (draft-ietf-httpapi-ratelimit-headers-10): structured-field lists,
// one item per policy, e.g. `RateLimit-Policy: "editor";q=300;w=60` and `RateLimit: "editor";r=299;t=60`.

export type PolicyState = Readonly<{ policy: string; quota: number; windowSeconds: number; remaining: number; resetSeconds: number }>;

const item = (name: string, params: Record<string, number>) =>
  [`"${name}"`, ...Object.entries(params).map(([key, value]) => `${key}=${Math.max(0, Math.ceil(value))}`)].join(';');

export function rateLimitHeaders(states: readonly PolicyState[]): Record<string, string> {
  if (states.length === 0) return {};
  return {
    'RateLimit-Policy': states.map((s) => item(s.policy, { q: s.quota, w: s.windowSeconds })).join(', '),
    RateLimit: states.map((s) => item(s.policy, { r: s.remaining, t: s.resetSeconds })).join(', '),
  };
}

/** 429 with Retry-After no earlier than the end of the exhausted policies' windows (the draft's §6). */
export function rateLimited(states: readonly PolicyState[], retryAfterSeconds: number, detail: string): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError('rate_limited', 429, `${detail} Try again in ${seconds} seconds.`, {
    headers: { ...rateLimitHeaders(states), 'Retry-After': String(seconds) },
  });
}
