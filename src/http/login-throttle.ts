import type { RateLimitConfig } from '../config.js';
import type { RateLimitStore } from '../data/rate-limit-store.js';
import { AppError } from '../errors.js';
import { rateLimited, rateLimitHeaders, type PolicyState } from './rate-limit-fields.js';

// Brute-force protection for sign-in, and for the current password a password change asks for.
// Failed attempts are counted per account and client IP, per account from any IP (an attacker
// rotating addresses), and per IP (password spraying). Past a scope's free failures, each further
// failure doubles its back-off (1 s, 2 s, 4 s…) up to a cap.
// The account-wide back-off is capped short and skipped for IPs the account signed in from
// before, so an attacker who hammers an account cannot keep its editor out.

const WINDOW_SECONDS = 3600;
// under 24.8 days: the in-memory store expires keys with setTimeout, which cannot wait longer
const KNOWN_IP_SECONDS = 14 * 24 * 3600;

type Scope = { policy: string; freeFailures: number; maxBackoffSeconds: number; keyOf: (account: string, ip: string) => string };

export function createLoginThrottle(limits: RateLimitConfig, store: RateLimitStore) {
  const scope = (policy: string, freeFailures: number, maxBackoffSeconds: number, keyOf: Scope['keyOf']) => ({
    policy,
    freeFailures,
    maxBackoffSeconds,
    keyOf,
    failures: store.limiter({ name: `${policy}:failures`, points: freeFailures, durationSeconds: WINDOW_SECONDS }),
    blocks: store.limiter({ name: `${policy}:blocked`, points: 1, durationSeconds: 1 }),
  });
  const accountIp = scope('login-account-ip', limits.loginFreeFailures, limits.loginBackoffMaxSeconds, (a, ip) => `${a}|${ip}`);
  const account = scope('login-account', 2 * limits.loginFreeFailures, limits.loginAccountBackoffMaxSeconds, (a) => a);
  const clientIp = scope('login-ip', 4 * limits.loginFreeFailures, limits.loginBackoffMaxSeconds, (_a, ip) => ip);
  const scopes = [accountIp, account, clientIp];
  const knownIps = store.limiter({ name: 'login-known-ip', points: 1, durationSeconds: KNOWN_IP_SECONDS });

  const state = (s: Scope, failed: number, resetSeconds: number): PolicyState => ({
    policy: s.policy,
    quota: s.freeFailures,
    windowSeconds: WINDOW_SECONDS,
    remaining: Math.max(0, s.freeFailures - failed),
    resetSeconds,
  });

  /** The scopes whose back-off is running, with the seconds left. */
  async function runningBackoffs(email: string, ip: string) {
    const known = ((await knownIps.get(accountIp.keyOf(email, ip)))?.consumedPoints ?? 0) > 0;
    const checked = await Promise.all(
      scopes
        .filter((s) => !(known && s === account))
        .map(async (s) => {
          const blocked = await s.blocks.get(s.keyOf(email, ip));
          return { scope: s, seconds: blocked && blocked.consumedPoints > 1 ? blocked.msBeforeNext / 1000 : 0 };
        }),
    );
    return checked.filter((b) => b.seconds > 0);
  }

  function recordFailure(email: string, ip: string): Promise<PolicyState[]> {
    return Promise.all(
      scopes.map(async (s) => {
        const key = s.keyOf(email, ip);
        const counted = await s.failures.penalty(key);
        const beyondFree = counted.consumedPoints - s.freeFailures;
        if (beyondFree > 0) await s.blocks.block(key, Math.min(s.maxBackoffSeconds, 2 ** Math.min(beyondFree - 1, 30)));
        return state(s, counted.consumedPoints, counted.msBeforeNext / 1000);
      }),
    );
  }

  async function recordSuccess(email: string, ip: string): Promise<void> {
    const key = accountIp.keyOf(email, ip);
    await Promise.all([accountIp.failures.delete(key), accountIp.blocks.delete(key), knownIps.set(key, 1, KNOWN_IP_SECONDS)]);
  }

  /**
   * Runs a password check unless a back-off is running (429 `rate_limited` with Retry-After then).
   * A failure (an AppError with failureCode) is counted and carries the RateLimit fields of what is left.
   */
  async function guarded<T>(account: string, ip: string, run: () => Promise<T>, failureCode: string, detail: string): Promise<T> {
    const running = await runningBackoffs(account, ip);
    if (running.length > 0) {
      const seconds = Math.max(...running.map((b) => b.seconds));
      throw rateLimited(
        running.map((b) => state(b.scope, Infinity, b.seconds)),
        seconds,
        detail,
      );
    }
    try {
      const result = await run();
      await recordSuccess(account, ip);
      return result;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== failureCode) throw error;
      const states = await recordFailure(account, ip);
      throw new AppError(error.code, error.status, error.message, { errors: error.errors, headers: { ...error.headers, ...rateLimitHeaders(states) } });
    }
  }

  return {
    /** A sign-in (`invalid_credentials` counts), per account by email. */
    attempt<T>(rawEmail: string, ip: string, signIn: () => Promise<T>): Promise<T> {
      return guarded(rawEmail.trim().toLowerCase(), ip, signIn, 'invalid_credentials', 'Too many failed sign-ins.');
    },

    /**
     * A password change, whose current password a stolen access token could otherwise guess at the
     * per-editor request rate (`wrong_password` counts), per account by id, with sign-in's back-off.
     */
    passwordChange<T>(editorId: string, ip: string, change: () => Promise<T>): Promise<T> {
      return guarded(`editor:${editorId}`, ip, change, 'wrong_password', 'Too many wrong current passwords.');
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
