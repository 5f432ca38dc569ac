import { loadFuzzOperations, type FuzzOperation } from './contract-operations.js';
import { encodeUrlValue, type FuzzRequest, type RenderedRequest } from './fuzz-requests.js';
import { RawUrl } from './hostile-values.js';
import { contractViolations } from './request-validity.js';

// The fuzzer's oracle: which requests break the contract, and so must be answered with a 4xx.
// A mistake here either hides a bug (a broken request taken for valid) or invents one.

let operations: Map<string, FuzzOperation>;
beforeAll(async () => {
  operations = new Map((await loadFuzzOperations()).map((op) => [op.operationId, op]));
});

function violations(operationId: string, request: Partial<FuzzRequest>, rendered: Partial<RenderedRequest> = {}): string[] {
  const op = operations.get(operationId) as FuzzOperation;
  const full: FuzzRequest = {
    method: op.method.toUpperCase(),
    path: {},
    query: [],
    headers: {},
    credential: op.secured ? 'editor' : 'none',
    body: undefined,
    ...request,
  };
  return contractViolations(op, full, { method: full.method, url: op.path, headers: {}, body: undefined, ...rendered });
}

describe('which generated requests break the contract', () => {
  test('when numbers in the query overflow or are not finite, then they break the schema, as the validator coerces them', () => {
    expect(violations('listContent', { query: [['verdict_min', '1e309']] })).toEqual(['query verdict_min: breaks its schema']);
    expect(violations('listContent', { query: [['limit', 'Infinity']] })).toEqual(['query limit: breaks its schema']);
    expect(violations('listContent', { query: [['limit', 'NaN']] })).toEqual(['query limit: breaks its schema']);
    expect(violations('listContent', { query: [['verdict_min', '-0']] })).toEqual([]);
  });

  test('when a scalar query parameter is repeated, then it breaks the contract; a repeated list parameter or an unknown one does not decide it', () => {
    expect(
      violations('listContent', {
        query: [
          ['limit', '5'],
          ['limit', '6'],
        ],
      }),
    ).toEqual(['query limit: repeated']);
    expect(
      violations('compareContent', {
        query: [
          ['ids', 'a,b'],
          ['ids', 'c,d'],
        ],
      }),
    ).toEqual([]);
    expect(violations('listContent', { query: [['zz_unknown', '1']] })).toEqual([]);
  });

  test('when a path parameter is a malformed escape, then it breaks the contract; in the query it decides nothing', () => {
    expect(violations('getContent', { path: { idOrSlug: new RawUrl('%zz') } })).toEqual(['path idOrSlug: not decodable']);
    expect(violations('getContent', { path: { idOrSlug: 'x\udc00y' } })).toEqual(['path idOrSlug: not decodable']);
    expect(violations('listContent', { query: [['q', new RawUrl('%C0%AE%C0%AE')]] })).toEqual([]);
    expect(encodeUrlValue('a\u0000b\ud800')).toBe('a%00b%ED%A0%80');
  });

  test('when a JSON body holds NUL or a lone surrogate within the schema, then it keeps the contract (the server must still answer a documented status)', () => {
    const body = JSON.stringify({ type: 'camera', brand: 'a\u0000b', model: 'x\udc00y' });
    expect(violations('createProduct', {}, { headers: { 'Content-Type': 'application/json' }, body })).toEqual([]);
  });

  test('when an edit is sent without If-Match, then it breaks the contract (the server must answer a documented 4xx: 428)', () => {
    expect(violations('deleteReview', { path: { reviewId: '5b7c1f3e-2a4d-4c8e-9f10-3d2b1a0c9e88' } })).toEqual(['header If-Match: breaks its schema']);
    expect(violations('deleteReview', { path: { reviewId: '5b7c1f3e-2a4d-4c8e-9f10-3d2b1a0c9e88' }, headers: { 'If-Match': '*' } })).toEqual([]);
  });

  test('when a body is sent with another media type, a charset other than UTF-8, as malformed JSON or with 1e309, then it breaks the contract', () => {
    const review = '{"title":"A new title"}';
    expect(
      violations(
        'updateReview',
        { path: { reviewId: '5b7c1f3e-2a4d-4c8e-9f10-3d2b1a0c9e88' }, headers: { 'If-Match': '"v1"' } },
        { headers: { 'Content-Type': 'application/json' }, body: review },
      ),
    ).toEqual(['body: sent as application/json, not application/merge-patch+json']);
    expect(violations('login', {}, { headers: { 'Content-Type': 'application/json; charset=utf-16' }, body: '{}' })).toEqual([
      'body: application/json; charset=utf-16',
    ]);
    expect(violations('login', {}, { headers: { 'Content-Type': 'application/json' }, body: '{"email": NaN}' })).toEqual(['body: not JSON']);
    const score = '{"product_id":"5b7c1f3e-2a4d-4c8e-9f10-3d2b1a0c9e88","title":"abc","summary":"s","body":"b","verdict_score":1e309}';
    expect(violations('createReview', {}, { headers: { 'Content-Type': 'application/json' }, body: score })).toEqual(['body: breaks its schema']);
  });

  test('when a secured operation gets no token, a forged one or Basic credentials, then it breaks the contract; a public one ignores them', () => {
    expect(violations('getMe', { credential: 'forged' })).toEqual(['credentials: forged']);
    expect(violations('getMe', { credential: 'basic' })).toEqual(['credentials: basic']);
    expect(violations('listContent', { credential: 'garbage' })).toEqual([]);
  });
});
