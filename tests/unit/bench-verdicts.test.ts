import { buildCatalog } from '../../bench/corpus/catalog.js';
import { buildVocabulary } from '../../bench/corpus/vocabulary.js';
import { percentile } from '../../bench/load/percentile.js';
import type { LoadResult } from '../../bench/load/run-load.js';
import { costlySearches } from '../../bench/load/costly-searches.js';
import { allTargetsMet, judgeEditorWrites, judgeFirstRequest, judgeMemory, judgeScenario, reportCostlySearch } from '../../bench/report/evaluate.js';
import { formatTable } from '../../bench/report/print-table.js';
import { median } from '../../bench/report/repetitions.js';
import { SCENARIOS, type Scenario } from '../../bench/scenarios.js';

// The benchmark's judgement must be right even when nobody reads the figures closely.

const scenario = (id: string): Scenario => SCENARIOS.find((s) => s.id === id) as Scenario;

const slowP99 = { p50: 20, p90: 40, p99: 60, max: 70 };
const p99 = (ms: number) => ({ p50: 2, p90: 5, p99: ms, max: ms + 10 });

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
    const outcome = judgeScenario(scenario('cached-list'), [load({ rps: 4000 })], 10_000, 1_000_000, 1);

    expect(outcome).toMatchObject({ anchorRatio: 0.4, verdict: 'FAIL' });
  });

  test('when a scenario met its p99 and ratio, then it passes', () => {
    expect(judgeScenario(scenario('cached-list'), [load({ rps: 6000 })], 10_000, 1_000_000, 1).verdict).toBe('pass');
  });

  test('when any answer was not 2xx, then the figures do not count: ERRORS', () => {
    const outcome = judgeScenario(scenario('slug'), [load({ non2xx: 3, statusCounts: { 200: 9997, 503: 3 } })], undefined, 1_000_000, 1);

    expect(outcome.verdict).toBe('ERRORS');
    expect(outcome.note).toContain('503');
  });

  test('when more than 1% of requests were still open at the end, then the p99 of the rest cannot pass', () => {
    const outcome = judgeScenario(scenario('search-relevance'), [load({ requests: 500, unfinished: 16, latencyMs: slowP99 })], undefined, 1_000_000, 1);

    expect(outcome.verdict).toBe('FAIL');
  });

  test('when the corpus has fewer than 10,000 reviews, then the verdict is indicative, never FAIL, and says whether the figures meet it', () => {
    const slow = judgeScenario(scenario('slug'), [load({ latencyMs: slowP99 })], undefined, 2_000, 1);
    const fast = judgeScenario(scenario('slug'), [load({})], undefined, 9_999, 1);

    expect(slow).toMatchObject({ verdict: 'indicative', indicative: true, note: 'at 2,000 reviews the figures miss "p99 ≤ 25 ms"' });
    expect(fast).toMatchObject({ verdict: 'indicative', note: 'at 9,999 reviews the figures meet "p99 ≤ 25 ms"' });
    expect(judgeScenario(scenario('compare'), [load({})], undefined, 2_000, 1)).toMatchObject({ verdict: 'pass', indicative: false });
  });

  test.each([
    ['10,000', 10_000],
    ['20,000', 20_000],
    ['1,000,000', 1_000_000],
  ])('when the corpus has %s reviews (10,000 or more), then the targets apply: a slow p99 fails', (_label, reviews) => {
    expect(judgeScenario(scenario('slug'), [load({ latencyMs: slowP99 })], undefined, reviews, 1).verdict).toBe('FAIL');
    expect(judgeScenario(scenario('slug'), [load({})], undefined, reviews, 1).verdict).toBe('pass');
  });

  test.each([
    ['search-newest', 25],
    ['search-filtered-newest', 25],
    ['search-relevance', 100],
    ['search-filtered-relevance', 100],
  ])('when %s has a p99 just over %i ms at 20,000 reviews, then it fails; at the limit, it passes', (id, limit) => {
    expect(judgeScenario(scenario(id), [load({ latencyMs: p99(limit + 0.01) })], undefined, 20_000, 1).verdict).toBe('FAIL');
    expect(judgeScenario(scenario(id), [load({ latencyMs: p99(limit) })], undefined, 20_000, 1).verdict).toBe('pass');
  });

  test('when the anchor (no target) ends a short run with many requests open, then it is not judged: "-" with a note, not FAIL', () => {
    const outcome = judgeScenario(scenario('anchor'), [load({ requests: 3000, unfinished: 64 })], undefined, 2_000, 1);

    expect(outcome.verdict).toBe('-');
    expect(outcome.note).toContain('p99 is only a lower bound');
  });

  test('when only indicative targets are missed, then all targets that apply are met; the table says targets apply from 10,000 reviews', () => {
    const outcomes = [
      judgeScenario(scenario('anchor'), [load({ rps: 10_000 })], undefined, 2_000, 1),
      judgeScenario(scenario('slug'), [load({ latencyMs: slowP99 })], undefined, 2_000, 1),
    ];
    const table = formatTable(outcomes, [], 2_000);

    expect(allTargetsMet(outcomes, [])).toBe(true);
    expect(table).toMatch(/^slug .* indicative$/m);
    expect(table).toContain('indicative: targets apply from 10,000 reviews; this corpus has 2,000');
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

describe('bench repetitions (--repeat)', () => {
  test('when the count is odd, then the median is the middle value; when even, the mean of the middle two', () => {
    expect([median([9, 1, 5]), median([4, 1, 3, 2]), median([7]), median([])]).toEqual([5, 2.5, 7, 0]);
  });

  test('when one repetition of three is slow, then the median p99 is judged and passes; the range shows the slow one', () => {
    const outcome = judgeScenario(
      scenario('search-newest'),
      [load({ latencyMs: p99(20) }), load({ latencyMs: p99(80) }), load({ latencyMs: p99(22) })],
      undefined,
      20_000,
      1,
    );

    expect(outcome).toMatchObject({ verdict: 'pass', figures: { repetitions: 3, p99: 22, p99Range: { min: 20, max: 80 } } });
    expect(outcome.repetitions).toHaveLength(3);
  });

  test('when two repetitions of three are slow, then the median misses the target: FAIL', () => {
    const runs = [load({ latencyMs: p99(30) }), load({ latencyMs: p99(8) }), load({ latencyMs: p99(40) })];

    expect(judgeScenario(scenario('search-newest'), runs, undefined, 20_000, 1)).toMatchObject({ verdict: 'FAIL', figures: { p99: 30 } });
  });

  test('when a ratio target applies, then the median req/s is judged against the anchor', () => {
    const runs = [load({ rps: 4000 }), load({ rps: 6000 }), load({ rps: 7000 })];

    expect(judgeScenario(scenario('cached-list'), runs, 10_000, 1_000_000, 1)).toMatchObject({
      anchorRatio: 0.6,
      verdict: 'pass',
      figures: { rps: 6000, rpsRange: { min: 4000, max: 7000 } },
    });
  });

  test('when any repetition had an error answer, then the scenario is ERRORS, with the statuses of all repetitions', () => {
    const runs = [load({}), load({ non2xx: 1, statusCounts: { 200: 9999, 500: 1 } })];
    const outcome = judgeScenario(scenario('slug'), runs, undefined, 20_000, 1);

    expect(outcome).toMatchObject({ verdict: 'ERRORS', figures: { non2xx: 1, statusCounts: { 200: 19_999, 500: 1 } } });
  });

  test('when any repetition ended with over 1% of its requests open, then the median cannot pass, and the note names the repetition', () => {
    const outcome = judgeScenario(scenario('slug'), [load({}), load({ requests: 500, unfinished: 16 }), load({})], undefined, 20_000, 1);

    expect(outcome.verdict).toBe('FAIL');
    expect(outcome.note).toBe('repetition 2: 16 request(s) still open at the end, 500 answered: p99 is only a lower bound (run longer)');
  });

  test('when scenarios were repeated, then the table prints the median with the min–max of p99 and req/s beside it', () => {
    const outcome = judgeScenario(
      scenario('search-newest'),
      [load({ rps: 900, latencyMs: p99(20) }), load({ rps: 1100, latencyMs: p99(24) })],
      undefined,
      20_000,
      1,
    );
    const table = formatTable([outcome], [], 20_000);

    expect(table).toMatch(/^medians of 2 repetitions/);
    expect(table).toMatch(/^scenario +conns +req\/s +req\/s min–max +requests +p50 ms +p99 ms +p99 min–max /m);
    expect(table).toMatch(/^search-newest +16 +1000 +900–1100 +10000 +2\.00 +22\.0 +20\.0–24\.0 .* pass$/m);
    expect(formatTable([judgeScenario(scenario('slug'), [load({})], undefined, 20_000, 1)], [], 20_000)).not.toContain('min–max');
  });
});

describe('bench cold start: the first request after a start', () => {
  test('when a first request takes over the 100 ms read budget, then it fails and the run misses a target; within it, it passes', () => {
    const slow = judgeFirstRequest({ kind: 'relevance', path: '/v1/content?q=wide&sort=relevance', status: 200, ms: 140 });
    const fast = judgeFirstRequest({ kind: 'newest', path: '/v1/content?q=wide&sort=newest', status: 200, ms: 100 });

    expect([slow.verdict, fast.verdict]).toEqual(['FAIL', 'pass']);
    expect(allTargetsMet([], [], [fast])).toBe(true);
    expect(allTargetsMet([], [], [fast, slow])).toBe(false);
  });

  test('when a first request is not answered 200, then it is ERRORS however fast', () => {
    expect(judgeFirstRequest({ kind: 'two-word', path: '/v1/content?q=a+b&sort=relevance', status: 500, ms: 3 }).verdict).toBe('ERRORS');
  });

  test('when there are cold figures, then the table prints them in their own rows with the read budget', () => {
    const table = formatTable([], [], 2_000, [
      judgeFirstRequest({ kind: 'filtered newest', path: '/v1/content?q=wide&type=lens&sort=newest', status: 200, ms: 41.5 }),
    ]);

    expect(table).toMatch(/^cold: first request after start +ms +status +target +result +request$/m);
    expect(table).toMatch(/^filtered newest +41\.5 +200 +≤ 100 ms \(read budget\) +pass +\/v1\/content\?q=wide&type=lens&sort=newest$/m);
  });
});

describe('bench costly searches: reported, not judged', () => {
  const terms = [
    { query: 'lofoten', kind: 'rare' as const },
    { query: 'price', kind: 'common' as const },
    { query: 'prime', kind: 'common' as const },
  ];
  const catalog = { types: ['camera', 'lens'], brands: ['Nikon'], mounts: ['Z'], editors: [] };

  test('when built from the drawn terms, then each negates a common word or quotes two as a phrase, with a brand where it says so', () => {
    const paths = costlySearches(terms, catalog).map((s) => decodeURIComponent(s.path.replace(/\+/g, ' ')));

    expect(paths).toEqual([
      '/v1/content?q=price -price&sort=relevance',
      '/v1/content?q=price -price&sort=newest',
      '/v1/content?q=price -price&brand=Nikon&sort=newest',
      '/v1/content?q="price prime"&brand=Nikon&sort=newest',
    ]);
  });

  test('when one is answered 200 or cut short with 503, then it is reported whatever its time; any other answer is ERRORS and misses the run', () => {
    const cut = reportCostlySearch({ kind: 'negation', path: '/v1/content?q=a+-a&sort=relevance', status: 503, ms: 508 });
    const crashed = reportCostlySearch({ kind: 'negation', path: '/v1/content?q=a+-a&sort=relevance', status: 500, ms: 3 });

    expect([cut.verdict, crashed.verdict]).toEqual(['-', 'ERRORS']);
    expect(allTargetsMet([], [], [cut])).toBe(true);
    expect(allTargetsMet([], [], [cut, crashed])).toBe(false);
    expect(formatTable([], [], 1_000_000, [], [cut])).toMatch(/^negation +508\.0 +503 +\(reported\) +- +\/v1\/content\?q=a\+-a&sort=relevance$/m);
  });
});

describe('bench editor writes: each within the write budget', () => {
  const times = (slowest: number) => [...Array.from({ length: 199 }, (_, i) => 3 + i / 100), slowest];

  test('when every write answers 201 and the slowest within 500 ms, then they pass, with their percentiles in the table', () => {
    const writes = judgeEditorWrites({ ms: times(480), statuses: { 201: 200 } });

    expect(writes).toMatchObject({ count: 200, p50: 3.99, p99: 4.97, max: 480, verdict: 'pass' });
    expect(allTargetsMet([], [], writes ? [writes] : [])).toBe(true);
    expect(formatTable([], [], 1_000_000, [], [], writes ? [writes] : [])).toMatch(
      /^200 published reviews +3\.99 +4\.97 +480\.0 +201×200 +each ≤ 500 ms \(write budget\) +pass$/m,
    );
  });

  test('when one write in 200 takes longer than the budget, then they fail, though the p99 is within it', () => {
    const writes = judgeEditorWrites({ ms: times(536), statuses: { 201: 200 } });

    expect(writes).toMatchObject({ p99: 4.97, max: 536, verdict: 'FAIL' });
    expect(allTargetsMet([], [], writes ? [writes] : [])).toBe(false);
  });

  test('when a write is refused, then they are ERRORS however fast', () => {
    expect(judgeEditorWrites({ ms: times(5), statuses: { 201: 199, 429: 1 } })?.verdict).toBe('ERRORS');
  });

  test('when no write was made (--writes 0), then there is nothing to judge', () => {
    expect(judgeEditorWrites({ ms: [], statuses: {} })).toBeUndefined();
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
