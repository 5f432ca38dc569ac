import type { Request, RequestHandler } from 'express';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config.js';
import type { RateLimitStore } from '../data/rate-limit-store.js';
import type { ContractOperation } from './contract.js';
import { rateLimited, rateLimitHeaders, type PolicyState } from './rate-limit-fields.js';

// Request quotas named by the contract's `x-rate-limit` on each operation. Public reads name none:
// they cost nothing here (the CDN and caches absorb their volume).

type RequestPolicy = { quota: number; windowSeconds: number; keyOf: (req: Request) => string | undefined };

export function requestPolicies(limits: RateLimitConfig): Record<string, RequestPolicy> {
  return {
    /** Sign-in, refresh and sign-out per client address (X-Forwarded-For only from TRUST_PROXY). */
    'auth-ip': { quota: limits.authRequestsPerMinute, windowSeconds: 60, keyOf: (req) => req.ip },
    /** Everything an editor does with a token, per editor. */
    editor: { quota: limits.editorRequestsPerMinute, windowSeconds: 60, keyOf: (req) => req.user?.id },
    /** Review posting attempts per editor. */
    'review-posts': { quota: limits.reviewsPerHour, windowSeconds: 3600, keyOf: (req) => req.user?.id },
  };
}

export function createRequestLimits(limits: RateLimitConfig, store: RateLimitStore) {
  const policies = requestPolicies(limits);
  const limiters = new Map<string, RateLimiterAbstract>(
    Object.entries(policies).map(([name, p]) => [name, store.limiter({ name, points: p.quota, durationSeconds: p.windowSeconds })]),
  );

  /** The middleware enforcing an operation's policies, or undefined when it names none. */
  return function forOperation(op: Pick<ContractOperation, 'operationId' | 'rateLimits'>): RequestHandler | undefined {
    if (op.rateLimits.length === 0) return undefined;
    const named = op.rateLimits.map((name) => {
      const policy = policies[name];
      const limiter = limiters.get(name);
      if (!policy || !limiter) throw new Error(`Operation ${op.operationId} names an unknown rate-limit policy '${name}'`);
      return { name, policy, limiter };
    });

    return async (req, res, next) => {
      const states: PolicyState[] = [];
      let retryAfter = 0;
      for (const { name, policy, limiter } of named) {
        const key = policy.keyOf(req);
        if (key === undefined) continue;
        const outcome = await limiter.consume(key).catch((rejection: unknown) => rejection);
        if (!(outcome instanceof RateLimiterRes)) return next(outcome);
        const resetSeconds = outcome.msBeforeNext / 1000;
        states.push({ policy: name, quota: policy.quota, windowSeconds: policy.windowSeconds, remaining: outcome.remainingPoints, resetSeconds });
        if (outcome.consumedPoints > policy.quota) retryAfter = Math.max(retryAfter, resetSeconds);
      }
      if (retryAfter > 0) return next(rateLimited(states, retryAfter, 'Too many requests.'));
      res.set(rateLimitHeaders(states));
      next();
    };
  };
}
