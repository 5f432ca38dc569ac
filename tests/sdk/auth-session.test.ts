import { afterEach, describe, expect, test } from '@jest/globals';
import { AuthenticationError, createClient, type TokenPair } from '../../sdk/src/index.js';
import { emptyPage, startScriptedServer, type ReceivedRequest, type ScriptedReply, type ScriptedServer } from './support/scripted-server.js';

// Token handling against a scripted API whose access tokens "expire" on demand.

const tokens = (n: number): TokenPair => ({
  access_token: `access-${n}`,
  token_type: 'Bearer',
  expires_in: 900,
  refresh_token: `refresh-token-number-${n}-xxxxxxxx`,
  refresh_expires_in: 2_592_000,
});

/** Editor routes accept only `valid` as access token; /auth/refresh and /auth/login hand out tokens(issued). */
function fakeAuthApi(valid: () => string, onIssue: () => number): (request: ReceivedRequest) => ScriptedReply {
  return (request) => {
    if (request.url.endsWith('/auth/refresh') || request.url.endsWith('/auth/login')) return { status: 200, body: tokens(onIssue()) };
    if (request.url.endsWith('/auth/logout')) return { status: 204 };
    if (/^\/v1\/(content|products)\b/.test(request.url)) return { status: 200, body: emptyPage }; // public reads
    if (request.headers.authorization !== `Bearer ${valid()}`) return { status: 401 };
    return { status: 200, body: emptyPage };
  };
}

const paths = (server: ScriptedServer) => server.received.map((r) => `${r.method} ${r.url.replace('/v1', '')} ${r.headers.authorization ?? '-'}`);

let server: ScriptedServer;
afterEach(() => server.close());

describe('access token renewal', () => {
  test('when an authenticated call gets 401, then the client refreshes once and resends with the new token', async () => {
    let issued = 1;
    server = await startScriptedServer(
      fakeAuthApi(
        () => 'access-2',
        () => ++issued,
      ),
    );
    const seen: Array<TokenPair | null> = [];
    const client = createClient({ baseUrl: server.baseUrl, tokens: tokens(1), onTokens: (t) => seen.push(t) });

    await client.reviews.list();

    expect(paths(server)).toEqual(['GET /reviews Bearer access-1', 'POST /auth/refresh -', 'GET /reviews Bearer access-2']);
    expect(JSON.parse(server.received[1]?.body ?? '')).toEqual({ refresh_token: tokens(1).refresh_token });
    expect(seen).toEqual([tokens(2)]);
  });

  test('when three calls get 401 together, then one refresh serves them all (a reused refresh token would revoke the sign-in)', async () => {
    let issued = 1;
    server = await startScriptedServer(
      fakeAuthApi(
        () => 'access-2',
        () => ++issued,
      ),
    );
    const client = createClient({ baseUrl: server.baseUrl, tokens: tokens(1) });

    await Promise.all([client.reviews.list(), client.editors.list(), client.auth.me()]);

    expect(server.received.filter((r) => r.url.endsWith('/auth/refresh'))).toHaveLength(1);
  });

  test('when the refresh token is rejected too, then the original AuthenticationError is thrown and the session is cleared', async () => {
    server = await startScriptedServer((r) => ({
      status: 401,
      body: { type: 'about:blank', title: 'x', status: 401, code: r.url.endsWith('/refresh') ? 'invalid_refresh_token' : 'invalid_token' },
    }));
    const seen: Array<TokenPair | null> = [];
    const client = createClient({ baseUrl: server.baseUrl, tokens: tokens(1), onTokens: (t) => seen.push(t) });

    await expect(client.auth.me()).rejects.toMatchObject({ constructor: AuthenticationError, code: 'invalid_token' });
    expect(seen).toEqual([null]);
    expect(server.received).toHaveLength(2);
  });

  test('when only credentials are given, then the first authenticated call signs in first', async () => {
    server = await startScriptedServer(
      fakeAuthApi(
        () => 'access-7',
        () => 7,
      ),
    );
    const client = createClient({ baseUrl: server.baseUrl, credentials: { email: 'vale@example.com', password: 'pw' } });

    await client.reviews.list();

    expect(paths(server)).toEqual(['POST /auth/login -', 'GET /reviews Bearer access-7']);
  });

  test('when a token provider is given, then it is asked before every authenticated call and a 401 is not retried', async () => {
    server = await startScriptedServer(
      fakeAuthApi(
        () => 'from-provider-2',
        () => 0,
      ),
    );
    let calls = 0;
    const client = createClient({ baseUrl: server.baseUrl, accessToken: () => `from-provider-${++calls}` });

    await expect(client.reviews.list()).rejects.toBeInstanceOf(AuthenticationError);
    await client.reviews.list();

    expect(paths(server)).toEqual(['GET /reviews Bearer from-provider-1', 'GET /reviews Bearer from-provider-2']);
  });

  test('when reading public content while signed in, then no token is sent (CDNs do not cache authorised requests)', async () => {
    server = await startScriptedServer(
      fakeAuthApi(
        () => 'access-1',
        () => 1,
      ),
    );
    const client = createClient({ baseUrl: server.baseUrl, tokens: tokens(1) });

    await client.content.list();
    await client.products.list();

    expect(server.received.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
  });

  test('when logging out, then the refresh token is revoked on the server and forgotten', async () => {
    server = await startScriptedServer(
      fakeAuthApi(
        () => 'access-1',
        () => 1,
      ),
    );
    const seen: Array<TokenPair | null> = [];
    const client = createClient({ baseUrl: server.baseUrl, tokens: tokens(1), onTokens: (t) => seen.push(t) });

    await client.auth.logout();
    await expect(client.auth.me()).rejects.toBeInstanceOf(AuthenticationError);

    expect(paths(server)).toEqual(['POST /auth/logout -', 'GET /me -']);
    expect(seen).toEqual([null]);
  });
});

describe('hooks', () => {
  test('when a call is retried, then onRequest and onResponse see every attempt, and onRequest may add headers', async () => {
    server = await startScriptedServer([{ status: 503 }, { status: 200, body: emptyPage }]);
    const seen: string[] = [];
    const client = createClient({
      baseUrl: server.baseUrl,
      retry: { baseDelayMs: 10 },
      onRequest: (request) => {
        request.headers.set('x-trace-id', 'trace-1');
        seen.push(`→ ${request.method}`);
      },
      onResponse: (response) => void seen.push(`← ${response.status}`),
    });

    await client.content.list();

    expect(seen).toEqual(['→ GET', '← 503', '→ GET', '← 200']);
    expect(server.received.map((r) => r.headers['x-trace-id'])).toEqual(['trace-1', 'trace-1']);
  });
});
