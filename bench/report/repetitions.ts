import type { LoadResult } from '../load/run-load.js';

// With --repeat N a scenario is measured N times in a row: one run can catch the machine busy
// with something else, so the verdict reads the median and the table shows how far runs spread.

export type Range = { min: number; max: number };

/** The figures the verdict and the table read; the results file keeps every repetition as well. */
export type RepeatedFigures = {
  repetitions: number;
  /** Medians over the repetitions. */
  rps: number;
  requests: number;
  p50: number;
  p99: number;
  rpsRange: Range;
  p99Range: Range;
  /** Totals over the repetitions: one error answer in any of them counts. */
  statusCounts: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  serverRssMaxMb: number | undefined;
};

export function combineRepetitions(runs: readonly LoadResult[]): RepeatedFigures {
  const statusCounts: Record<string, number> = {};
  for (const run of runs) for (const [status, count] of Object.entries(run.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + count;
  const rss = runs.flatMap((r) => (r.serverRssMaxMb === undefined ? [] : [r.serverRssMaxMb]));
  const sum = (value: (r: LoadResult) => number) => runs.reduce((total, r) => total + value(r), 0);
  return {
    repetitions: runs.length,
    rps: Math.round(median(runs.map((r) => r.rps))),
    requests: Math.round(median(runs.map((r) => r.requests))),
    p50: round2(median(runs.map((r) => r.latencyMs.p50))),
    p99: round2(median(runs.map((r) => r.latencyMs.p99))),
    rpsRange: range(runs.map((r) => r.rps)),
    p99Range: range(runs.map((r) => r.latencyMs.p99)),
    statusCounts,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    serverRssMaxMb: rss.length > 0 ? Math.max(...rss) : undefined,
  };
}

/** The middle value; with an even count, the mean of the two middle ones (0 when there are none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

function range(values: readonly number[]): Range {
  return values.length === 0 ? { min: 0, max: 0 } : { min: Math.min(...values), max: Math.max(...values) };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
