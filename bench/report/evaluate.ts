import type { LoadResult } from '../load/run-load.js';
import { RSS_TARGET_MB, type Scenario, type ServerRole } from '../scenarios.js';

/** `indicative`: the target is set for another corpus size, so these figures cannot pass or fail it. */
export type Verdict = 'pass' | 'FAIL' | 'ERRORS' | 'indicative' | '-';

export type ScenarioOutcome = {
  id: string;
  label: string;
  server: ServerRole;
  connections: number;
  poolSize: number;
  load: LoadResult;
  anchorRatio: number | undefined;
  target: string | undefined;
  /** The corpus size the target is set for; undefined: any size. */
  targetReviews: number | undefined;
  verdict: Verdict;
  /** The target is defined at another corpus size: the verdict only indicates. */
  indicative: boolean;
  /** Why the verdict is not what the figures alone suggest. */
  note: string | undefined;
};

export type ServerMemory = { role: ServerRole; peakRssMb: number | undefined; sampledMaxRssMb: number | undefined; verdict: Verdict; note?: string };

/**
 * Judges one measurement. Non-2xx answers or socket errors make it ERRORS whatever the figures
 * say: an error answered fast inflates req/s, so those figures do not measure the read path.
 * Only a target that applies to this run can FAIL: none for the anchor, and a target set at
 * another corpus size is `indicative` (its note says whether the figures would meet it).
 */
export function judgeScenario(scenario: Scenario, load: LoadResult, anchorRps: number | undefined, reviews: number, poolSize: number): ScenarioOutcome {
  const anchorRatio = anchorRps ? Math.round((load.rps / anchorRps) * 1000) / 1000 : undefined;
  const target = scenario.target;
  const indicative = target?.atReviews !== undefined && target.atReviews !== reviews;
  let verdict: Verdict = '-';
  let note: string | undefined;
  const unanswered = load.unfinished / Math.max(1, load.requests + load.unfinished);
  // Requests still open at the end are missing from the percentiles, and they are the slow ones
  // (a long request is the likeliest to be in flight). Past 1% of the sample they could all sit
  // above the p99, so it proves nothing: no pass, whatever it says.
  const lowerBound = load.requests === 0 || unanswered > 0.01;
  const lowerBoundNote = `${load.unfinished} request(s) still open at the end, ${load.requests} answered: p99 is only a lower bound (run longer)`;
  if (load.non2xx > 0 || load.errors > 0) {
    verdict = 'ERRORS';
    note = `status ${JSON.stringify(load.statusCounts)}, ${load.errors} socket errors (${load.timeouts} timeouts)`;
  } else if (!target) {
    note = lowerBound ? lowerBoundNote : undefined;
  } else {
    const p99Ok = target.maxP99Ms === undefined || load.latencyMs.p99 <= target.maxP99Ms;
    const ratioOk = target.minAnchorRatio === undefined || (anchorRatio !== undefined && anchorRatio >= target.minAnchorRatio);
    const met = p99Ok && ratioOk && !lowerBound;
    if (indicative) {
      verdict = 'indicative';
      note = `at ${reviews.toLocaleString('en')} reviews the figures ${met ? 'meet' : 'miss'} "${target.text}"${lowerBound ? `; ${lowerBoundNote}` : ''}`;
    } else {
      verdict = met ? 'pass' : 'FAIL';
      note = lowerBound ? lowerBoundNote : undefined;
    }
  }
  return {
    id: scenario.id,
    label: scenario.label,
    server: scenario.server,
    connections: scenario.connections,
    poolSize,
    load,
    anchorRatio,
    target: target?.text,
    targetReviews: target?.atReviews,
    verdict,
    indicative,
    note,
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

/** True when every target that applies to this run was met (indicative ones cannot be: they apply at another size). */
export function allTargetsMet(outcomes: ScenarioOutcome[], memory: ServerMemory[]): boolean {
  return [...outcomes, ...memory].every((o) => o.verdict === 'pass' || o.verdict === 'indicative' || o.verdict === '-');
}
