import fc from 'fast-check';
import type { FuzzOperation, Parameter } from './contract-operations.js';
import type { Credential, OperationPools, World } from './fuzz-world.js';
import { hostileUrlValue, RawUrl, toJsonText } from './hostile-values.js';
import { invalidValue, schemaValue } from './schema-values.js';

// One generated request per run: parameters, headers, credentials and body drawn from the
// operation's contract (valid, hostile or invalid), then rendered to the bytes sent.

export type UrlValue = string | RawUrl;
export type Body = { contentType: string | undefined; value: unknown } | { contentType: string | undefined; raw: string };

export type FuzzRequest = {
  method: string;
  path: Record<string, UrlValue>;
  query: [string, UrlValue][];
  headers: Record<string, string>;
  credential: Credential;
  body: Body | undefined;
};

/** What goes on the wire. */
export type RenderedRequest = { method: string; url: string; headers: Record<string, string>; body: string | undefined };

const UNKNOWN_PARAMETER = 'zz_unknown';

export function requestArbitrary(op: FuzzOperation, pools: OperationPools): fc.Arbitrary<FuzzRequest> {
  const of = (where: Parameter['in']) => op.parameters.filter((p) => p.in === where);
  const method = op.method === 'get' ? fc.oneof({ arbitrary: fc.constant('GET'), weight: 9 }, { arbitrary: fc.constant('HEAD'), weight: 1 }) : fc.constant(op.method.toUpperCase());
  const path = fc.record(Object.fromEntries(of('path').map((p) => [p.name, parameterValue(p, pools).filter((v) => v !== '')])));
  const query = fc
    .tuple(
      ...of('query').map((p) => fc.option(parameterValue(p, pools).map((v): [string, UrlValue] => [p.name, v]), { freq: p.required ? 8 : 2, nil: undefined })),
    )
    .chain((pairs): fc.Arbitrary<[string, UrlValue][]> => {
      const present = pairs.filter((p): p is [string, UrlValue] => p !== undefined);
      return fc.oneof(
        { arbitrary: fc.constant(present), weight: 10 },
        // the same parameter twice
        { arbitrary: present.length ? fc.constantFrom(...present).map((dup): [string, UrlValue][] => [...present, dup]) : fc.constant(present), weight: 1 },
        { arbitrary: fc.constant<[string, UrlValue][]>([...present, [UNKNOWN_PARAMETER, '1']]), weight: 1 },
      );
    });
  const headerParameters = fc.record(
    Object.fromEntries(of('header').map((p) => [p.name, parameterValue(p, pools, { header: true })])),
    { requiredKeys: of('header').filter((p) => p.required).map((p) => p.name) },
  );
  const conditional = op.method === 'get' ? fc.option(fc.constantFrom('*', '"nope"', 'W/"1-abc"', ''), { freq: 2, nil: undefined }) : fc.constant(undefined);
  const headers = fc.tuple(headerParameters, conditional).map(([params, ifNoneMatch]) => {
    const all: Record<string, string> = {};
    for (const [name, value] of Object.entries(params)) if (typeof value === 'string') all[name] = value;
    if (ifNoneMatch !== undefined) all['If-None-Match'] = ifNoneMatch;
    return all;
  });
  return fc
    .record({ method, path, query, headers, credential: credentialFor(op), body: bodyArbitrary(op, pools) })
    .filter((request) => headSize(op, request) <= MAX_HEAD_BYTES);
}

/**
 * Node's HTTP parser answers 431 to a request head over 16 KiB before the app sees it: the
 * transport's limit, not the contract's (one 10,000-character value fits; three do not).
 */
const MAX_HEAD_BYTES = 14 * 1024;
const headSize = (op: FuzzOperation, request: FuzzRequest) =>
  op.path.length +
  Object.values(request.path).reduce((n: number, v) => n + encodeUrlValue(v).length, 0) +
  request.query.reduce((n, [name, v]) => n + name.length + encodeUrlValue(v).length + 2, 0) +
  Object.entries(request.headers).reduce((n, [name, v]) => n + name.length + v.length + 4, 0);

function credentialFor(op: FuzzOperation): fc.Arbitrary<Credential> {
  if (!op.secured) return fc.oneof({ arbitrary: fc.constant<Credential>('none'), weight: 8 }, { arbitrary: fc.constantFrom<Credential>('garbage', 'admin'), weight: 1 });
  return fc.oneof(
    { arbitrary: fc.constant<Credential>(op.adminOnly ? 'admin' : 'editor'), weight: 12 },
    { arbitrary: fc.constant<Credential>(op.adminOnly ? 'editor' : 'admin'), weight: 2 },
    { arbitrary: fc.constantFrom<Credential>('none', 'garbage', 'forged', 'basic'), weight: 2 },
  );
}

/** A parameter value as text: from the pool of real values, the schema, the hostile values, or one breaking the schema. */
function parameterValue(p: Parameter, pools: OperationPools, options: { header?: boolean } = {}): fc.Arbitrary<UrlValue> {
  const pool = pools.parameters?.[p.name];
  const valid = schemaValue(p.schema).map(asText);
  const invalid = invalidValue(p.schema).map(asText);
  // header values are Latin-1 on the wire: Node refuses anything else before sending
  const hostile = options.header ? hostileUrlValue.filter((v): v is string => typeof v === 'string' && /^[\x20-\x7e\x80-\xff]*$/.test(v)) : hostileUrlValue;
  return fc.oneof(
    ...(pool ? [{ arbitrary: pool as fc.Arbitrary<UrlValue>, weight: 6 }] : []),
    { arbitrary: valid, weight: 4 },
    { arbitrary: hostile, weight: 2 },
    { arbitrary: invalid, weight: 1 },
  );
}

const asText = (value: unknown): string => (Array.isArray(value) ? value.map(asText).join(',') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

const RAW_BODIES = ['', '{', '{"title": NaN}', '{"a":1,}', 'null', '[]', '"text"', 'NaN', '\u0000'];
const OVERSIZED = `{"body":"${'x'.repeat(300 * 1024)}"}`;

function bodyArbitrary(op: FuzzOperation, pools: OperationPools): fc.Arbitrary<Body | undefined> {
  if (!op.body) return fc.constant(undefined);
  const { schema, mediaType } = op.body;
  const overlay = pools.body ?? fc.constant({});
  const laid = (value: fc.Arbitrary<unknown>) =>
    fc.tuple(value, fc.option(overlay, { freq: 2, nil: undefined })).map(([v, extra]) => (extra && isObject(v) ? { ...v, ...extra } : v));
  const value = fc.oneof(
    { arbitrary: laid(schemaValue(schema)), weight: 10 },
    { arbitrary: laid(schemaValue(schema, { hostile: true })), weight: 8 },
    { arbitrary: invalidValue(schema), weight: 4 },
  );
  const contentType = fc.oneof(
    { arbitrary: fc.constant<string | undefined>(mediaType), weight: 16 },
    { arbitrary: fc.constantFrom<string | undefined>('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', undefined), weight: 2 },
  );
  return fc.oneof(
    { arbitrary: fc.record({ contentType, value }), weight: 30 },
    { arbitrary: fc.record({ contentType, raw: fc.constantFrom(...RAW_BODIES) }), weight: 2 },
    { arbitrary: fc.constant<Body>({ contentType: mediaType, raw: OVERSIZED }), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function render(op: FuzzOperation, request: FuzzRequest, world: World, pools: OperationPools): RenderedRequest {
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeUrlValue(request.path[name] ?? ''));
  const search = request.query.map(([name, value]) => `${name}=${encodeUrlValue(value)}`).join('&');
  const headers: Record<string, string> = { ...request.headers };
  const authorization = world.authorization(request.credential, pools);
  if (authorization) headers.Authorization = authorization;
  let body: string | undefined;
  if (request.body) {
    body = 'raw' in request.body ? request.body.raw : toJsonText(request.body.value);
    if (request.body.contentType) headers['Content-Type'] = request.body.contentType;
  }
  return { method: request.method, url: search ? `${path}?${search}` : path, headers, body };
}

/** Percent-encoding of text that may hold lone surrogates, which encodeURIComponent refuses: their WTF-8 bytes, undecodable as UTF-8. */
export function encodeUrlValue(value: UrlValue): string {
  if (value instanceof RawUrl) return value.text;
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (code >= 0xd800 && code <= 0xdfff) out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    else out += encodeURIComponent(char);
  }
  return out;
}

/** Text that does not survive as itself in a URL: a malformed escape, or a lone surrogate. */
export const isUndecodable = (value: UrlValue): boolean => value instanceof RawUrl || /[\ud800-\udfff]/u.test(value);
