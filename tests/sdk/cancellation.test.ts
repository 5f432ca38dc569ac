import { afterEach, describe, expect, test } from '@jest/globals';
import { createClient, type ClientOptions } from '../../sdk/src/index.js';
import { emptyPage, startScriptedServer, type ScriptedReply, type ScriptedServer } from './support/scripted-server.js';

// Cancellation as a component's clean-up uses it: whatever the call is doing when the signal
// aborts (not sent yet, on the wire, waiting to retry, waiting for a token, between pages), it
// stops, sends nothing more, and rejects with the signal's reason. No timing: each test aborts
// once the server has seen what it waits for.

let server: ScriptedServer;
afterEach(() => server.close());

async function clientFor(script: ScriptedReply[] | ((url: string) => ScriptedReply), options: Partial<ClientOptions> = {}) {
  server = await startScriptedServer(typeof script === 'function' ? (request) => script(request.url) : script);
  return createClient({ baseUrl: server.baseUrl, retry: { baseDelayMs: 10, maxDelayMs: 20 }, ...options });
}

/** Polls (no fixed wait) until the server has received `count` requests. */
async function untilReceived(count: number) {
  const deadline = Date.now() + 60_000;
  while (server.received.length < count) {
    if (Date.now() > deadline) throw new Error(`the server received ${server.received.length} requests, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const rejection = (promise: PromiseLike<unknown>) =>
  Promise.resolve(promise).then(
    () => 'resolved',
    (error: unknown) => error,
  );
const pageOf = (n: number) => ({ items: [{ id: `id-${n}` }], next_cursor: n < 3 ? `p${n + 1}` : null });

describe('an already-aborted signal', () => {
  test('when a call is made with it, then it rejects with an AbortError at once and sends nothing', async () => {
    const client = await clientFor([{ status: 200, body: emptyPage }]);

    const error = await rejection(client.content.list({ limit: 1 }, { signal: AbortSignal.abort() }));

    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    expect(server.received).toHaveLength(0);
  });

  test('when it carries a reason of the caller, then the call rejects with that very reason', async () => {
    const client = await clientFor([{ status: 200, body: emptyPage }]);
    const reason = new Error('route changed');

    const error = await rejection(client.content.get('a-slug', { signal: AbortSignal.abort(reason) }));

    expect(error).toBe(reason);
    expect(server.received).toHaveLength(0);
  });
});

describe('aborting while the call is under way', () => {
  test('when the request is on the wire, then it rejects with the reason and is not retried', async () => {
    const client = await clientFor([{ hangMs: 120_000 }]);
    const controller = new AbortController();

    const call = rejection(client.content.get('a-slug', { signal: controller.signal }));
    await untilReceived(1);
    controller.abort(new Error('component unmounted'));

    expect(await call).toEqual(new Error('component unmounted'));
    expect(server.received).toHaveLength(1);
  });

  test('when the call waits to retry a 503, then it rejects with the reason and sends no retry', async () => {
    const controller = new AbortController();
    // the hook sees the 503 just before the SDK decides to wait: the abort lands in that wait
    const client = await clientFor([{ status: 503, headers: { 'retry-after': '60' } }], { onResponse: () => controller.abort(new Error('gave up')) });

    const error = await rejection(client.content.list({}, { signal: controller.signal }));

    expect(error).toEqual(new Error('gave up'));
    expect(server.received).toHaveLength(1);
  });

  test('when the call waits for the sign-in that gets its token, then it rejects with the reason and never sends the call itself', async () => {
    const client = await clientFor((url) => (url.endsWith('/auth/login') ? { hangMs: 120_000 } : { status: 200, body: emptyPage }), {
      credentials: { email: 'editor@test.example', password: 'a long password' },
    });
    const controller = new AbortController();

    const call = rejection(client.reviews.list({}, { signal: controller.signal }));
    await untilReceived(1);
    controller.abort(new Error('signed out meanwhile'));

    expect(await call).toEqual(new Error('signed out meanwhile'));
    expect(server.received.map((r) => r.url)).toEqual(['/v1/auth/login']);
  });

  test('when the call waits for the token refresh after a 401, then it rejects with the reason and does not resend', async () => {
    const client = await clientFor((url) => (url.endsWith('/auth/refresh') ? { hangMs: 120_000 } : { status: 401 }), {
      tokens: { access_token: 'expired', refresh_token: 'r'.repeat(40) },
    });
    const controller = new AbortController();

    const call = rejection(client.reviews.get('5b7c1f3e-2a4d-4c8e-9f10-3d2b1a0c9e88', { signal: controller.signal }));
    await untilReceived(2);
    controller.abort(new Error('route changed'));

    expect(await call).toEqual(new Error('route changed'));
    expect(server.received.map((r) => r.url.replace(/\/[0-9a-f-]{36}$/, '/{id}'))).toEqual(['/v1/reviews/{id}', '/v1/auth/refresh']);
  });
});

describe('aborting a paginated list', () => {
  test('when aborted after the first page of pages(), then the next page is not fetched and iteration rejects with the reason', async () => {
    const client = await clientFor((url) => ({ status: 200, body: pageOf(Number(new URL(url, 'http://x').searchParams.get('cursor')?.slice(1) ?? 1)) }));
    const controller = new AbortController();
    const seen: string[] = [];

    const iteration = rejection(
      (async () => {
        for await (const page of client.content.list({}, { signal: controller.signal }).pages()) {
          seen.push(...page.items.map((i) => i.id));
          controller.abort(new Error('enough'));
        }
      })(),
    );

    expect(await iteration).toEqual(new Error('enough'));
    expect(seen).toEqual(['id-1']);
    expect(server.received).toHaveLength(1);
  });
});
