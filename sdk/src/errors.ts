import type { components } from './generated/reviews.js';

export type Problem = components['schemas']['Problem'];
/** Every `code` the API answers with, generated from the contract's list (`Problem.code`). */
export type ProblemCode = Problem['code'];
export type FieldError = components['schemas']['FieldError'];

/** Every error this SDK throws extends this class. */
export class RandomCameraReviewsError extends Error {
  override name = 'RandomCameraReviewsError';
}

/**
 * The API answered with an error status. Branch on `code` (stable, from the problem+json body),
 * never on `message` or `detail`; quote `requestId` when reporting a problem.
 */
export class ApiError extends RandomCameraReviewsError {
  override name = 'ApiError';
  readonly status: number;
  /** Stable machine-readable code, e.g. `validation_failed`; `unknown` when the body was not a problem (a proxy's HTML page). */
  readonly code: ProblemCode | 'unknown';
  readonly title: string;
  readonly detail: string | undefined;
  /** One entry per invalid input, for `validation_failed`; empty otherwise. */
  readonly errors: FieldError[];
  readonly requestId: string | undefined;
  readonly problem: Problem | undefined;
  readonly headers: Headers;

  constructor(status: number, body: unknown, headers: Headers) {
    const problem = isProblem(body) ? body : undefined;
    const code = problem?.code ?? 'unknown';
    super(`${status} ${code}: ${problem?.detail ?? problem?.title ?? 'the API answered with an error'}`);
    this.status = status;
    this.code = code;
    this.title = problem?.title ?? `HTTP ${status}`;
    this.detail = problem?.detail;
    this.errors = problem?.errors ?? [];
    this.requestId = headers.get('x-request-id') ?? problem?.request_id;
    this.problem = problem;
    this.headers = headers;
  }
}

export class BadRequestError extends ApiError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends ApiError {
  override name = 'AuthenticationError';
}
export class PermissionDeniedError extends ApiError {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
}
export class ConflictError extends ApiError {
  override name = 'ConflictError';
}
export class PreconditionFailedError extends ApiError {
  override name = 'PreconditionFailedError';
}
/** An edit sent without `If-Match` (the SDK always sends it; seen only through a hook that drops it). */
export class PreconditionRequiredError extends ApiError {
  override name = 'PreconditionRequiredError';
}
export class PayloadTooLargeError extends ApiError {
  override name = 'PayloadTooLargeError';
}
export class UnsupportedMediaTypeError extends ApiError {
  override name = 'UnsupportedMediaTypeError';
}
export class UnprocessableEntityError extends ApiError {
  override name = 'UnprocessableEntityError';
}
export class RateLimitError extends ApiError {
  override name = 'RateLimitError';
}
export class InternalServerError extends ApiError {
  override name = 'InternalServerError';
}
export class ServiceUnavailableError extends InternalServerError {
  override name = 'ServiceUnavailableError';
}

/** The request never got an answer: DNS, refused or reset connection, CORS refusal, offline. */
export class ConnectionError extends RandomCameraReviewsError {
  override name = 'ConnectionError';
}

/** No answer within the `timeout` (per attempt, after every retry allowed). */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
}

const ERROR_BY_STATUS: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  412: PreconditionFailedError,
  413: PayloadTooLargeError,
  415: UnsupportedMediaTypeError,
  422: UnprocessableEntityError,
  428: PreconditionRequiredError,
  429: RateLimitError,
  503: ServiceUnavailableError,
};

/** The error class for an HTTP status: the table above, any other 5xx, or the generic ApiError. */
export function apiErrorFor(status: number, body: unknown, headers: Headers): ApiError {
  const ErrorClass = ERROR_BY_STATUS[status] ?? (status >= 500 ? InternalServerError : ApiError);
  return new ErrorClass(status, body, headers);
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && typeof (body as Problem).code === 'string';
}
