import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { apiOperations, loadContract } from '../../src/http/contract.js';
import { errorHandler } from '../../src/http/problem.js';
import { createContractValidators } from '../../src/http/public-reads/contract-validators.js';
import { responseCheck } from '../../src/http/response-check.js';

// The check every handler's JSON passes through in tests (config.validateResponses): a real Express
// app with the real contract, a handler that answers what each test gives it.

const doc = loadContract();
const getProduct = apiOperations(doc).find((op) => op.operationId === 'getProduct');
const example = (doc.components as { examples: Record<string, { value: Record<string, unknown> }> }).examples.ProductDetail?.value;

let answer: { status: number; body: unknown };
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  if (!getProduct || !example) throw new Error('the contract has no getProduct or ProductDetail example');
  const app = express();
  app.get('/v1/products/:productId', responseCheck(getProduct, createContractValidators(doc)), (_req, res) => {
    res.status(answer.status).json(answer.body);
  });
  app.use(errorHandler);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const get = async () => {
  const res = await fetch(`${baseUrl}/v1/products/0f8e2d1c-6b5a-4f3e-8d7c-1a2b3c4d5e6f`);
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
};

describe('responseCheck', () => {
  test('when a handler answers the documented body, then it goes out as it is', async () => {
    answer = { status: 200, body: example };
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body).toEqual(example);
  });

  test('when a handler answers a body the contract does not allow, then the request fails with a 500 problem', async () => {
    const { review_count: _dropped, ...missingField } = example as Record<string, unknown>;
    answer = { status: 200, body: { ...missingField, brand: 42 } };
    const res = await get();
    expect(res.status).toBe(500);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('internal_error');
  });

  test('when a handler answers JSON with a status the operation does not document as JSON, then the request fails with a 500 problem', async () => {
    answer = { status: 404, body: { whatever: true } };
    const res = await get();
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('internal_error');
  });
});
