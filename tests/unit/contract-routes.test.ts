import { apiOperations, HTTP_METHODS, loadContract, type ContractOperation, type OpenApiDocument } from '../../src/http/contract.js';
import { loadConfig } from '../../src/config.js';
import { requestPolicies } from '../../src/http/rate-limits.js';

const doc = loadContract();
const operations = apiOperations(doc);
const byId = (operationId: string) => operations.find((op) => op.operationId === operationId);

/** Every operation of the document, ops endpoints included. */
const allOperationIds = Object.values(doc.paths).flatMap((item) =>
  HTTP_METHODS.flatMap((method) => (item[method] ? [(item[method] as { operationId: string }).operationId] : [])),
);

/** True when every URL `specific` matches is also matched by `general`, but not the other way round. */
function shadows(general: ContractOperation, specific: ContractOperation): boolean {
  const a = general.expressPath.split('/');
  const b = specific.expressPath.split('/');
  if (general.method !== specific.method || a.length !== b.length) return false;
  const isParam = (s: string) => s.startsWith(':');
  const compatible = a.every((s, i) => isParam(s) || s === b[i]);
  return compatible && a.some((s, i) => isParam(s) && !isParam(b[i] ?? ''));
}

describe('apiOperations', () => {
  test('when routes are registered in order, then /content/compare comes before /content/:idOrSlug', () => {
    const paths = operations.filter((op) => op.method === 'get').map((op) => op.expressPath);
    expect(paths.indexOf('/content/compare')).toBeGreaterThanOrEqual(0);
    expect(paths.indexOf('/content/compare')).toBeLessThan(paths.indexOf('/content/:idOrSlug'));
  });

  test('when a literal path could be taken for a parameter, then the literal one is always registered first', () => {
    for (const [i, general] of operations.entries()) {
      for (const [j, specific] of operations.entries()) {
        if (shadows(general, specific)) expect({ specific: specific.operationId, before: j < i }).toEqual({ specific: specific.operationId, before: true });
      }
    }
  });

  test('when the contract marks x-required-role: admin, then the role is admin; otherwise editor', () => {
    for (const id of ['listEditors', 'createEditor', 'getEditor', 'updateEditor']) {
      expect(byId(id)).toMatchObject({ role: 'admin', requiresAuth: true });
    }
    expect(byId('createReview')).toMatchObject({ role: 'editor', requiresAuth: true, method: 'post', expressPath: '/reviews' });
    expect(byId('updateReview')).toMatchObject({ role: 'editor', requiresAuth: true, method: 'patch', expressPath: '/reviews/:reviewId' });
  });

  test('when an operation is public, then it does not require authentication', () => {
    for (const id of ['listContent', 'getContent', 'compareContent', 'listProducts', 'getProduct', 'login', 'refreshToken']) {
      expect({ id, requiresAuth: byId(id)?.requiresAuth }).toEqual({ id, requiresAuth: false });
    }
  });

  test('when a path has its own servers (the ops endpoints), then it is not a /v1 operation', () => {
    const ids = operations.map((op) => op.operationId);
    for (const id of ['getLiveness', 'getReadiness', 'getMetrics', 'getOpenApiDocument', 'getApiDocs']) {
      expect(allOperationIds).toContain(id);
      expect(ids).not.toContain(id);
    }
    expect(operations.some((op) => /livez|readyz|metrics|openapi|docs/.test(op.expressPath))).toBe(false);
  });

  test('when the contract is read, then every operationId is unique and every path uses Express parameters', () => {
    expect(new Set(allOperationIds).size).toBe(allOperationIds.length);
    expect(operations.length).toBeGreaterThan(0);
    for (const op of operations) expect(op.expressPath).toMatch(/^(\/([\w-]+|:\w+))+$/);
  });

  test('when given a small document, then paths convert, roles, security, the initial-password allowance and rate limits are read, and servers paths are skipped', () => {
    const small: OpenApiDocument = {
      openapi: '3.1.0',
      paths: {
        '/things/{thingId}': { get: { operationId: 'getThing', security: [{ bearerAuth: [] }], 'x-required-role': 'admin' } },
        '/things/special': { get: { operationId: 'getSpecial', security: [{}] } },
        '/things/mine': {
          get: { operationId: 'getMine', security: [{ bearerAuth: [] }], 'x-allowed-with-initial-password': true, 'x-rate-limit': ['editor'] },
        },
        '/livez': { servers: [{ url: '/' }], get: { operationId: 'live' } },
      },
    };

    expect(apiOperations(small)).toEqual([
      {
        method: 'get',
        expressPath: '/things/special',
        operationId: 'getSpecial',
        requiresAuth: false,
        role: 'editor',
        allowedWithInitialPassword: false,
        rateLimits: [],
        requiresIfMatch: false,
      },
      {
        method: 'get',
        expressPath: '/things/mine',
        operationId: 'getMine',
        requiresAuth: true,
        role: 'editor',
        allowedWithInitialPassword: true,
        rateLimits: ['editor'],
        requiresIfMatch: false,
      },
      {
        method: 'get',
        expressPath: '/things/:thingId',
        operationId: 'getThing',
        requiresAuth: true,
        role: 'admin',
        allowedWithInitialPassword: false,
        rateLimits: [],
        requiresIfMatch: false,
      },
    ]);
  });

  test('when the contract names rate limits, then every name is a known policy, every token-bearing operation counts as editor, and no public read is limited', () => {
    const known = Object.keys(requestPolicies(loadConfig({}).rateLimits));

    const unknown = operations.flatMap((op) => op.rateLimits.filter((name) => !known.includes(name)));
    const securedWithoutEditorQuota = operations.filter((op) => op.requiresAuth && !op.rateLimits.includes('editor')).map((op) => op.operationId);
    const limitedPublicReads = operations.filter((op) => op.method === 'get' && !op.requiresAuth && op.rateLimits.length > 0).map((op) => op.operationId);

    expect(operations.some((op) => op.rateLimits.length > 0)).toBe(true);
    expect({ unknown, securedWithoutEditorQuota, limitedPublicReads }).toEqual({ unknown: [], securedWithoutEditorQuota: [], limitedPublicReads: [] });
  });
});
