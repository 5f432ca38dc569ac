import fc from 'fast-check';
import type { FuzzOperation, Parameter, Schema } from './contract-operations.js';
import type { Credential, OperationPools, World } from './fuzz-world.js';
import { hostileNumberText, hostileUrlValue, RawJson, RawUrl, toJsonText } from './hostile-values.js';
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

/**
 * How a request is drawn: `valid` keeps to the contract (real ids, proper credentials and media
 * type); `hostile` puts hostile values into one target, a parameter or the body's leaves, the rest
 * valid, so the answer tells about that value; `broken` breaks rules anywhere on purpose (wrong types
 * and media types, missing or extra members, repeated or unknown parameters, bad credentials,
 * malformed JSON).
 */
export type Mode = 'valid' | 'hostile' | 'broken';

export function requestArbitrary(op: FuzzOperation, pools: OperationPools): fc.Arbitrary<FuzzRequest> {
  // Built once per (mode, target), not in every run: building one (regular expressions parsed into
  // generators, nested records) cost more CPU than drawing a request from it. Same arbitraries, same draws.
  const built = new Map<string, fc.Arbitrary<FuzzRequest>>();
  const requestOf = (mode: Mode, target?: number) => {
    const key = `${mode} ${target}`;
    let arbitrary = built.get(key);
    if (!arbitrary) built.set(key, (arbitrary = requestIn(mode, op, pools, target)));
    return arbitrary;
  };
  return fc
    .oneof(
      { arbitrary: fc.constant<Mode>('valid'), weight: 5 },
      { arbitrary: fc.constant<Mode>('hostile'), weight: 3 },
      { arbitrary: fc.constant<Mode>('broken'), weight: 2 },
    )
    .chain((mode) =>
      mode === 'hostile' ? fc.constantFrom(...op.parameters.keys(), op.parameters.length).chain((target) => requestOf(mode, target)) : requestOf(mode),
    )
    .filter((request) => headSize(op, request) <= MAX_HEAD_BYTES);
}

/** `target`: in hostile mode, the index of the parameter that gets hostile values (past the last: the body). */
function requestIn(mode: Mode, op: FuzzOperation, pools: OperationPools, target = -1): fc.Arbitrary<FuzzRequest> {
  const of = (where: Parameter['in']) => op.parameters.filter((p) => p.in === where);
  const isTarget = (p: Parameter) => op.parameters.indexOf(p) === target;
  const modeOf = (p: Parameter): Mode => (mode === 'hostile' && !isTarget(p) ? 'valid' : mode);
  const bodyMode: Mode = mode === 'hostile' && target !== op.parameters.length ? 'valid' : mode;
  const method =
    op.method === 'get'
      ? fc.oneof({ arbitrary: fc.constant('GET'), weight: 9 }, { arbitrary: fc.constant('HEAD'), weight: 1 })
      : fc.constant(op.method.toUpperCase());
  const path = fc.record(Object.fromEntries(of('path').map((p) => [p.name, parameterValue(modeOf(p), p, pools).filter((v) => v !== '')])));
  const query = fc
    .tuple(
      ...of('query').map((p) =>
        fc.option(
          parameterValue(modeOf(p), p, pools).map((v): [string, UrlValue] => [p.name, v]),
          {
            freq: p.required || isTarget(p) || mode === 'broken' ? 8 : 2,
            nil: undefined,
          },
        ),
      ),
    )
    .chain((pairs): fc.Arbitrary<[string, UrlValue][]> => {
      const present = pairs.filter((p): p is [string, UrlValue] => p !== undefined);
      if (mode !== 'broken') return fc.constant(present);
      return fc.oneof(
        { arbitrary: fc.constant(present), weight: 4 },
        // the same parameter twice
        { arbitrary: present.length ? fc.constantFrom(...present).map((dup): [string, UrlValue][] => [...present, dup]) : fc.constant(present), weight: 1 },
        { arbitrary: fc.constant<[string, UrlValue][]>([...present, [UNKNOWN_PARAMETER, '1']]), weight: 1 },
      );
    });
  const headerParameters = fc.record(
    // header values are bytes on the wire (Node refuses other characters before sending): printable ASCII here
    Object.fromEntries(of('header').map((p) => [p.name, parameterValue(modeOf(p), p, pools).filter((v) => typeof v === 'string' && /^[\x20-\x7e]*$/.test(v))])),
    {
      requiredKeys: of('header')
        .filter((p) => p.required || isTarget(p))
        .map((p) => p.name),
    },
  );
  const conditional =
    op.method === 'get'
      ? fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.constantFrom('*', '"nope"', 'W/"1-abc"'), weight: 1 })
      : fc.constant(undefined);
  const headers = fc.tuple(headerParameters, conditional).map(([params, ifNoneMatch]) => {
    const all: Record<string, string> = {};
    for (const [name, value] of Object.entries(params)) if (typeof value === 'string') all[name] = value;
    if (ifNoneMatch !== undefined) all['If-None-Match'] = ifNoneMatch;
    return all;
  });
  return fc.record({ method, path, query, headers, credential: credentialFor(mode, op), body: bodyArbitrary(bodyMode, op, pools) });
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

function credentialFor(mode: Mode, op: FuzzOperation): fc.Arbitrary<Credential> {
  const proper = fc.oneof(
    { arbitrary: fc.constant<Credential>(!op.secured ? 'none' : op.adminOnly ? 'admin' : 'editor'), weight: 6 },
    { arbitrary: fc.constant<Credential>(!op.secured ? 'admin' : op.adminOnly ? 'editor' : 'admin'), weight: 1 },
  );
  if (mode !== 'broken') return proper;
  return fc.oneof({ arbitrary: proper, weight: 1 }, { arbitrary: fc.constantFrom<Credential>('none', 'garbage', 'forged', 'basic'), weight: 1 });
}

/** A parameter value as text: from the pool of real values or the schema; in hostile mode a hostile value; in broken mode possibly one breaking the schema. */
function parameterValue(mode: Mode, p: Parameter, pools: OperationPools): fc.Arbitrary<UrlValue> {
  if (mode === 'hostile')
    return isNumeric(p.schema) ? fc.oneof({ arbitrary: hostileNumberText, weight: 3 }, { arbitrary: hostileUrlValue, weight: 1 }) : hostileUrlValue;
  const pool = pools.parameters?.[p.name];
  return fc.oneof(
    ...(pool ? [{ arbitrary: pool as fc.Arbitrary<UrlValue>, weight: 4 }] : []),
    { arbitrary: schemaValue(p.schema).map(asText), weight: 3 },
    ...(mode === 'broken' ? [{ arbitrary: fc.oneof(invalidValue(p.schema).map(asText), hostileUrlValue), weight: 3 }] : []),
  );
}

const isNumeric = (schema: Schema) => schema.type === 'number' || schema.type === 'integer';

const asText = (value: unknown): string =>
  value instanceof RawJson
    ? value.text
    : Array.isArray(value)
      ? value.map(asText).join(',')
      : typeof value === 'object' && value !== null
        ? JSON.stringify(value)
        : String(value);

const RAW_BODIES = ['', '{', '{"title": NaN}', '{"a":1,}', 'null', '[]', '"text"', 'NaN', '\u0000'];
const OVERSIZED = `{"body":"${'x'.repeat(300 * 1024)}"}`;

function bodyArbitrary(mode: Mode, op: FuzzOperation, pools: OperationPools): fc.Arbitrary<Body | undefined> {
  if (!op.body) return fc.constant(undefined);
  const { schema, mediaType } = op.body;
  const overlay = pools.body ?? fc.constant({});
  const laid = (value: fc.Arbitrary<unknown>) =>
    fc.tuple(value, fc.option(overlay, { freq: 3, nil: undefined })).map(([v, extra]) => (extra && isObject(v) ? { ...v, ...extra } : v));
  if (mode === 'valid') return fc.record({ contentType: fc.constant(mediaType), value: laid(schemaValue(schema)) });
  if (mode === 'hostile') return fc.record({ contentType: fc.constant(mediaType), value: laid(schemaValue(schema, { hostile: true })) });
  const contentType = fc.oneof(
    { arbitrary: fc.constant<string | undefined>(mediaType), weight: 3 },
    {
      arbitrary: fc.constantFrom<string | undefined>(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
        undefined,
      ),
      weight: 1,
    },
  );
  return fc.oneof(
    { arbitrary: fc.record({ contentType, value: fc.oneof(invalidValue(schema), laid(schemaValue(schema))) }), weight: 12 },
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
    if (code >= 0xd800 && code <= 0xdfff)
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    else out += encodeURIComponent(char);
  }
  return out;
}

/** Text that does not survive as itself in a URL: a malformed escape, or a lone surrogate. */
export const isUndecodable = (value: UrlValue): boolean => value instanceof RawUrl || /[\ud800-\udfff]/u.test(value);
