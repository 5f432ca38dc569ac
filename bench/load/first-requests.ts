import { performance } from 'node:perf_hooks';

export type TimedRequest = { kind: string; path: string; status: number; ms: number };

/**
 * Times the first request of each kind on a service that has just started, before any warm-up:
 * what a reader meets right after a deploy or a restart (JIT, the first pool connections, each
 * statement's first plan). One at a time, in order, each to its last byte.
 */
export async function timeFirstRequests(baseUrl: string, requests: { kind: string; path: string }[]): Promise<TimedRequest[]> {
  const timed: TimedRequest[] = [];
  for (const { kind, path } of requests) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(30_000) });
    await response.arrayBuffer();
    timed.push({ kind, path, status: response.status, ms: Math.round((performance.now() - started) * 100) / 100 });
  }
  return timed;
}
