import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import querystring from 'node:querystring';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ResponseCache } from './response-cache.js';
import { errorSummary } from '../../logger.js';
import { isPublicReadId, type PublicReadId, type PublicReads } from '../../handlers/public-reads.js';
import type { ContractOperation } from '../contract.js';
import type { ContractValidators, ParameterValidator } from './contract-validators.js';
import { sendEntry } from './fast-path.js';
import { firstUnstorable } from '../storable-input.js';
import { requestIdOf } from '../request-logging.js';
import { isDatabaseUnavailable } from '../../data/read-replica-errors.js';

// Public reads the cache does not hold, answered without Express. On this 2-core machine the full
// stack (Express's router over every route, the validator middleware, per-request child loggers,
// helmet, CORS) cost ~1 ms of CPU per uncached read against ~0.1 ms for the read itself, and a
// read's p99 at 16 connections is mostly that CPU queueing.
//
// The lane only takes what it can prove the full stack would answer 200 to: a GET with no body, on
// a public read's exact path, every parameter valid against the contract (contract-validators.ts).
// Anything else (a bad parameter, an unknown one, a repeated one, an escaped path, an error while
// reading) is handed to Express, so every error is still the one documented problem+json; a read
// the database could not answer goes with its error, so Express does not read it again (ADR 0041).
// Its answers carry the headers the full stack set on that operation's first answer (CORS, security,
// caching): until Express has answered an operation once, the lane leaves it to Express.

/** Reads the lane could not answer because the database could not (down, or a statement timed out). */
const unanswerable = new WeakMap<IncomingMessage, unknown>();

/**
 * On a public read's route in the full stack: a read the lane handed on because the database could
 * not answer it gets its problem without being read a second time (a search that timed out would
 * run again, holding a connection twice as long).
 */
export const answerUnanswerableRead: RequestHandler = (req, _res, next) => {
  next(unanswerable.get(req));
};

export type PublicReadLane = {
  handle(req: IncomingMessage, res: ServerResponse, fallback: RequestListener): void;
  learn: (id: PublicReadId, headers: Readonly<Record<string, string>>) => void;
  /** Reads answered here, and requests handed on to the full stack (not public reads, invalid, failed, or not learned yet). */
  counters(): { served: number; handed_on: number };
};

type Route = {
  id: PublicReadId;
  /** The route label metrics use for it, as Express names it. */
  label: string;
  pattern: RegExp;
  pathNames: string[];
  parameters: ParameterValidator;
  /** Only where responses are validated (tests), as the validator middleware would. */
  checkBody?: (body: unknown) => boolean;
};

export function createPublicReadLane(deps: {
  operations: readonly ContractOperation[];
  validators: ContractValidators;
  reads: PublicReads;
  cache: ResponseCache;
  logger: Logger;
  observe: (method: string, route: string, status: number, seconds: number) => void;
  validateResponses: boolean;
}): PublicReadLane {
  const { cache, reads, logger, observe } = deps;
  const templates = new Map<PublicReadId, Readonly<Record<string, string>>>();
  const counters = { served: 0, handed_on: 0 };
  // apiOperations lists literal segments first: /content/compare is tried before /content/{idOrSlug}
  const routes: Route[] = deps.operations
    .filter((op): op is ContractOperation & { operationId: PublicReadId } => op.method === 'get' && isPublicReadId(op.operationId))
    .map((op) => {
      const specPath = op.expressPath.replace(/:(\w+)/g, '{$1}');
      const pathNames = [...op.expressPath.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
      const route: Route = {
        id: op.operationId,
        label: `/v1${op.expressPath}`,
        pattern: new RegExp(`^/v1${op.expressPath.replace(/:\w+/g, '([^/]+)')}$`),
        pathNames,
        parameters: deps.validators.parameters(specPath, 'get'),
      };
      if (deps.validateResponses) {
        const validate = deps.validators.response(specPath, 'get', 200);
        route.checkBody = (body) => validate(body);
      }
      return route;
    });

  function accept(req: IncomingMessage): { route: Route; input: { query: Record<string, unknown>; path: Record<string, string> } } | undefined {
    const url = req.url ?? '';
    if (req.method !== 'GET' || !url.startsWith('/v1/') || carriesBody(req)) return undefined;
    const mark = url.indexOf('?');
    const pathname = mark === -1 ? url : url.slice(0, mark);
    // escaped paths are Express's to decode (and to reject when malformed)
    if (pathname.includes('%')) return undefined;
    for (const route of routes) {
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      if (!templates.has(route.id)) return undefined;
      const path: Record<string, string> = {};
      route.pathNames.forEach((name, i) => (path[name] = match[i + 1] as string));
      // Express's own query parser ('simple' is node:querystring)
      const query: Record<string, unknown> = { ...querystring.parse(mark === -1 ? '' : url.slice(mark + 1)) };
      for (const [name, value] of Object.entries(query)) {
        if (typeof value !== 'string') return undefined; // repeated: the full stack says what that means
        if (route.parameters.commaSeparated.has(name)) query[name] = value.split(',');
      }
      if (!route.parameters.path(path) || !route.parameters.query(query)) return undefined;
      // valid to the schema but refused by the full stack (NUL, Infinity): its 400 to give
      if (firstUnstorable(query, '/query') || firstUnstorable(path, '/path')) return undefined;
      return { route, input: { query, path } };
    }
    return undefined;
  }

  async function serve(req: IncomingMessage, res: ServerResponse, route: Route, input: { query: Record<string, unknown>; path: Record<string, string> }) {
    const started = process.hrtime.bigint();
    const read = reads[route.id] as (input: unknown) => Promise<unknown>;
    const entry = await cache.fetch(req.url as string, () => read(input), templates.get(route.id) as Record<string, string>);
    if (route.checkBody && !route.checkBody(JSON.parse(entry.body.toString('utf8')))) {
      throw new Error(`${route.id}: the lane built a body the contract does not allow`);
    }
    const requestId = requestIdOf(req);
    const status = sendEntry(req, res, entry, requestId);
    counters.served++;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    observe('GET', route.label, status, seconds);
    if (logger.isLevelEnabled('info')) {
      // the access log line pino-http writes for the full stack, same fields
      logger.info(
        { req: { id: requestId, method: 'GET', path: (req.url as string).split('?')[0] }, res: { status }, responseTime: Math.round(seconds * 1000) },
        'request completed',
      );
    }
  }

  return {
    handle(req, res, fallback) {
      const accepted = routes.length > 0 ? accept(req) : undefined;
      if (!accepted) {
        counters.handed_on++;
        fallback(req, res);
        return;
      }
      serve(req, res, accepted.route, accepted.input).catch((error: unknown) => {
        if (res.headersSent) {
          logger.error({ err: errorSummary(error) }, 'public read failed mid-response');
          res.destroy();
          return;
        }
        // Not-found, a bad cursor, a database that is down: the full stack answers it as documented.
        counters.handed_on++;
        if (isDatabaseUnavailable(error)) unanswerable.set(req, error);
        fallback(req, res);
      });
    },

    learn(id, headers) {
      if (!templates.has(id)) templates.set(id, headers);
    },

    counters: () => ({ ...counters }),
  };
}

function carriesBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}
