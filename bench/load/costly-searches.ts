import type { DrawnTerm } from '../corpus/term-bands.js';
import type { CatalogValues } from './catalog-values.js';

// Searches built to cost far more than the pools' (ADR 0041): a word with its own negation matches
// nothing while looking common, so a plan that walks the newest reviews for matches reads them all;
// a phrase of two common words is rare while each word is not. Anyone can send them: the bench
// reports how long each takes and what it answers (the public read statement timeout cuts a
// statement at 500 ms by default).

export function costlySearches(terms: DrawnTerm[], catalog: CatalogValues): { kind: string; path: string }[] {
  const [word, other] = terms.filter((t) => t.kind === 'common').map((t) => t.query);
  const brand = catalog.brands[0];
  if (!word || !other || !brand) return [];
  const search = (params: Record<string, string>) => `/v1/content?${new URLSearchParams(params)}`;
  return [
    { kind: 'a word and its negation, by relevance', path: search({ q: `${word} -${word}`, sort: 'relevance' }) },
    { kind: 'a word and its negation, newest first', path: search({ q: `${word} -${word}`, sort: 'newest' }) },
    { kind: 'the same with a brand, newest first', path: search({ q: `${word} -${word}`, brand, sort: 'newest' }) },
    { kind: 'a phrase of two common words, with a brand', path: search({ q: `"${word} ${other}"`, brand, sort: 'newest' }) },
  ];
}
