import express, { type Express } from 'express';
import helmet from 'helmet';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from 'pino';
import type { ResponseCache } from './http/public-reads/response-cache.js';
import type { Config } from './config.js';
import type { Database } from './data/database.js';
import { createRateLimitStore, type RateLimitStore } from './data/rate-limit-store.js';
import { AppError } from './errors.js';
import { createAuthService } from './domain/auth-service.js';
import { unobservedChanges, type ContentChanges } from './domain/content-changes.js';
import { createContentService } from './domain/content-service.js';
import { createEditorService } from './domain/editor-service.js';
import { createProductService } from './domain/product-service.js';
import { createReviewService } from './domain/review-service.js';
import { createHandlers } from './handlers/index.js';
import { isPublicReadId, publicReads, type PublicReadId, type PublicReads } from './handlers/public-reads.js';
import type { Services } from './handlers/services.js';
import type { ApiOperationId } from './handlers/types.js';
import { createAuthenticator } from './http/auth.js';
import { noStore } from './http/caching.js';
import { registerCors } from './http/cors.js';
import { apiOperations, loadContract } from './http/contract.js';
import { laneGate, laneOf, type Lanes } from './http/lanes.js';
import { createLoginThrottle } from './http/login-throttle.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { opsRouter } from './http/ops.js';
import { publicResponder } from './http/public-reads/responder.js';
import { answerUnanswerableRead } from './http/public-reads/lane.js';
import { headAgain, headAsGetForValidation } from './http/head.js';
import { errorHandler } from './http/problem.js';
import { createRequestLimits } from './http/rate-limits.js';
import { requestLogging, type FailureSummary } from './http/request-logging.js';
import { requireIfMatch } from './http/preconditions.js';
import { createContractValidators } from './http/public-reads/contract-validators.js';
import { responseCheck } from './http/response-check.js';
import { rejectUnstorableInput } from './http/storable-input.js';

export type AppDeps = {
  config: Config;
  db: Database;
  services: Services;
  logger: Logger;
  jwtSecret: string;
  cache: ResponseCache;
  /** Where rate-limit counters live; default: built from config (connect Redis first with ready() to share them at once). */
  rateLimitStore?: RateLimitStore;
  /** The request histogram and registry; default: the app's own. The runtime shares them with the public read lane. */
  metrics?: Metrics;
  /** Each kind of request's share of the pool; default: none (tests of other things). */
  lanes?: Lanes;
  /** The public read operations; default: built from services. */
  reads?: PublicReads;
  /** Where failed requests are counted, one line per kind every 10 s; default: the app's own. The runtime shares it with shedding. */
  failures?: FailureSummary;
  /** Hears the headers the stack sets on each public read (the lane replays them). */
  onPublicHeaders?: (operationId: PublicReadId, headers: Readonly<Record<string, string>>) => void;
};

export function createServices(db: Database, config: Config, jwtSecret: string, changes: ContentChanges = unobservedChanges): Services {
  return {
    auth: createAuthService(db.knex, {
      ...accessTokenSettings(config, jwtSecret),
      refreshTtlSeconds: config.jwt.refreshTtlSeconds,
      passwordHashCost: config.passwordHashCost,
    }),
    editors: createEditorService(db.knex, changes, config.passwordHashCost),
    // writes and editors' own reads on the primary; public reads through the read pool (replicas when configured)
    reviews: createReviewService(db.knex, changes),
    content: createContentService(db.reads),
    products: createProductService(db.knex, db.reads, changes),
  };
}

const accessTokenSettings = (config: Config, jwtSecret: string) => ({
  secret: jwtSecret,
  previousSecrets: config.jwt.previousSecrets,
  issuer: config.jwt.issuer,
  audience: config.jwt.audience,
  ttlSeconds: config.jwt.accessTtlSeconds,
});

function defaultRateLimitStore(config: Config): RateLimitStore {
  const store = createRateLimitStore(config.rateLimits);
  void store.ready();
  return store;
}

/** Builds the app; never listens (src/server.ts does). Middleware order is the request's path. */
export function createApp({ config, db, services, logger, jwtSecret, cache, rateLimitStore, ...shared }: AppDeps): Express {
  const doc = loadContract();
  const requireEditor = createAuthenticator(
    accessTokenSettings(config, jwtSecret),
    services.auth,
    config.jwt.jwks && { ...config.jwt.jwks, audience: config.jwt.audience },
  );
  const limitStore = rateLimitStore ?? defaultRateLimitStore(config);
  const requestLimits = createRequestLimits(config.rateLimits, limitStore);
  const loginThrottle = createLoginThrottle(config.rateLimits, limitStore);
  const handlers = createHandlers({
    services,
    reads: shared.reads ?? publicReads(services),
    respond: publicResponder(cache, { maxAgeSeconds: config.publicMaxAgeSeconds }, config.validateResponses, shared.onPublicHeaders),
    loginThrottle,
  });
  const metrics = shared.metrics ?? createMetrics(cache);
  const operations = apiOperations(doc);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // ETags are set on purpose where they mean something (public reads: the bytes; reviews: the version)
  app.set('etag', false);
  // ...and so are 304s: the public reads answer If-None-Match themselves (public-response.ts). Express's
  // implicit check in res.send would answer 304 on any other GET (even for `If-None-Match: *`), a
  // status those operations do not document.
  Object.defineProperty(app.request, 'fresh', { get: () => false });
  app.use(requestLogging(logger, shared.failures));
  app.use(metrics.measure);
  app.use(
    helmet({
      // an API read by the portal's own origin(s): cross-origin reads are expected
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      // HSTS already moves clients to https in production; upgrading /docs' assets would break it on plain-http hosts
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  app.use(opsRouter({ doc, ping: () => db.ping(), replicas: () => db.reads.status().replicas, circuits: () => db.circuits(), registry: metrics.registry }));

  // Nothing under /v1 is cacheable unless a handler says so (the public reads do).
  app.use('/v1', noStore);
  registerCors(app, operations, config.corsOrigins);

  // Bulkheads first: authentication reads the database too, and a request shed costs nothing after it.
  for (const op of operations) {
    if (isPublicReadId(op.operationId)) app[op.method](`/v1${op.expressPath}`, answerUnanswerableRead);
    const lane = shared.lanes && laneOf(op.operationId, op.requiresAuth);
    if (lane) app[op.method](`/v1${op.expressPath}`, laneGate((shared.lanes as Lanes)[lane]));
  }

  // Authentication before parsing and validation: an anonymous or unauthorised write is 401/403,
  // whatever its body, and its body is never even parsed.
  for (const op of operations.filter((o) => o.requiresAuth)) {
    app[op.method](`/v1${op.expressPath}`, requireEditor(op));
  }
  // Quotas after authentication (per-editor ones need the editor), before the body is parsed.
  for (const op of operations) {
    const limit = requestLimits(op);
    if (limit) app[op.method](`/v1${op.expressPath}`, limit);
  }
  // Edits without If-Match: 428 after the quota (it counts), before the body is parsed.
  for (const op of operations) {
    const precondition = requireIfMatch(op);
    if (precondition) app[op.method](`/v1${op.expressPath}`, precondition);
  }

  app.use('/v1', express.json({ limit: config.bodyLimitBytes, type: ['application/json', 'application/merge-patch+json'] }));

  app.use(headAsGetForValidation);
  app.use(
    OpenApiValidator.middleware({
      apiSpec: doc as never,
      validateRequests: { allErrors: true, allowUnknownQueryParameters: false },
      // responses: checked per operation below (response-check.ts), with the lane's compiled validators
      validateResponses: false,
      validateSecurity: false,
      validateFormats: true,
      ignorePaths: /^\/(livez|readyz|metrics|openapi\.json|docs)(\/|$)/,
    }),
  );
  app.use(headAgain);
  app.use('/v1', rejectUnstorableInput);

  const validators = config.validateResponses ? createContractValidators(doc) : undefined;
  for (const op of operations) {
    const handler = handlers[op.operationId as ApiOperationId];
    if (!handler) throw new Error(`No handler for operation ${op.operationId}`);
    if (validators) app[op.method](`/v1${op.expressPath}`, responseCheck(op, validators));
    app[op.method](`/v1${op.expressPath}`, handler as express.RequestHandler);
  }

  app.use((req, _res, next) => next(new AppError('not_found', 404, `No resource at ${req.path}.`)));
  app.use(errorHandler);
  return app;
}
