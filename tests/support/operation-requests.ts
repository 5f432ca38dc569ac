import { randomUUID } from 'node:crypto';
import { reviewInput } from './fixtures.js';
import type { HttpResult, RequestOptions } from './test-app.js';

// One valid request per operation of the contract, as "METHOD /v1/path": it passes authentication
// (given a token of a role allowed to call it), quotas and validation, so what it meets next is the
// handler. Tests that inject a fault or a quota send these to reach every operation alike.

export type SendRequest = (
  app: { request: (method: string, path: string, options?: RequestOptions) => Promise<HttpResult> },
  token: string,
) => Promise<HttpResult>;

// an id and a refresh token nothing has: with a working database, their requests answer 404 or 401
const id = randomUUID();
const refresh = { refresh_token: 'r'.repeat(40) };

export const VALID_REQUESTS: [title: string, send: SendRequest][] = [
  ['GET /v1/content', (app) => app.request('GET', '/v1/content')],
  ['GET /v1/content/compare', (app) => app.request('GET', '/v1/content/compare?ids=first-review,second-review')],
  ['GET /v1/content/{idOrSlug}', (app) => app.request('GET', '/v1/content/some-review')],
  ['GET /v1/products', (app) => app.request('GET', '/v1/products')],
  ['POST /v1/products', (app, token) => app.request('POST', '/v1/products', { token, body: { type: 'lens', brand: 'Sigma', model: '35mm F1.4 DG' } })],
  ['GET /v1/products/{productId}', (app) => app.request('GET', `/v1/products/${id}`)],
  ['POST /v1/auth/login', (app) => app.request('POST', '/v1/auth/login', { body: { email: 'someone@test.example', password: 'a password of theirs' } })],
  ['POST /v1/auth/refresh', (app) => app.request('POST', '/v1/auth/refresh', { body: refresh })],
  ['POST /v1/auth/logout', (app) => app.request('POST', '/v1/auth/logout', { body: refresh })],
  ['GET /v1/me', (app, token) => app.request('GET', '/v1/me', { token })],
  [
    'POST /v1/me/password',
    (app, token) => app.request('POST', '/v1/me/password', { token, body: { current_password: 'old one', new_password: 'a new long passphrase' } }),
  ],
  ['GET /v1/reviews', (app, token) => app.request('GET', '/v1/reviews', { token })],
  ['POST /v1/reviews', (app, token) => app.request('POST', '/v1/reviews', { token, body: reviewInput(id) })],
  ['GET /v1/reviews/{reviewId}', (app, token) => app.request('GET', `/v1/reviews/${id}`, { token })],
  [
    'PATCH /v1/reviews/{reviewId}',
    (app, token) => app.request('PATCH', `/v1/reviews/${id}`, { token, body: { title: 'A new title' }, headers: { 'if-match': '*' } }),
  ],
  ['DELETE /v1/reviews/{reviewId}', (app, token) => app.request('DELETE', `/v1/reviews/${id}`, { token, headers: { 'if-match': '*' } })],
  ['GET /v1/editors', (app, token) => app.request('GET', '/v1/editors', { token })],
  [
    'POST /v1/editors',
    (app, token) =>
      app.request('POST', '/v1/editors', { token, body: { email: 'new@test.example', display_name: 'New', initial_password: 'an initial passphrase' } }),
  ],
  ['GET /v1/editors/{editorId}', (app, token) => app.request('GET', `/v1/editors/${id}`, { token })],
  [
    'PATCH /v1/editors/{editorId}',
    (app, token) => app.request('PATCH', `/v1/editors/${id}`, { token, body: { display_name: 'Renamed' }, headers: { 'if-match': '*' } }),
  ],
];
