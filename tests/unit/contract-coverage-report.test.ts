import type { OpenApiDocument } from '../../src/http/contract.js';
import { loadContract } from '../../src/http/contract.js';
import { recordOf } from '../support/contract-coverage.js';
import {
  documentedOperations,
  formatReport,
  gatePasses,
  summarize,
  type CoverageRecord,
  type DocumentedOperation,
} from '../support/contract-coverage-report.js';

// The coverage gate must be able to fail: a documented pair nobody answered, a status or a body the
// contract does not have, an exclusion that is no longer true.

const operations: DocumentedOperation[] = [
  { operationId: 'getThing', method: 'GET', path: '/v1/things/{id}', statuses: ['200', '404'] },
  { operationId: 'getLiveness', method: 'GET', path: '/livez', statuses: ['200'] },
];
const answer = (operationId: string | null, status: number, problems: string[] = []): CoverageRecord => ({ operationId, method: 'GET', status, problems });

describe('contract coverage summary', () => {
  test('when every documented pair was answered, then the gate passes at 100%', () => {
    const summary = summarize(operations, [answer('getThing', 200), answer('getThing', 404), answer('getLiveness', 200)], []);

    expect({ exercised: summary.exercised, documented: summary.documented, missing: summary.missing }).toEqual({ exercised: 3, documented: 3, missing: [] });
    expect(gatePasses(summary)).toBe(true);
    expect(formatReport(summary)).toContain('exercised 3 of 3 documented pairs (100.0%)');
  });

  test('when a documented pair was never answered, then it is missing and the gate fails', () => {
    const summary = summarize(operations, [answer('getThing', 200), answer('getLiveness', 200)], []);

    expect(summary.missing).toEqual(['getThing 404']);
    expect(gatePasses(summary)).toBe(false);
    expect(formatReport(summary)).toMatch(/MISSING[^\n]*\n {2}getThing 404/);
  });

  test('when a missing pair is excluded, then the gate passes and counts the exclusion', () => {
    const summary = summarize(operations, [answer('getThing', 200), answer('getLiveness', 200)], [{ operationId: 'getThing', status: '404', reason: 'why' }]);

    expect({ missing: summary.missing, excluded: summary.excluded }).toEqual({ missing: [], excluded: 1 });
    expect(gatePasses(summary)).toBe(true);
  });

  test('when an excluded pair is answered after all, or is not documented, then the exclusion is stale and the gate fails', () => {
    const answered = [answer('getThing', 200), answer('getThing', 404), answer('getLiveness', 200)];
    const summary = summarize(operations, answered, [
      { operationId: 'getThing', status: '404', reason: 'answered now' },
      { operationId: 'getThing', status: '418', reason: 'never documented' },
    ]);

    expect(summary.staleExclusions).toEqual(['getThing 404', 'getThing 418']);
    expect(gatePasses(summary)).toBe(false);
  });

  test('when an operation answered a status it does not document, then it is undocumented and the gate fails', () => {
    const summary = summarize(operations, [answer('getThing', 200), answer('getThing', 404), answer('getThing', 500), answer('getLiveness', 200)], []);

    expect(summary.undocumented).toEqual(['getThing 500']);
    expect(gatePasses(summary)).toBe(false);
  });

  test('when an answer broke the contract, then it is nonconforming and the gate fails', () => {
    const records = [answer('getThing', 200, ['body/id must be string']), answer('getThing', 404), answer('getLiveness', 200)];
    const summary = summarize(operations, records, []);

    expect(summary.nonconforming).toEqual(['getThing 200: body/id must be string']);
    expect(gatePasses(summary)).toBe(false);
  });

  test('when a request matched no operation, then it is listed for information and does not fail the gate', () => {
    const records = [answer('getThing', 200), answer('getThing', 404), answer('getLiveness', 200), { ...answer(null, 404), path: '/v1/nowhere' }];
    const summary = summarize(operations, records, []);

    expect(summary.outsideContract).toEqual(['GET /v1/nowhere 404']);
    expect(gatePasses(summary)).toBe(true);
  });
});

describe('contract coverage of this contract', () => {
  const doc: OpenApiDocument = loadContract();
  const response = (status: number, contentType: string) => ({ statusCode: status, contentType });
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  test('when the contract is read, then /v1 operations and the ops paths at the root are all listed with their statuses', () => {
    const listed = documentedOperations(doc);

    expect(listed.find((op) => op.operationId === 'getLiveness')).toMatchObject({ method: 'GET', path: '/livez', statuses: ['200'] });
    expect(listed.find((op) => op.operationId === 'compareContent')).toMatchObject({
      path: '/v1/content/compare',
      statuses: expect.arrayContaining(['200', '400']),
    });
    expect(listed.length).toBeGreaterThanOrEqual(25);
  });

  test('when a request is answered, then it is matched to its operation, literal segments before parameters', () => {
    const health = json({ status: 'ok' });

    expect(recordOf({ method: 'GET', url: '/v1/content/compare?ids=a,b' }, response(404, 'text/plain'), undefined).operationId).toBe('compareContent');
    expect(recordOf({ method: 'GET', url: '/v1/content/some-slug' }, response(404, 'text/plain'), undefined).operationId).toBe('getContent');
    expect(recordOf({ method: 'HEAD', url: '/livez' }, response(200, 'application/json'), undefined)).toMatchObject({
      operationId: 'getLiveness',
      method: 'HEAD',
      problems: [],
    });
    expect(recordOf({ method: 'GET', url: '/livez' }, response(200, 'application/json'), health)).toMatchObject({ operationId: 'getLiveness', problems: [] });
    expect(recordOf({ method: 'OPTIONS', url: '/v1/content' }, response(204, ''), undefined)).toMatchObject({ operationId: null, path: '/v1/content' });
    expect(recordOf({ method: 'PUT', url: '/v1/editors/6a9bf528-deee-4f07-aebf-da2dabb6e8ec' }, response(405, ''), undefined).path).toBe('/v1/editors/{uuid}');
  });

  test('when a body or media type breaks the contract, then the record says how', () => {
    const badHealth = recordOf({ method: 'GET', url: '/livez' }, response(200, 'application/json'), json({ status: 42 }));
    const wrongType = recordOf({ method: 'GET', url: '/livez' }, response(200, 'text/html'), Buffer.from('<p>ok</p>'));
    const badProblem = recordOf({ method: 'GET', url: '/v1/content/x' }, response(404, 'application/problem+json'), json({ title: 'no' }));

    expect(badHealth.problems).toContainEqual(expect.stringMatching(/^body\/status /));
    expect(wrongType.problems).toEqual([expect.stringContaining("media type 'text/html' not documented")]);
    expect(badProblem.problems.length).toBeGreaterThan(0);
  });
});
