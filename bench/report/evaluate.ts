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
  if (load.non2xx > 0 || load.errors > 0) verdict = 'ERRORS';
  else if (target) {
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
