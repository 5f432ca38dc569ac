import type { TimedRequest } from '../load/first-requests.js';
import type { LoadResult } from '../load/run-load.js';
import type { TimedWrites } from '../load/editor-writes.js';
import { percentile } from '../load/percentile.js';
import { READ_BUDGET_MS, RSS_TARGET_MB, WRITE_BUDGET_MS, type Scenario, type ServerRole } from '../scenarios.js';
import { combineRepetitions, type RepeatedFigures } from './repetitions.js';

/** `indicative`: the target applies to larger corpora, so these figures cannot pass or fail it. */
export type Verdict = 'pass' | 'FAIL' | 'ERRORS' | 'indicative' | '-';

export type ScenarioOutcome = {
  id: string;
  label: string;
  server: ServerRole;
  connections: number;
  poolSize: number;
  /** Medians (and their range) over the repetitions: what the verdict judges. */
  figures: RepeatedFigures;
  /** Every repetition as measured, in order. */
  repetitions: LoadResult[];
  anchorRatio: number | undefined;
  target: string | undefined;
  /** The corpus size the target applies from; undefined: any size. */
  targetFromReviews: number | undefined;
  verdict: Verdict;
  /** The corpus is smaller than the target applies to: the verdict only indicates. */
  indicative: boolean;
  /** Why the verdict is not what the figures alone suggest. */
  note: string | undefined;
};

export type ServerMemory = { role: ServerRole; peakRssMb: number | undefined; sampledMaxRssMb: number | undefined; verdict: Verdict; note?: string };

export type FirstRequestOutcome = TimedRequest & { target: string; verdict: Verdict };

/**
 * Judges one scenario's repetitions by their median p99 (and median req/s against the anchor's).
 * Non-2xx answers or socket errors in any repetition make it ERRORS whatever the figures say: an
 * error answered fast inflates req/s, so those figures do not measure the read path. Only a target
 * that applies to this run can FAIL: none for the anchor, and on a corpus smaller than the target
 * applies to it is `indicative` (its note says whether the figures would meet it).
 */
export function judgeScenario(
  scenario: Scenario,
  repetitions: LoadResult[],
  anchorRps: number | undefined,
  reviews: number,
  poolSize: number,
): ScenarioOutcome {
  const figures = combineRepetitions(repetitions);
  const anchorRatio = anchorRps ? Math.round((figures.rps / anchorRps) * 1000) / 1000 : undefined;
  const target = scenario.target;
  const indicative = target?.fromReviews !== undefined && reviews < target.fromReviews;
  let verdict: Verdict = '-';
  let note: string | undefined;
  const lowerBoundNote = lowerBoundNotes(repetitions);
  if (figures.non2xx > 0 || figures.errors > 0) {
    verdict = 'ERRORS';
    note = `status ${JSON.stringify(figures.statusCounts)}, ${figures.errors} socket errors (${figures.timeouts} timeouts)`;
  } else if (!target) {
    note = lowerBoundNote;
  } else {
    const p99Ok = target.maxP99Ms === undefined || figures.p99 <= target.maxP99Ms;
    const ratioOk = target.minAnchorRatio === undefined || (anchorRatio !== undefined && anchorRatio >= target.minAnchorRatio);
    const met = p99Ok && ratioOk && lowerBoundNote === undefined;
    if (indicative) {
      verdict = 'indicative';
      note = `at ${reviews.toLocaleString('en')} reviews the figures ${met ? 'meet' : 'miss'} "${target.text}"${lowerBoundNote ? `; ${lowerBoundNote}` : ''}`;
    } else {
      verdict = met ? 'pass' : 'FAIL';
      note = lowerBoundNote;
    }
  }
  return {
    id: scenario.id,
    label: scenario.label,
    server: scenario.server,
    connections: scenario.connections,
    poolSize,
    figures,
    repetitions,
    anchorRatio,
    target: target?.text,
    targetFromReviews: target?.fromReviews,
    verdict,
    indicative,
    note,
  };
}

/**
 * Requests still open at the end are missing from the percentiles, and they are the slow ones (a
 * long request is the likeliest to be in flight). Past 1% of a repetition's sample they could all
 * sit above its p99, so it proves nothing, and neither does a median that includes it: no pass.
 */
function lowerBoundNotes(repetitions: LoadResult[]): string | undefined {
  const notes = repetitions.flatMap((load, i) => {
    const unanswered = load.unfinished / Math.max(1, load.requests + load.unfinished);
    if (load.requests > 0 && unanswered <= 0.01) return [];
    const which = repetitions.length > 1 ? `repetition ${i + 1}: ` : '';
    return [`${which}${load.unfinished} request(s) still open at the end, ${load.requests} answered`];
  });
  return notes.length > 0 ? `${notes.join('; ')}: p99 is only a lower bound (run longer)` : undefined;
}

/** Reported, not judged: how long a search built to be costly takes, and what it answers (ADR 0041). */
export function reportCostlySearch(search: TimedRequest): FirstRequestOutcome {
  return { ...search, target: '(reported)', verdict: search.status === 200 || search.status === 503 ? '-' : 'ERRORS' };
}

/** The first request after a start answers within the read budget, like every read, at any corpus size. */
export function judgeFirstRequest(first: TimedRequest): FirstRequestOutcome {
  const verdict: Verdict = first.status !== 200 ? 'ERRORS' : first.ms <= READ_BUDGET_MS ? 'pass' : 'FAIL';
  return { ...first, target: `≤ ${READ_BUDGET_MS} ms (read budget)`, verdict };
}

export type WritesOutcome = { count: number; p50: number; p99: number; max: number; statuses: Record<string, number>; target: string; verdict: Verdict };

/** Every write answers 201 within the write budget: the slowest one is judged, since the budget is each request's. */
export function judgeEditorWrites({ ms, statuses }: TimedWrites): WritesOutcome | undefined {
  if (ms.length === 0) return undefined;
  const sorted = [...ms].sort((a, b) => a - b);
  const max = sorted.at(-1) ?? 0;
  const failed = Object.keys(statuses).some((status) => status !== '201');
  const verdict: Verdict = failed ? 'ERRORS' : max <= WRITE_BUDGET_MS ? 'pass' : 'FAIL';
  return {
    count: ms.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max,
    statuses,
    target: `each ≤ ${WRITE_BUDGET_MS} ms (write budget)`,
    verdict,
  };
}

/**
 * The RSS target is the production build's (dist/, the Dockerfile's heap flags). A service run from
 * the sources through tsx (`--server tsx`) also holds the loader and its transforms: its figure only
 * indicates, and cannot pass or fail.
 */
export function judgeMemory(
  role: ServerRole,
  peakRssMb: number | undefined,
  sampledMaxRssMb: number | undefined,
  server: 'compiled' | 'tsx' = 'compiled',
): ServerMemory {
  if (peakRssMb === undefined) return { role, peakRssMb, sampledMaxRssMb, verdict: '-' };
  const met = peakRssMb <= RSS_TARGET_MB;
  if (server === 'tsx') {
    const note = `run through tsx (--server tsx), whose loader adds ~45 MB; the target applies to the compiled service; the figure ${met ? 'meets' : 'misses'} it`;
    return { role, peakRssMb, sampledMaxRssMb, verdict: 'indicative', note };
  }
  return { role, peakRssMb, sampledMaxRssMb, verdict: met ? 'pass' : 'FAIL' };
}

/** True when every target that applies to this run was met (indicative ones cannot be: they apply to larger corpora). */
export function allTargetsMet(outcomes: ScenarioOutcome[], memory: ServerMemory[], others: { verdict: Verdict }[] = []): boolean {
  return [...outcomes, ...memory, ...others].every((o) => o.verdict === 'pass' || o.verdict === 'indicative' || o.verdict === '-');
}
