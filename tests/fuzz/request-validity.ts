import type { ValidateFunction } from 'ajv';
import type { FuzzOperation, Schema } from './contract-operations.js';
import { isUndecodable, type FuzzRequest, type RenderedRequest } from './fuzz-requests.js';
import { contractAjv, validatorFor } from './schema-values.js';

// Whether a generated request breaks the contract, decided on what was actually sent: the
// parameters as the server decodes them (query and path strings coerced as the contract's
// validator does), the body as JSON.parse reads it, the media type, the credentials.
// Only what certainly breaks it counts; an unknown query parameter or a repeated list parameter
// is no contract violation either way.

const coercing = contractAjv({ coerceTypes: true });
const coercingValidators = new WeakMap<Schema, ValidateFunction>();
function coercingValidator(schema: Schema): ValidateFunction {
  let validate = coercingValidators.get(schema);
  if (!validate) coercingValidators.set(schema, (validate = coercing.compile({ type: 'object', properties: { value: schema } })));
  return validate;
}
const fitsAsText = (schema: Schema, text: string | string[]) => coercingValidator(schema)({ value: text });

const VALID_CREDENTIALS = new Set(['admin', 'editor']);

/** Why the request breaks the contract; empty when it does not. */
export function contractViolations(op: FuzzOperation, request: FuzzRequest, rendered: RenderedRequest): string[] {
  const reasons: string[] = [];
  if (op.secured && !VALID_CREDENTIALS.has(request.credential)) reasons.push(`credentials: ${request.credential}`);
  for (const p of op.parameters) {
    if (p.in === 'path') {
      const value = request.path[p.name] ?? '';
      if (isUndecodable(value) || typeof value !== 'string') reasons.push(`path ${p.name}: not decodable`);
      else if (!fitsAsText(p.schema, value)) reasons.push(`path ${p.name}: breaks its schema`);
    }
    if (p.in === 'query') {
      const values = request.query.filter(([name]) => name === p.name).map(([, v]) => v);
      const [value] = values;
      const isList = p.schema.type === 'array';
      if (value === undefined) {
        if (p.required) reasons.push(`query ${p.name}: missing`);
      } else if (values.length > 1) {
        if (!isList) reasons.push(`query ${p.name}: repeated`);
      } else if (typeof value === 'string' && !isUndecodable(value) && !fitsAsText(p.schema, isList ? value.split(',') : value)) {
        reasons.push(`query ${p.name}: breaks its schema`);
      }
    }
    if (p.in === 'header') {
      const value = request.headers[p.name];
      if (value === undefined ? p.required : !fitsAsText(p.schema, value)) reasons.push(`header ${p.name}: breaks its schema`);
    }
  }
  if (op.body) reasons.push(...bodyViolations(op.body, rendered));
  return reasons;
}

function bodyViolations(spec: NonNullable<FuzzOperation['body']>, rendered: RenderedRequest): string[] {
  if (rendered.body === undefined) return spec.required ? ['body: missing'] : [];
  const contentType = rendered.headers['Content-Type'];
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';').map((s) => s.trim().toLowerCase());
  if (mediaType !== spec.mediaType) return [`body: sent as ${contentType ?? 'no media type'}, not ${spec.mediaType}`];
  if (parameters.some((p) => p.startsWith('charset=') && p !== 'charset=utf-8')) return [`body: ${contentType}`];
  let value: unknown;
  try {
    value = JSON.parse(rendered.body);
  } catch {
    return ['body: not JSON'];
  }
  return validatorFor(spec.schema)(value) ? [] : ['body: breaks its schema'];
}
