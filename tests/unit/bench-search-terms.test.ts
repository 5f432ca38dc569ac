import { drawSearchTerms, TERM_BANDS, type DrawnTerm } from '../../bench/corpus/term-bands.js';
import type { CatalogValues } from '../../bench/load/catalog-values.js';
import { buildSearchPools, coldStartRequests } from '../../bench/load/search-pools.js';

// The search terms are drawn from frequency bands with a seed, so the targets are checked on terms
// nobody tuned the search to; the pools send each of them alone and with one filter.

/** A vocabulary whose words span every band: 40 rare names, 200 plain words from 0.1% to 40%, and words that are not plain. */
const rareNames = Array.from({ length: 40 }, (_, i) => `place${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
const plainWords = Array.from({ length: 200 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
const vocabulary = { rareNames, commonWords: [...plainWords, 'micro-contrast', '4:2:2'] };
const frequency = new Map<string, number>([
  ...rareNames.map((w, i): [string, number] => [w, i === 0 ? 0 : (i / 40) * 0.01]),
  ...plainWords.map((w, i): [string, number] => [w, 0.001 + (i / 200) * 0.4]),
  ['micro-contrast', 0.25],
  ['4:2:2', 0.05],
]);

const share = (word: string) => frequency.get(word) ?? -1;
const within = (word: string, band: { min: number; max: number }) => share(word) >= band.min && share(word) <= band.max;
const queries = (terms: DrawnTerm[]) => terms.map((t) => t.query);

describe('bench search terms: drawn by frequency band with a seed', () => {
  test('when drawn with the same seed twice, then the terms are the same', () => {
    expect(drawSearchTerms(frequency, vocabulary, 7)).toEqual(drawSearchTerms(frequency, vocabulary, 7));
  });

  test('when drawn with different seeds, then the terms differ', () => {
    const drawn = [1, 2, 3, 7, 42].map((seed) => queries(drawSearchTerms(frequency, vocabulary, seed)).join('|'));

    expect(new Set(drawn).size).toBe(5);
  });

  test('when drawn, then each band gives its count of queries: 6 rare names, 4 two-word queries, 4 common words', () => {
    const terms = drawSearchTerms(frequency, vocabulary, 1);
    const count = (kind: DrawnTerm['kind']) => terms.filter((t) => t.kind === kind).length;

    expect([count('rare'), count('two-word'), count('common')]).toEqual([TERM_BANDS.rare.queries, TERM_BANDS['two-word'].queries, TERM_BANDS.common.queries]);
    expect([count('rare'), count('two-word'), count('common')]).toEqual([6, 4, 4]);
  });

  test.each([1, 2, 99])('when drawn with seed %i, then every word lies in its band and no word repeats', (seed) => {
    const terms = drawSearchTerms(frequency, vocabulary, seed);
    const words = terms.flatMap((t) => t.query.split(' '));

    for (const t of terms.filter((t) => t.kind === 'rare')) expect(rareNames.includes(t.query) && within(t.query, TERM_BANDS.rare)).toBe(true);
    for (const t of terms.filter((t) => t.kind === 'common')) expect(plainWords.includes(t.query) && within(t.query, TERM_BANDS.common)).toBe(true);
    for (const t of terms.filter((t) => t.kind === 'two-word')) {
      const pair = t.query.split(' ');
      expect(pair).toHaveLength(2);
      for (const word of pair) expect(plainWords.includes(word) && within(word, TERM_BANDS['two-word'])).toBe(true);
    }
    expect(new Set(words).size).toBe(words.length);
  });

  test('when a rare name never occurs in the sample, then it is never drawn (a query that finds nothing)', () => {
    const drawn = Array.from({ length: 20 }, (_, seed) => queries(drawSearchTerms(frequency, vocabulary, seed))).flat();

    expect(drawn).not.toContain(rareNames[0]);
  });

  test('when a band holds fewer words than it asks for, then all of them are drawn and nothing from outside it', () => {
    const commonBand = plainWords.filter((w) => within(w, TERM_BANDS.common));
    const kept = commonBand.slice(0, 2);
    const sparse = new Map([...frequency].filter(([word]) => !commonBand.includes(word) || kept.includes(word)));
    const common = drawSearchTerms(sparse, vocabulary, 1).filter((t) => t.kind === 'common');

    expect(queries(common).sort()).toEqual([...kept].sort());
  });
});

describe('bench search pools', () => {
  const catalog: CatalogValues = {
    types: ['camera', 'lens'],
    brands: ['Canon', 'Fujifilm', 'Nikon', 'OM System', 'Sony'],
    mounts: ['E', 'X'],
    editors: ['0b6e1d9e-0000-4000-8000-000000000001', '0b6e1d9e-0000-4000-8000-000000000002', '0b6e1d9e-0000-4000-8000-000000000003'],
  };
  const terms: DrawnTerm[] = [
    { query: 'lofoten', kind: 'rare' },
    { query: 'tripod vignetting', kind: 'two-word' },
    { query: 'wide', kind: 'common' },
  ];
  const params = (path: string) => Object.fromEntries(new URL(path, 'http://x').searchParams);

  test('when built, then every term, two-word queries included, is searched newest first and by relevance, alone and with a type, a brand and an editor', () => {
    const pools = buildSearchPools(terms, catalog, 1);

    expect(pools.searchNewest.map(params)).toEqual(terms.map((t) => ({ q: t.query, sort: 'newest' })));
    expect(pools.searchRelevance.map(params)).toEqual(terms.map((t) => ({ q: t.query, sort: 'relevance' })));
    for (const [pool, sort] of [
      [pools.searchFilteredNewest, 'newest'],
      [pools.searchFilteredRelevance, 'relevance'],
    ] as const) {
      for (const term of terms) {
        const filters = pool.map(params).filter((p) => p.q === term.query && p.sort === sort);
        expect(filters.some((p) => catalog.types.includes(p.type ?? '') && Object.keys(p).length === 3)).toBe(true);
        expect(filters.some((p) => catalog.brands.includes(p.brand ?? '') && Object.keys(p).length === 3)).toBe(true);
        expect(filters.some((p) => catalog.editors.includes(p.editor ?? '') && Object.keys(p).length === 3)).toBe(true);
      }
    }
  });

  test('when built with the same seed, then the pools are the same; with another seed, other filter values', () => {
    expect(buildSearchPools(terms, catalog, 1)).toEqual(buildSearchPools(terms, catalog, 1));
    expect(buildSearchPools(terms, catalog, 1).searchFilteredNewest).not.toEqual(buildSearchPools(terms, catalog, 2).searchFilteredNewest);
  });

  test('when the cold requests are chosen, then there is one of each search kind, the common word for the plain and filtered ones, each taken from the pools', () => {
    const pools = buildSearchPools(terms, catalog, 3);
    const cold = coldStartRequests(terms, catalog, 3);

    expect(cold.map((c) => c.kind)).toEqual(['newest', 'relevance', 'filtered newest', 'filtered relevance', 'two-word']);
    expect(cold.map((c) => params(c.path).q)).toEqual(['wide', 'wide', 'wide', 'wide', 'tripod vignetting']);
    const all = [...pools.searchNewest, ...pools.searchRelevance, ...pools.searchFilteredNewest, ...pools.searchFilteredRelevance];
    for (const { path } of cold) expect(all).toContain(path);
  });
});
