import type { FuzzOperation, Schema } from './contract-operations.js';
import { validatorFor } from './schema-values.js';

/**
 * A response schema with its objects closed: a member the contract does not document is a
 * violation (clients generated from the contract do not know it), though JSON Schema allows it.
 * Members of an `allOf` stay open; the object that combines them is closed
 * (`unevaluatedProperties` sees what every part documents).
 */
const closedSchemas = new WeakMap<Schema, Schema>();
export function closed(schema: Schema, inAllOf = false): Schema {
  const known = closedSchemas.get(schema);
  if (known && !inAllOf) return known;
  const copy: Schema = { ...schema };
  if (copy.properties) copy.properties = Object.fromEntries(Object.entries(copy.properties as Record<string, Schema>).map(([k, v]) => [k, closed(v)]));
  if (copy.items) copy.items = closed(copy.items as Schema);
  if (Array.isArray(copy.allOf)) copy.allOf = (copy.allOf as Schema[]).map((part) => closed(part, true));
  for (const key of ['oneOf', 'anyOf'] as const) if (Array.isArray(copy[key])) copy[key] = (copy[key] as Schema[]).map((part) => closed(part));
  if (typeof copy.additionalProperties === 'object') copy.additionalProperties = closed(copy.additionalProperties as Schema);
  const isObject = copy.properties !== undefined || copy.allOf !== undefined;
  if (isObject && !inAllOf && copy.additionalProperties === undefined && copy.unevaluatedProperties === undefined) copy.unevaluatedProperties = false;
  if (!inAllOf) closedSchemas.set(schema, copy);
  return copy;
}

// Does an answer keep the contract? Checked here, with Ajv against the dereferenced contract,
// not left to the server's own response validation.

export type HttpAnswer = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

export function answerViolations(op: FuzzOperation, method: string, answer: HttpAnswer, requestViolations: string[]): string[] {
  const { status, headers, text } = answer;
  const problems: string[] = [];
  if (status >= 500) problems.push(`answered ${status}: a server error`);
  const spec = op.responses[String(status)];
  if (!spec) return [...problems, `answered ${status}, which ${op.operationId} does not document (documented: ${Object.keys(op.responses).join(', ')})`];
  if (requestViolations.length > 0 && (status < 400 || status > 499)) {
    problems.push(`answered ${status} to a request that breaks the contract (${requestViolations.join('; ')}); expected a documented 4xx`);
  }
  const contentType = single(headers['content-type']);
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!spec.content) {
    if (contentType !== undefined) problems.push(`${status} carries Content-Type ${contentType}, but the contract documents no content for it`);
    if (text.length > 0) problems.push(`${status} has a body, but the contract documents no content for it`);
  } else if (!mediaType || !spec.content[mediaType]) {
    problems.push(`${status} answered with Content-Type ${contentType ?? '(none)'}; documented: ${Object.keys(spec.content).join(', ')}`);
  } else if (method !== 'HEAD') {
    problems.push(...bodyViolations(spec.content[mediaType], mediaType, status, text));
  } else if (text.length > 0) {
    problems.push('HEAD answered with a body');
  }
  for (const [name, schema] of Object.entries(spec.headers)) {
    const value = single(headers[name]);
    if (value === undefined) continue;
    const typed = schema.type === 'integer' || schema.type === 'number' ? (/^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value) : value;
    const validate = validatorFor(schema);
    if (!validate(typed)) problems.push(`header ${name}: ${JSON.stringify(value).slice(0, 120)} ${describe(validate.errors)}`);
  }
  return problems;
}

function bodyViolations(schema: Schema, mediaType: string, status: number, text: string): string[] {
  let body: unknown = text;
  if (mediaType.endsWith('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      return [`${status} body is not JSON: ${text.slice(0, 120)}`];
    }
  }
  const validate = validatorFor(closed(schema));
  const problems = validate(body) ? [] : [`${status} body breaks the ${mediaType} schema: ${describe(validate.errors)}`];
  // RFC 9457: the status member, when present, is the status code of the answer
  if (mediaType === 'application/problem+json' && (body as { status?: unknown }).status !== status) {
    problems.push(`problem status ${String((body as { status?: unknown }).status)} differs from the answer's ${status}`);
  }
  return problems;
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);

const describe = (errors: { instancePath: string; message?: string; params?: Record<string, unknown> }[] | null | undefined) =>
  (errors ?? [])
    .slice(0, 5)
    .map(
      (e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'unevaluatedProperty' in e.params ? ` (${String(e.params.unevaluatedProperty)})` : ''}`,
    )
    .join('; ');
