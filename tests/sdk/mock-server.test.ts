import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import YAML from 'yaml';
import { AuthenticationError, createClient, NotFoundError, type RandomCameraReviewsClient } from '../../sdk/src/index.js';
import { EXAMPLE, everyOperation } from './support/every-operation.js';
import { startMockServer, type MockServer } from './support/mock-server.js';

// The SDK against `npm run mock` (Prism serving the contract's examples): what the frontend
// team codes against before the backend is ready. Prism also rejects any request that breaks
// the contract (wrong path, parameters, body, missing token), so every call passing here is a
// call the contract accepts.

type Operation = { operationId: string; tags?: string[] };
const contract = YAML.parse(fs.readFileSync('openapi/reviews.yaml', 'utf8')) as { paths: Record<string, Record<string, Operation>> };
// /livez, /readyz, /metrics, /openapi.json and /docs are for probes and operators, not the portal.
const apiOperationIds = Object.values(contract.paths)
  .flatMap((item) => Object.values(item))
  .filter((op) => !op.tags?.includes('ops'))
  .map((op) => op.operationId);

let mock: MockServer;
let client: RandomCameraReviewsClient;
beforeAll(async () => {
  mock = await startMockServer();
  client = createClient({ baseUrl: mock.baseUrl, accessToken: () => 'mock-access-token', maxRetries: 0 });
});
afterAll(() => mock?.stop());

describe('the SDK against the Prism mock', () => {
  test('when compared with the contract, then the SDK has a call for every API operation', () => {
    expect(Object.keys(everyOperation).sort()).toEqual([...apiOperationIds].sort());
  });

  test('when every operation is called as documented, then the mock accepts each request', async () => {
    const failures: string[] = [];
    for (const [operationId, call] of Object.entries(everyOperation)) {
      await Promise.resolve(call(client)).catch((error: unknown) => failures.push(`${operationId}: ${String(error)}`));
    }
    expect(failures).toEqual([]);
  });

  test('when reading, then the examples come back typed', async () => {
    const review = await client.content.get(EXAMPLE.slugs[0] as string);
    const comparison = await client.content.compare(EXAMPLE.slugs);
    const all = await client.content.list().toArray({ max: 10 });

    expect(review.product.name).toBe('Fujifilm X-T5');
    expect(comparison.specs[0]).toEqual({ key: 'sensor_format', values: ['APS-C', 'full-frame'] });
    // the default example is a whole listing on one page: iterating it yields each item once
    expect(all.map((r) => r.slug)).toEqual(['fujifilm-x-t5-review-k3m9q2']);
  });

  test('when the mock is asked for an error example, then it arrives as the matching error class with its code', async () => {
    const error = await client.reviews.get(EXAMPLE.reviewId, { headers: { Prefer: 'code=404' } }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'not_found', status: 404 });
  });

  test('when a response is read with withResponse(), then its ETag and request id look like the real ones', async () => {
    const { etag, requestId } = await client.reviews.get(EXAMPLE.reviewId).withResponse();

    expect(etag).toMatch(/^"[^"]+"$/);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('when a first page of several is asked for with Prefer: example=, then it carries a next_cursor', async () => {
    const page = await client.content.list({}, { headers: { Prefer: 'example=firstOfMany' } });

    expect(page.next_cursor).toEqual(expect.any(String));
  });

  test('when an editor call carries no token, then the mock answers 401 as AuthenticationError', async () => {
    const anonymous = createClient({ baseUrl: mock.baseUrl });

    await expect(anonymous.reviews.list()).rejects.toBeInstanceOf(AuthenticationError);
  });
});
