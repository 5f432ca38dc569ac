import { buildCatalog } from '../../bench/corpus/catalog.js';
import { buildVocabulary } from '../../bench/corpus/vocabulary.js';
import { percentile } from '../../bench/load/percentile.js';
import type { LoadResult } from '../../bench/load/run-load.js';
import { allTargetsMet, judgeMemory, judgeScenario } from '../../bench/report/evaluate.js';
import { formatTable } from '../../bench/report/print-table.js';
import { SCENARIOS, type Scenario } from '../../bench/scenarios.js';

// The benchmark's judgement must be right even when nobody reads the figures closely.

const scenario = (id: string): Scenario => SCENARIOS.find((s) => s.id === id) as Scenario;

function load(overrides: Partial<LoadResult>): LoadResult {
  return {
    requests: 10_000,
    durationSeconds: 10,
    rps: 1000,
    latencyMs: { p50: 2, p90: 5, p99: 8, max: 20 },
    statusCounts: { 200: 10_000 },
    unfinished: 16,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    serverRssMaxMb: 100,
    ...overrides,
  };
}

describe('bench verdicts', () => {
  test('when the cached read is fast but under half the anchor, then it fails', () => {
    const outcome = judgeScenario(scenario('cached-list'), load({ rps: 4000 }), 10_000, 1_000_000, 1);

    expect(outcome).toMatchObject({ anchorRatio: 0.4, verdict: 'FAIL' });
  });

  test('when a scenario met its p99 and ratio, then it passes', () => {
    expect(judgeScenario(scenario('cached-list'), load({ rps: 6000 }), 10_000, 1_000_000, 1).verdict).toBe('pass');
  });

  test('when any answer was not 2xx, then the figures do not count: ERRORS', () => {
    const outcome = judgeScenario(scenario('slug'), load({ non2xx: 3, statusCounts: { 200: 9997, 503: 3 } }), undefined, 1_000_000, 1);

    expect(outcome.verdict).toBe('ERRORS');
    expect(outcome.note).toContain('503');
  });

  test('when more than 1% of requests were still open at the end, then the p99 of the rest cannot pass', () => {
    const outcome = judgeScenario(
      scenario('search-relevance'),
      load({ requests: 500, unfinished: 16, latencyMs: { p50: 20, p90: 40, p99: 60, max: 70 } }),
      undefined,
      1_000_000,
      1,
    );

    expect(outcome.verdict).toBe('FAIL');
  });

  test('when the corpus is smaller than the target is defined for, then the verdict is indicative, never FAIL, and says whether the figures meet it', () => {
    const slow = judgeScenario(scenario('slug'), load({ latencyMs: { p50: 20, p90: 40, p99: 60, max: 70 } }), undefined, 2_000, 1);
    const fast = judgeScenario(scenario('slug'), load({}), undefined, 2_000, 1);

    expect(slow).toMatchObject({ verdict: 'indicative', indicative: true, note: 'at 2,000 reviews the figures miss "p99 ≤ 25 ms at 1M"' });
    expect(fast).toMatchObject({ verdict: 'indicative', note: 'at 2,000 reviews the figures meet "p99 ≤ 25 ms at 1M"' });
    expect(judgeScenario(scenario('compare'), load({}), undefined, 2_000, 1)).toMatchObject({ verdict: 'pass', indicative: false });
  });

  test('when the corpus is the size the target is set for, then a slow p99 fails', () => {
    expect(judgeScenario(scenario('slug'), load({ latencyMs: { p50: 20, p90: 40, p99: 60, max: 70 } }), undefined, 1_000_000, 1).verdict).toBe('FAIL');
  });

  test('when the anchor (no target) ends a short run with many requests open, then it is not judged: "-" with a note, not FAIL', () => {
    const outcome = judgeScenario(scenario('anchor'), load({ requests: 3000, unfinished: 64 }), undefined, 2_000, 1);

    expect(outcome.verdict).toBe('-');
    expect(outcome.note).toContain('p99 is only a lower bound');
  });

  test('when only indicative targets are missed, then all targets that apply are met; the table says the target applies at 1M', () => {
    const outcomes = [
      judgeScenario(scenario('anchor'), load({ rps: 10_000 }), undefined, 2_000, 1),
      judgeScenario(scenario('slug'), load({ latencyMs: { p50: 20, p90: 40, p99: 60, max: 70 } }), undefined, 2_000, 1),
    ];
    const table = formatTable(outcomes, [], 2_000);

    expect(allTargetsMet(outcomes, [])).toBe(true);
    expect(table).toMatch(/^slug .* indicative, target applies at 1M$/m);
    expect(table).not.toMatch(/FAIL/);
  });

  test('when the service ran through tsx, then its RSS only indicates (the target is the compiled build); compiled, over 150 MB fails', () => {
    const throughTsx = judgeMemory('cache-on', 168, 158, 'tsx');
    const compiled = judgeMemory('cache-on', 168, 158, 'compiled');
    const table = formatTable([], [throughTsx], 2_000);

    expect(throughTsx.verdict).toBe('indicative');
    expect(allTargetsMet([], [throughTsx])).toBe(true);
    expect(table).toMatch(/peak RSS, cache-on server: 168 MB .* indicative \(run through tsx .* misses it\)$/m);
    expect(table).not.toMatch(/FAIL/);
    expect(compiled.verdict).toBe('FAIL');
    expect(allTargetsMet([], [compiled])).toBe(false);
    expect(judgeMemory('cache-on', 140, 130, 'compiled').verdict).toBe('pass');
  });

  test('percentile is nearest-rank over sorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);

    expect([percentile(values, 50), percentile(values, 99), percentile(values, 100), percentile([], 99)]).toEqual([50, 99, 100, 0]);
  });
});

describe('bench corpus generators', () => {
  test('the catalog has unique (brand, model) pairs, as the products table demands', () => {
    const keys = buildCatalog(5000).map((p) => `${p.brand}|${p.model}`.toLowerCase());

    expect(new Set(keys).size).toBe(5000);
  });

  test('the vocabulary has the requested size and no repeated word', () => {
    const { words } = buildVocabulary(20_000);

    expect(words).toHaveLength(20_000);
    expect(new Set(words).size).toBe(20_000);
  });
});
