import { seededRandom, type Random } from './seeded-random.js';

// The search terms are drawn at random from bands of document frequency, not picked by hand, so
// a target that holds for one seed's terms holds for terms nobody tuned the search to.

export type TermKind = 'rare' | 'two-word' | 'common';
export type DrawnTerm = { query: string; kind: TermKind };

/** A share of published reviews a word matches (inclusive), and how many queries to draw from it. */
export type Band = { min: number; max: number; queries: number };

export const TERM_BANDS: Readonly<Record<TermKind, Band>> = {
  // names a reader types to find a place; at least one sampled match, so the query finds something
  rare: { min: Number.MIN_VALUE, max: 0.005, queries: 6 },
  // each word of the pair in this band; together they match far fewer
  'two-word': { min: 0.02, max: 0.08, queries: 4 },
  // around the "common terms that match a quarter of the corpus"
  common: { min: 0.15, max: 0.35, queries: 4 },
};

export const DEFAULT_TERMS_SEED = 1;

/**
 * Draws the queries from each band: rare names, pairs of mid-frequency words, common words.
 * `frequency` maps a word to the share of (sampled) published reviews it matches; the words are
 * taken in vocabulary order, so the same seed and frequencies always give the same terms.
 */
export function drawSearchTerms(
  frequency: ReadonlyMap<string, number>,
  vocabulary: { commonWords: readonly string[]; rareNames: readonly string[] },
  seed: number,
): DrawnTerm[] {
  const random = seededRandom(seed);
  const inBand = (band: Band) => (word: string) => {
    const share = frequency.get(word);
    return share !== undefined && share >= band.min && share <= band.max;
  };
  // plain words only: "micro-contrast" or "4:2:2" parse into several lexemes, a phrase query
  const plain = vocabulary.commonWords.filter((w) => /^[a-z]+$/.test(w));
  const rare = draw(random, vocabulary.rareNames.filter(inBand(TERM_BANDS.rare)), TERM_BANDS.rare.queries);
  const mid = draw(random, plain.filter(inBand(TERM_BANDS['two-word'])), 2 * TERM_BANDS['two-word'].queries);
  const common = draw(random, plain.filter(inBand(TERM_BANDS.common)), TERM_BANDS.common.queries);
  const pairs = Array.from({ length: Math.floor(mid.length / 2) }, (_, i) => `${mid[2 * i]} ${mid[2 * i + 1]}`);
  return [
    ...rare.map((query): DrawnTerm => ({ query, kind: 'rare' })),
    ...pairs.map((query): DrawnTerm => ({ query, kind: 'two-word' })),
    ...common.map((query): DrawnTerm => ({ query, kind: 'common' })),
  ];
}

/** Up to `count` distinct items in random order: a partial Fisher–Yates shuffle of a copy. */
function draw<T>(random: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const drawn = Math.min(count, pool.length);
  for (let i = 0; i < drawn; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, drawn);
}
