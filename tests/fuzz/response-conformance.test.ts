import { loadFuzzOperations, type FuzzOperation } from './contract-operations.js';
import { answerViolations, type HttpAnswer } from './response-conformance.js';

// The fuzzer's other oracle: does an answer keep the contract? Fed with answers made up here.

let operations: Map<string, FuzzOperation>;
beforeAll(async () => {
  operations = new Map((await loadFuzzOperations()).map((op) => [op.operationId, op]));
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer => ({
  status,
  headers: { 'content-type': status >= 400 ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8', ...headers },
  text: JSON.stringify(body),
});
const check = (operationId: string, answer: HttpAnswer, method = 'GET', requestViolations: string[] = []) =>
  answerViolations(operations.get(operationId) as FuzzOperation, method, answer, requestViolations);

const product = {
  id: '0f8e2d1c-6b5a-4f3e-8d7c-1a2b3c4d5e6f',
  type: 'camera',
  brand: 'Fujifilm',
  model: 'X-T5',
  name: 'Fujifilm X-T5',
  mount: 'X',
  specs: {},
  released_year: 2022,
  review_count: 0,
  average_verdict: null,
  created_at: '2026-11-20T14:03:00.000Z',
  latest_reviews: [],
};
const problem = (status: number) => ({ type: 'https://randomcamerareviews.example/problems/x', title: 'X', status, code: 'not_found' });

describe('which answers break the contract', () => {
  test('when an answer keeps the documented schema, then nothing is reported', () => {
    expect(check('getProduct', json(200, product, { 'cache-control': 'public, max-age=60', etag: '"1"' }))).toEqual([]);
  });

  test('when an answer carries a member the contract does not document, at the top or nested under allOf, then it is reported', () => {
    expect(check('getProduct', json(200, { ...product, internal_cost: 3 }))).toEqual([expect.stringContaining('(internal_cost)')]);
    expect(check('getProduct', json(200, { ...product, specs: { secret: true } }))).toEqual([expect.stringContaining('200 body breaks')]);
  });

  test('when the status is not documented, or a 5xx, or not a 4xx for a request that breaks the contract, then it is reported', () => {
    expect(check('getLiveness', json(400, problem(400)))).toEqual([expect.stringContaining('answered 400, which getLiveness does not document')]);
    expect(check('listContent', json(500, problem(500)))).toEqual(['answered 500: a server error']);
    expect(check('listContent', json(200, { items: [], next_cursor: null }), 'GET', ['query limit: breaks its schema'])).toEqual([
      expect.stringContaining('expected a documented 4xx'),
    ]);
  });

  test('when a status documented without content carries a Content-Type, or a problem names another status, then it is reported', () => {
    expect(check('getContent', { status: 304, headers: { 'content-type': 'application/json' }, text: '' })).toEqual([
      expect.stringContaining('304 carries Content-Type'),
    ]);
    expect(check('getContent', json(404, problem(400)))).toEqual(["problem status 400 differs from the answer's 404"]);
  });

  test('when a documented header breaks its schema, then it is reported', () => {
    expect(
      check(
        'getMe',
        json(
          200,
          {
            id: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
            email: 'a@b.example',
            display_name: 'A',
            role: 'editor',
            status: 'active',
            must_change_password: false,
            created_at: '2026-11-20T14:03:00.000Z',
            updated_at: '2026-11-20T14:03:00.000Z',
          },
          { 'cache-control': 'private' },
        ),
      ),
    ).toEqual([expect.stringContaining('header cache-control')]);
  });
});
