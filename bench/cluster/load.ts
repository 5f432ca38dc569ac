import { randomUUID } from 'node:crypto';

// Steady, bounded load through haproxy: reader loops GET many URLs at a fixed pace, poster loops
// POST reviews with an Idempotency-Key and retry each one with the same key (backoff with full
// jitter, honouring Retry-After) until it is acknowledged, as the SDK does. Every attempt is kept.

export type Kind = 'content' | 'products' | 'post';

export type Sample = {
  at: number;
  /**
   * The phase the request began in; for a post, the phase its first attempt began in. A post cut by
   * `kill -9` keeps its key in progress for 60 s (409 with Retry-After) and is retried into later
   * phases: those answers belong to the fault that cut it, not to the phase they land in.
   */
  phase: string;
  kind: Kind;
  url: string;
  status: number;
  ms: number;
  retryAfter: string | null;
  error?: string;
  detail?: string;
  /** A GET whose connection closed before any answer, sent again once (as a browser does): the first error. */
  resentAfter?: string;
};

export type Ack = { key: string; id: string; title: string; attempts: number };

export type LoadPlan = {
  baseUrl: string;
  contentUrls: string[];
  productUrls: string[];
  productIds: string[];
  token: string;
  readers: number;
  readsPerSecondEach: number;
  posters: number;
  postsPerSecondEach: number;
};

export type Load = {
  samples: Sample[];
  acks: Ack[];
  /** Keys still unacknowledged when the load stopped, or refused for good (a harness or service bug). */
  abandoned: { key: string; lastStatus: number }[];
  firstOkAt: Map<string, number>;
  setPhase(name: string): void;
  phaseStartedAt(name: string): number | undefined;
  /** Stops new work; posts in flight keep retrying until acknowledged or `postDeadlineMs` passes. */
  stop(postDeadlineMs: number): Promise<void>;
  now(): number;
};

export function startLoad(plan: LoadPlan): Load {
  const t0 = Date.now();
  const now = () => Date.now() - t0;
  let phase = 'warm-up';
  const phaseStarts = new Map<string, number>([[phase, 0]]);
  let stopping = false;
  let postDeadline = Infinity;
  const samples: Sample[] = [];
  const acks: Ack[] = [];
  const abandoned: Load['abandoned'] = [];
  const firstOkAt = new Map<string, number>();

  const timed = async (
    kind: Kind,
    url: string,
    init?: RequestInit,
    began: string = phase,
  ): Promise<{ status: number; body: string; retryAfter: string | null }> => {
    const at = now();
    let status: number;
    let body = '';
    let retryAfter: string | null = null;
    let error: string | undefined;
    let resentAfter: string | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(`${plan.baseUrl}${url}`, { ...init, signal: AbortSignal.timeout(30_000) });
        body = await response.text();
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        error = undefined;
      } catch (failure) {
        status = 0; // refused, reset, timed out: a failure the client saw
        const cause = (failure as { cause?: { code?: string; message?: string } }).cause;
        error = cause?.code ?? cause?.message ?? (failure as Error).message;
      }
      // A kept-alive connection can be closed by the other side just as a request goes out on it
      // (RFC 9112 §9.3.1): browsers and HTTP clients send an idempotent request again once on a
      // fresh connection. Only that: a refusal, a timeout or any answer counts as it came.
      if (attempt === 1 && kind !== 'post' && error !== undefined && CLOSED_UNDER_US.has(error)) {
        resentAfter = error;
        continue;
      }
      break;
    }
    // which 503 it was (shed, lane queue full, lane wait over, database down): the problem's detail
    const detail = status >= 500 ? problemDetail(body) : undefined;
    samples.push({
      at,
      phase: began,
      kind,
      url,
      status,
      ms: now() - at,
      retryAfter,
      ...(error ? { error } : {}),
      ...(detail ? { detail } : {}),
      ...(resentAfter ? { resentAfter } : {}),
    });
    if (status === 200 && kind !== 'post' && !firstOkAt.has(url)) firstOkAt.set(url, at);
    return { status, body, retryAfter };
  };

  const paced = async (perSecond: number, work: () => Promise<void>) => {
    const interval = 1000 / perSecond;
    let next = now() + Math.random() * interval;
    while (!stopping) {
      const wait = next - now();
      if (wait > 0) await sleep(wait);
      next += interval;
      // behind schedule (a slow answer): skip ahead rather than burst, the load stays bounded
      if (next < now()) next = now() + interval;
      await work();
    }
  };

  const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)] as T;

  const reader = () =>
    paced(plan.readsPerSecondEach, async () => {
      // one read in five goes to the catalog: the route a locked reviews table must not slow
      if (Math.random() < 0.2) await timed('products', pick(plan.productUrls));
      else await timed('content', pick(plan.contentUrls));
    });

  const postOne = async () => {
    const key = randomUUID();
    const title = `cluster ${key}`;
    const body = JSON.stringify({
      product_id: pick(plan.productIds),
      title,
      summary: 'Posted by the cluster test through haproxy while faults are injected.',
      body: 'Sharp wide open, quick autofocus, weather sealed. Retried with the same key until acknowledged.',
      verdict_score: 7.5,
      // one in four published: each publish flushes every instance's read cache, as real editors do
      status: Math.random() < 0.25 ? 'published' : 'draft',
    });
    const headers = { authorization: `Bearer ${plan.token}`, 'content-type': 'application/json', 'idempotency-key': key };
    let attempts = 0;
    let last = 0;
    const began = phase;
    while (now() < postDeadline) {
      attempts++;
      const { status, body: answer, retryAfter } = await timed('post', '/v1/reviews', { method: 'POST', headers, body }, began);
      last = status;
      if (status === 201) {
        acks.push({ key, id: (JSON.parse(answer) as { id: string }).id, title, attempts });
        return;
      }
      const retryable = status === 0 || status === 409 || status === 429 || status >= 500;
      if (!retryable) break;
      await sleep(backoffMs(attempts, retryAfter));
    }
    abandoned.push({ key, lastStatus: last });
  };

  const poster = () => paced(plan.postsPerSecondEach, postOne);

  const loops = [...Array.from({ length: plan.readers }, reader), ...Array.from({ length: plan.posters }, poster)];

  return {
    samples,
    acks,
    abandoned,
    firstOkAt,
    setPhase(name) {
      phase = name;
      phaseStarts.set(name, now());
    },
    phaseStartedAt: (name) => phaseStarts.get(name),
    async stop(postDeadlineMs) {
      stopping = true;
      postDeadline = now() + postDeadlineMs;
      await Promise.all(loops);
    },
    now,
  };
}

/** Full jitter over a doubling cap (250 ms … 4 s), never sooner than the server's Retry-After (capped at 10 s). */
function backoffMs(attempt: number, retryAfter: string | null): number {
  const cap = Math.min(4000, 250 * 2 ** (attempt - 1));
  const jitter = Math.random() * cap;
  const hinted = retryAfter && /^\d+$/.test(retryAfter) ? Math.min(10, Number(retryAfter)) * 1000 : 0;
  return Math.max(jitter, hinted);
}

function problemDetail(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { detail?: string }).detail?.split(/[;.]/)[0];
  } catch {
    return body.includes('No server is available') ? 'haproxy: no server available' : undefined;
  }
}

/** undici's codes for a connection closed or reset before any answer came back. */
const CLOSED_UNDER_US = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
