import type { DrawnTerm } from '../corpus/term-bands.js';
import { seededRandom } from '../corpus/seeded-random.js';
import type { CatalogValues } from './catalog-values.js';

// The searches the search scenarios send: every drawn term (rare names, two-word queries, common
// words) alone and with one filter, each newest first and by relevance.

export type SearchPools = {
  searchNewest: string[];
  searchRelevance: string[];
  searchFilteredNewest: string[];
  searchFilteredRelevance: string[];
};

type Filter = Record<string, string>;
type Search = { term: DrawnTerm; filter: Filter };

/** Values drawn per term and filter kind: two brands or editors per term rather than one. */
const DRAWS_PER_FILTER = 2;

/** Filter values are drawn with `seed` (the terms seed), so another seed pairs terms with other brands and editors too. */
export function buildSearchPools(terms: DrawnTerm[], catalog: CatalogValues, seed: number): SearchPools {
  const filtered = filteredSearches(terms, catalog, seed);
  const paths = (searches: Search[], sort: string) => [...new Set(searches.map((s) => searchPath(s, sort)))];
  return {
    searchNewest: paths(unfiltered(terms), 'newest'),
    searchRelevance: paths(unfiltered(terms), 'relevance'),
    searchFilteredNewest: paths(filtered, 'newest'),
    searchFilteredRelevance: paths(filtered, 'relevance'),
  };
}

/**
 * The first request of each search kind, taken from the same pools. A common word (about a quarter
 * of the corpus) is the heaviest search of each kind, and a two-word query ranked by relevance the
 * heaviest two-word one: the cold figures are worst cases.
 */
export function coldStartRequests(terms: DrawnTerm[], catalog: CatalogValues, seed: number): { kind: string; path: string }[] {
  const common = (s: Search) => s.term.kind === 'common';
  const plain = unfiltered(terms).find(common);
  const withFilter = filteredSearches(terms, catalog, seed).find(common);
  const twoWord = unfiltered(terms).find((s) => s.term.kind === 'two-word');
  const requests: [string, Search | undefined, string][] = [
    ['newest', plain, 'newest'],
    ['relevance', plain, 'relevance'],
    ['filtered newest', withFilter, 'newest'],
    ['filtered relevance', withFilter, 'relevance'],
    ['two-word', twoWord, 'relevance'],
  ];
  return requests.flatMap(([kind, search, sort]) => (search ? [{ kind, path: searchPath(search, sort) }] : []));
}

function unfiltered(terms: DrawnTerm[]): Search[] {
  return terms.map((term) => ({ term, filter: {} }));
}

/** Each term with a product type, a brand and an editor, the values drawn from what the catalog holds. */
function filteredSearches(terms: DrawnTerm[], catalog: CatalogValues, seed: number): Search[] {
  const random = seededRandom(seed);
  const pick = (items: string[]): string => items[Math.floor(random() * items.length)] ?? '';
  const filters: (() => Filter)[] = [() => ({ type: pick(catalog.types) }), () => ({ brand: pick(catalog.brands) }), () => ({ editor: pick(catalog.editors) })];
  return terms.flatMap((term) => filters.flatMap((filter) => Array.from({ length: DRAWS_PER_FILTER }, () => ({ term, filter: filter() }))));
}

function searchPath({ term, filter }: Search, sort: string): string {
  return `/v1/content?${new URLSearchParams({ q: term.query, ...filter, sort })}`;
}
