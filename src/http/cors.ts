import cors from 'cors';
import type { Express, RequestHandler } from 'express';
import type { ContractOperation } from './contract.js';

// Browsers may read public reads from any site; everything an editor does (sign-in included)
// only from the portal's own origins (CORS_ORIGINS). Policies are per operation, from the contract.

export const EXPOSED_HEADERS = ['ETag', 'Location', 'X-Request-Id', 'Retry-After', 'RateLimit', 'RateLimit-Policy', 'Age', 'Cache-Status'];
const MAX_AGE_SECONDS = 600;

export const isPublicRead = (op: ContractOperation) => op.method === 'get' && !op.requiresAuth;

export function corsPolicies(allowedOrigins: readonly string[]) {
  const open = cors({ origin: '*', methods: ['GET'], exposedHeaders: EXPOSED_HEADERS, maxAge: MAX_AGE_SECONDS });
  const restricted = cors({
    origin: allowedOrigins.length > 0 ? [...allowedOrigins] : false,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    // Idempotency-Key: the SDK sends one with every review post, so that retrying it cannot publish twice
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Request-Id', 'Idempotency-Key'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: MAX_AGE_SECONDS,
  });
  return { forOperation: (op: ContractOperation): RequestHandler => (isPublicRead(op) ? open : restricted) };
}

/**
 * Registers each operation's policy on its route, before authentication so that even a 401 is
 * readable by an allowed page, and answers preflights (OPTIONS is not in the contract) by the
 * policy of the method the browser asks about.
 */
export function registerCors(app: Express, operations: readonly ContractOperation[], allowedOrigins: readonly string[]): void {
  const policies = corsPolicies(allowedOrigins);
  const byPath = new Map<string, ContractOperation[]>();
  for (const op of operations) {
    app[op.method](`/v1${op.expressPath}`, policies.forOperation(op));
    byPath.set(op.expressPath, [...(byPath.get(op.expressPath) ?? []), op]);
  }
  for (const [path, ops] of byPath) {
    app.options(`/v1${path}`, (req, res, next) => {
      const asked = String(req.headers['access-control-request-method'] ?? '').toLowerCase();
      const op = ops.find((o) => o.method === asked);
      if (!op) {
        res.status(204).end(); // no grant: the browser refuses the request
        return;
      }
      policies.forOperation(op)(req, res, next);
    });
  }
}
