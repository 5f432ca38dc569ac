import autocannon from 'autocannon';
import { sampleRss } from '../processes/memory.js';
import { percentile } from './percentile.js';

export type LoadSpec = {
  baseUrl: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Request paths; each request takes a random one (a single path: the same request every time). */
  paths: string[];
  /** Process whose RSS is sampled while the measured load runs. */
  serverPid: number;
};

export type LoadResult = {
  requests: number;
  durationSeconds: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statusCounts: Record<string, number>;
  /** Sent but not answered when the run ended: their latency is missing from the percentiles. */
  unfinished: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  serverRssMaxMb: number | undefined;
};

/** A short unmeasured run (JIT, pools, PostgreSQL's buffer cache), then the measured one. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmupSeconds > 0) await cannon(spec, spec.warmupSeconds, () => {});
  const latencies: number[] = [];
  const rss = sampleRss(spec.serverPid);
  const result = await cannon(spec, spec.durationSeconds, (status, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const serverRssMaxMb = rss.stop();
  latencies.sort((a, b) => a - b);
  const statusCounts = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]));
  const requests = Object.values(statusCounts).reduce((sum, n) => sum + n, 0);
  return {
    requests,
    durationSeconds: result.duration,
    rps: Math.round(requests / result.duration),
    latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: percentile(latencies, 100) },
    statusCounts,
    unfinished: Math.max(0, result.requests.sent - requests - result.timeouts),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    serverRssMaxMb,
  };
}

function cannon(spec: LoadSpec, seconds: number, onResponse: (status: number, ms: number) => void): Promise<autocannon.Result> {
  const { paths } = spec;
  const single = paths.length === 1;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${spec.baseUrl}${paths[0] ?? '/'}`,
        connections: spec.connections,
        duration: seconds,
        // varied requests: every request picks its path from the pool
        requests: single ? undefined : [{ setupRequest: (request) => ({ ...request, path: paths[Math.floor(Math.random() * paths.length)] ?? '/' }) }],
      },
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- autocannon's errors are Errors; anything else is reported as whatever text it makes
      (error: unknown, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)),
    );
    // autocannon's own histogram rounds to whole milliseconds; its 'response' event carries the
    // exact time. v8 emits (client, status, bytes, ms), one more argument than @types describes.
    instance.on('response', (...args: unknown[]) => onResponse(Number(args[1]), Number(args[3])));
  });
}
