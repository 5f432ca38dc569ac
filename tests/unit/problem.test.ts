import type { Request } from 'express';
import { AppError } from '../../src/errors.js';
import { problemBody, toAppError } from '../../src/http/problem.js';

/** express-openapi-validator's HttpError, as it reaches the error handler. */
const validatorError = (status: number, errors: { path?: string; message?: string; errorCode?: string }[], headers?: Record<string, string>) =>
  Object.assign(new Error(`validator said ${status}`), { status, errors, ...(headers && { headers }) });

/** body-parser's errors carry a `type` (and a status that must not be trusted blindly). */
const bodyParserError = (type: string, status: number) => Object.assign(new Error(`body-parser: ${type}`), { type, status, expose: true });

describe('toAppError', () => {
  test('when given an AppError, then it is passed through untouched', () => {
    const error = new AppError('unknown_product', 422, 'No product.');
    expect(toAppError(error)).toBe(error);
  });

  test('when the validator rejects a request, then 400 validation_failed with one field error per problem', () => {
    const error = toAppError(
      validatorError(400, [
        { path: '/query/limit', message: 'must be <= 100', errorCode: 'maximum.openapi.validation' },
        { path: '.body.title', message: 'must NOT have more than 160 characters', errorCode: 'maxLength.openapi.validation' },
        { path: '.params.idOrSlug', message: 'must match pattern' },
        {},
      ]),
    );

    expect(error).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(error.errors).toEqual([
      { path: '/query/limit', message: 'must be <= 100', code: 'maximum' },
      { path: '/body/title', message: 'must NOT have more than 160 characters', code: 'maxLength' },
      { path: '/path/idOrSlug', message: 'must match pattern' },
      { path: '', message: 'invalid' },
    ]);
  });

  test.each([
    [404, 'not_found'],
    [405, 'method_not_allowed'],
    [413, 'payload_too_large'],
    [415, 'unsupported_media_type'],
  ])('when the validator answers %i, then code %s with no field errors', (status, code) => {
    const error = toAppError(validatorError(status, [{ path: '/x', message: 'no' }]));
    expect(error).toMatchObject({ code, status, errors: undefined });
  });

  test('when the validator answers 405 with an Allow header, then the header is kept', () => {
    expect(toAppError(validatorError(405, [], { Allow: 'GET' })).headers).toEqual({ Allow: 'GET' });
  });

  test.each([
    ['entity.parse.failed', 400, 'malformed_json', 400],
    ['entity.too.large', 413, 'payload_too_large', 413],
    ['encoding.unsupported', 415, 'unsupported_media_type', 415],
    ['charset.unsupported', 415, 'unsupported_media_type', 415],
    ['request.aborted', 400, 'request_aborted', 400],
    ['request.size.invalid', 400, 'malformed_request', 400],
  ])('when body-parser fails with %s, then its stable code', (type, parserStatus, code, status) => {
    const error = toAppError(bodyParserError(type, parserStatus));
    expect(error).toMatchObject({ code, status });
    expect(error.message).not.toContain('body-parser');
  });

  test.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' })],
    ['a pool timeout', Object.assign(new Error('Knex: Timeout acquiring a connection'), { name: 'KnexTimeoutError' })],
    ['an administrator shutdown', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['too many connections', Object.assign(new Error('sorry, too many clients already'), { code: '53300' })],
    ['a lost connection', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['a connection closed mid-query (pg gives no code)', new Error('select … - Connection terminated unexpectedly')],
    ['a statement timeout', Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })],
  ])('when the database is unavailable (%s), then 503 service_unavailable with Retry-After', (_case, cause) => {
    const error = toAppError(cause);

    expect(error).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(error.headers?.['Retry-After']).toMatch(/^\d+$/);
    expect(error.message).not.toContain(cause.message);
    expect(error.cause).toBe(cause);
  });

  test.each([
    ['an Error with internals', new Error('relation "secret_table" does not exist; password=hunter2')],
    ['a database error that is not about availability', Object.assign(new Error('duplicate key value violates "editors_email_key"'), { code: '23505' })],
    ['a string', 'password=hunter2 leaked'],
    ['null', null],
    ['undefined', undefined],
    ['an object with a message', { message: 'secret_table hunter2' }],
    ['a validator error with an unmapped status', validatorError(500, [{ path: 'secret_table', message: 'hunter2' }])],
  ])('when the error is unknown (%s), then 500 internal_error that reveals nothing of it', (_case, cause) => {
    const error = toAppError(cause);

    expect(error).toMatchObject({ code: 'internal_error', status: 500, errors: undefined });
    expect(error.message).not.toMatch(/secret_table|hunter2|editors_email_key|leaked/);
    expect(error.cause).toBe(cause);
  });
});

describe('problemBody', () => {
  test('when an unknown error becomes a problem, then the body names the request but not the error', () => {
    const req = { originalUrl: '/v1/content?q=secret', id: 'req-42' } as unknown as Request;

    const body = problemBody(toAppError(new Error('secret_table exploded')), req);

    expect(body).toEqual({
      type: 'https://randomcamerareviews.example/problems/internal_error',
      title: 'Internal server error',
      status: 500,
      code: 'internal_error',
      detail: expect.any(String),
      instance: '/v1/content',
      request_id: 'req-42',
    });
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});
