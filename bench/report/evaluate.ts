import type { LoadResult } from '../load/run-load.js';
import { RSS_TARGET_MB, type Scenario, type ServerRole } from '../scenarios.js';

export type Verdict = 'pass' | 'FAIL' | 'ERRORS' | '-';

export type ScenarioOutcome = {
  id: string;
  label: string;
  server: ServerRole;
  connections: number;
  poolSize: number;
  load: LoadResult;
  anchorRatio: number | undefined;
  target: string | undefined;
  verdict: Verdict;
  /** The target is defined at another corpus size: the verdict only indicates. */
  indicative: boolean;
  /** Why the verdict is not what the figures alone suggest. */
  note: string | undefined;
};

export type ServerMemory = { role: ServerRole; peakRssMb: number | undefined; sampledMaxRssMb: number | undefined; verdict: Verdict };

/**
 * Judges one measurement. Non-2xx answers or socket errors make it ERRORS whatever the figures
 * say: an error answered fast inflates req/s, so those figures do not measure the read path.
 */
export function judgeScenario(scenario: Scenario, load: LoadResult, anchorRps: number | undefined, reviews: number, poolSize: number): ScenarioOutcome {
  const anchorRatio = anchorRps ? Math.round((load.rps / anchorRps) * 1000) / 1000 : undefined;
  const target = scenario.target;
  let verdict: Verdict = '-';
  let note: string | undefined;
  const unanswered = load.unfinished / Math.max(1, load.requests + load.unfinished);
  if (load.non2xx > 0 || load.errors > 0) {
    verdict = 'ERRORS';
    note = `status ${JSON.stringify(load.statusCounts)}, ${load.errors} socket errors (${load.timeouts} timeouts)`;
  } else if (load.requests === 0 || unanswered > 0.01) {
    // Requests still open at the end are missing from the percentiles, and they are the slow ones
    // (a long request is the likeliest to be in flight). Past 1% of the sample they could all sit
    // above the p99, so it proves nothing: no pass, whatever it says.
    verdict = 'FAIL';
    note = `${load.unfinished} request(s) still open at the end, ${load.requests} answered: p99 is only a lower bound (run longer)`;
  } else if (target) {
    const p99Ok = target.maxP99Ms === undefined || load.latencyMs.p99 <= target.maxP99Ms;
    const ratioOk = target.minAnchorRatio === undefined || (anchorRatio !== undefined && anchorRatio >= target.minAnchorRatio);
    verdict = p99Ok && ratioOk ? 'pass' : 'FAIL';
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
    verdict,
    indicative: target?.atReviews !== undefined && target.atReviews !== reviews,
    note,
  };
}

export function judgeMemory(role: ServerRole, peakRssMb: number | undefined, sampledMaxRssMb: number | undefined): ServerMemory {
  const verdict: Verdict = peakRssMb === undefined ? '-' : peakRssMb <= RSS_TARGET_MB ? 'pass' : 'FAIL';
  return { role, peakRssMb, sampledMaxRssMb, verdict };
}

/** True when every judged figure met its target (indicative ones included: they are all we have). */
export function allTargetsMet(outcomes: ScenarioOutcome[], memory: ServerMemory[]): boolean {
  return [...outcomes, ...memory].every((o) => o.verdict === 'pass' || o.verdict === '-');
}
