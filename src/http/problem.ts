import type { ErrorRequestHandler, Request, Response } from 'express';
import { isDatabaseUnavailable } from '../data/read-replica-errors.js';
import { AppError, type FieldError } from '../errors.js';
import { errorSummary, outageSummary } from '../logger.js';

// The one place where errors become HTTP: RFC 9457 problem+json with a stable `code`.
// Nothing internal (stack, SQL, library message) ever reaches a 5xx body.

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export const VALIDATOR_CODES: Readonly<Record<number, string>> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

// body-parser's error types, by the `type` it sets
export const BODY_PARSER: Readonly<Record<string, { code: string; status: number; detail: string }>> = {
  'entity.parse.failed': { code: 'malformed_json', status: 400, detail: 'The body is not valid JSON.' },
  'entity.too.large': { code: 'payload_too_large', status: 413, detail: 'The request body is too large.' },
  'encoding.unsupported': { code: 'unsupported_media_type', status: 415, detail: 'Unsupported content encoding.' },
  'charset.unsupported': { code: 'unsupported_media_type', status: 415, detail: 'Unsupported charset; send UTF-8.' },
  'request.aborted': { code: 'request_aborted', status: 400, detail: 'The request was aborted.' },
  'request.size.invalid': { code: 'malformed_request', status: 400, detail: 'The body length does not match Content-Length.' },
};

const INSTANCE_MAX_LENGTH = 500;

type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  request_id?: string;
  errors?: FieldError[];
};

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isValidatorError(err)) {
    const e = err as { status: number; message: string; errors?: { path?: string; message?: string; errorCode?: string }[]; headers?: Record<string, string> };
    const code = VALIDATOR_CODES[e.status];
    if (code) {
      return new AppError(code, e.status, validatorDetail(e.status, e.message), {
        errors: e.status === 400 ? (e.errors ?? []).map(toFieldError) : undefined,
        headers: e.headers,
      });
    }
  }
  // Express's router failed to decode a path parameter (a malformed percent-escape such as %zz or %C0%AE)
  if (err instanceof URIError && (err as { status?: unknown }).status === 400)
    return new AppError('malformed_request', 400, 'The path holds a malformed percent-escape.');
  const parser = bodyParserError(err);
  if (parser) return new AppError(parser.code, parser.status, parser.detail);
  if (isDatabaseUnavailable(err)) {
    return new AppError('service_unavailable', 503, 'The database is not answering; try again shortly.', {
      headers: { 'Retry-After': '5' },
      cause: err,
    });
  }
  return new AppError('internal_error', 500, 'Something went wrong on our side; quote the request id when reporting it.', { cause: err });
}

export function problemBody(error: AppError, req: Request): Problem {
  return {
    type: `https://randomcamerareviews.example/problems/${error.code}`,
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    code: error.code,
    detail: error.message,
    // the contract bounds it (Problem.instance maxLength): a 10k-character path is not echoed whole
    instance: (req.originalUrl.split('?')[0] ?? '').slice(0, INSTANCE_MAX_LENGTH),
    request_id: typeof req.id === 'string' ? req.id : '', // requestIdOf's string, once pino-http has run
    ...(error.errors && error.errors.length > 0 && { errors: error.errors.slice(0, 100) }),
  };
}

export function sendProblem(res: Response, req: Request, error: AppError): void {
  if (error.headers) res.set(error.headers);
  // a bearer challenge only where a bearer token was (or should have been) sent, not on bad credentials
  if (error.code === 'unauthenticated') res.set('WWW-Authenticate', 'Bearer realm="randomcamerareviews"');
  if (error.code === 'invalid_token') res.set('WWW-Authenticate', 'Bearer realm="randomcamerareviews", error="invalid_token"');
  res.set('Cache-Control', 'no-store');
  res
    .status(error.status)
    .type('application/problem+json')
    .send(JSON.stringify(problemBody(error, req)));
}

export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  const error = toAppError(err);
  // The access log's line for this request says why (request-logging.ts): one line per failed request.
  // A summary, not the error: a driver's error carries the SQL and its bindings. An outage's 503 is
  // expected and says the same thing a thousand times: no stack; a 500 is a bug: its stack.
  if (error.status >= 500) {
    const cause = error.status === 500 ? errorSummary(error.cause ?? err) : outageSummary(error.cause ?? err);
    const failure: RequestFailure = { code: error.code, cause };
    res.locals.failure = failure;
  }
  sendProblem(res, req, error);
};

/** Why a request failed with a 5xx, as its access log line carries it. */
export type RequestFailure = { code: string; cause: { type?: string; code?: string; message: string; stack?: string } };

function validatorDetail(status: number, message: string): string {
  if (status === 400) return 'The request does not match the API contract; see errors.';
  if (status === 404) return 'No such resource.';
  if (status === 405) return 'This method is not allowed on this resource.';
  if (status === 415) return 'Unsupported media type; send the body as application/json.';
  return message;
}

function toFieldError(e: { path?: string; message?: string; errorCode?: string }): FieldError {
  // the validator says `.params.x`; the contract's FieldError says `/path/x`
  const path = (e.path ?? '')
    .replace(/^\./, '/')
    .replace(/\./g, '/')
    .replace(/^\/params\//, '/path/');
  return { path, message: e.message ?? 'invalid', ...(e.errorCode && { code: e.errorCode.replace(/\.openapi\.validation$/, '') }) };
}

/** express-openapi-validator's HttpError: a status and an errors array. */
function isValidatorError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'status' in err && 'errors' in err && Array.isArray((err as { errors: unknown }).errors);
}

function bodyParserError(err: unknown) {
  const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? BODY_PARSER[type] : undefined;
}
