import { createClient, type ClientOptions } from '../../../sdk/src/index.js';

// Bundled by esbuild and run inside Chromium (tests/sdk/frontend-example.test.ts): the SDK's
// cancellation with the browser's own fetch, AbortController and DOMException. Each probe reports
// what the call rejected with and how many requests reached `fetch`.

export type ProbeResult = { rejectedWith: string; sent: string[] };

async function probe(
  run: (options: Partial<ClientOptions>, sent: string[]) => PromiseLike<unknown>,
  wrap?: (request: Request) => Promise<Response> | undefined,
): Promise<ProbeResult> {
  const sent: string[] = [];
  const fetchCounting = (request: Request) => {
    sent.push(new URL(request.url).pathname);
    return wrap?.(request) ?? fetch(request);
  };
  const outcome = await Promise.resolve(run({ fetch: fetchCounting }, sent)).then(
    () => 'resolved',
    (error: unknown) => (error instanceof Error || error instanceof DOMException ? `${error.name}: ${error.message}` : String(error)),
  );
  return { rejectedWith: outcome, sent };
}

export async function cancellationProbes(baseUrl: string): Promise<Record<string, ProbeResult>> {
  const client = (options: Partial<ClientOptions>) => createClient({ baseUrl, ...options });
  const controllers: AbortController[] = [];
  const fresh = () => controllers[controllers.push(new AbortController()) - 1] as AbortController;

  const alreadyAborted = await probe((options) => client(options).content.list({ limit: 1 }, { signal: AbortSignal.abort() }));

  const inFlight = fresh();
  const onTheWire = await probe(
    (options) => client(options).content.list({ limit: 1 }, { signal: inFlight.signal }),
    (request) => {
      const response = fetch(request); // really sent by the browser, then cancelled under it
      inFlight.abort(new Error('route changed'));
      return response;
    },
  );

  const paging = fresh();
  const betweenPages = await probe(async (options) => {
    for await (const page of client(options).content.list({ limit: 1 }, { signal: paging.signal }).pages()) {
      if (page.items.length > 0) paging.abort(new Error('enough'));
    }
  });

  const waiting = fresh();
  const retryWait = await probe(
    (options) => client({ ...options, onResponse: () => waiting.abort(new Error('gave up')) }).content.list({}, { signal: waiting.signal }),
    () => Promise.resolve(new Response('{}', { status: 503, headers: { 'retry-after': '60', 'content-type': 'application/problem+json' } })),
  );

  const signingIn = fresh();
  const tokenWait = await probe(
    (options) =>
      client({ ...options, credentials: { email: 'editor@test.example', password: 'a long password' } }).reviews.list({}, { signal: signingIn.signal }),
    () => {
      // the sign-in never answers; the caller leaves while waiting for it
      queueMicrotask(() => signingIn.abort(new Error('signed out meanwhile')));
      return new Promise<Response>(() => {});
    },
  );

  return { alreadyAborted, onTheWire, betweenPages, retryWait, tokenWait };
}

(globalThis as { cancellationProbes?: typeof cancellationProbes }).cancellationProbes = cancellationProbes;
