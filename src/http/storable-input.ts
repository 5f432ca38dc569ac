import type { RequestHandler } from 'express';
import { AppError, type FieldError } from '../errors.js';

// Three kinds of value pass JSON Schema validation but cannot be stored or queried: a NUL (U+0000),
// which PostgreSQL text refuses; a lone UTF-16 surrogate (`"\ud800"` in JSON), which jsonb refuses
// and text silently turns into U+FFFD; and a number that is not finite (`limit=Infinity`, `1e309`),
// which Ajv lets past `maximum` when it coerces with strictNumbers, as express-openapi-validator
// does. The contract says neither is ever valid (info.description); this is its one enforcement,
// after the validator, for every operation. The public read lane refuses the same (public-read-lane.ts).

const NUL = '\u0000';

const containsNul = (text: string) => text.includes(NUL);
// a high surrogate not followed by a low one, or a low one not preceded by a high one
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, as a field error at `path`; undefined when it can. */
function unstorableText(text: string, path: string): FieldError | undefined {
  if (containsNul(text)) return nulError(path);
  if (LONE_SURROGATE.test(text)) return loneSurrogate(path);
  return undefined;
}

/** The first NUL (in a string or a member name) or non-finite number in a parsed JSON value, as a field error. */
export function firstUnstorable(value: unknown, path: string): FieldError | undefined {
  // iterative: a deeply nested body must not overflow the stack
  const pending: [unknown, string][] = [[value, path]];
  while (pending.length > 0) {
    const [current, at] = pending.pop() as [unknown, string];
    const textProblem = typeof current === 'string' ? unstorableText(current, at) : undefined;
    if (textProblem) return textProblem;
    if (typeof current === 'number' && !Number.isFinite(current)) return notFinite(at);
    if (typeof current !== 'object' || current === null) continue;
    for (const [key, member] of Object.entries(current)) {
      const memberPath = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const keyProblem = unstorableText(key, memberPath);
      if (keyProblem) return keyProblem;
      pending.push([member, memberPath]);
    }
  }
  return undefined;
}

/** After the validator (which leaves the query coerced to the contract's types): 400 validation_failed naming the first unstorable value. */
export const rejectUnstorableInput: RequestHandler = (req, _res, next) => {
  const pathParams = (req as { openapi?: { pathParams?: Record<string, string> } }).openapi?.pathParams ?? {};
  const problem = firstUnstorable(pathParams, '/path') ?? firstUnstorable(req.query, '/query') ?? firstUnstorable(req.body, '/body');
  if (!problem) return next();
  next(new AppError('validation_failed', 400, 'The request does not match the API contract; see errors.', { errors: [problem] }));
};

const nulError = (path: string): FieldError => ({ path, message: 'must not contain the NUL character (U+0000)', code: 'nul_character' });
const loneSurrogate = (path: string): FieldError => ({ path, message: 'must be well-formed Unicode (no lone surrogate)', code: 'lone_surrogate' });
const notFinite = (path: string): FieldError => ({ path, message: 'must be a finite number', code: 'not_finite' });
