import type { Knex } from 'knex';
import type { Vocabulary } from './vocabulary.js';

/** How often a search query matches, measured on the seeded corpus. */
export type MeasuredTerm = { query: string; kind: TermKind; matches: number; fraction: number };
export type TermKind = 'rare' | 'two-word' | 'common';

/** The "common terms that match a quarter of the corpus". */
const COMMON_TARGET = 0.25;
const SAMPLE_DOCS = 20_000;

/**
 * Picks the queries the search scenarios send — rare names, two-word queries of mid-frequency
 * words, and common words matching about a quarter of the published reviews — from the document
 * frequencies of a sample, then counts each one's exact matches on the whole corpus.
 */
export async function pickSearchTerms(knex: Knex, vocabulary: Vocabulary, published: number): Promise<MeasuredTerm[]> {
  const frequency = await sampleFrequencies(knex, [...vocabulary.commonWords, ...vocabulary.rareNames], published);
  const byCloseness = (target: number) => (a: string, b: string) => Math.abs((frequency.get(a) ?? 0) - target) - Math.abs((frequency.get(b) ?? 0) - target);

  // plain words only: "micro-contrast" or "4:2:2" parse into several lexemes, a phrase query
  const plain = vocabulary.commonWords.filter((w) => /^[a-z]+$/.test(w));
  const common = [...plain].sort(byCloseness(COMMON_TARGET)).slice(0, 4);
  const mid = plain.filter((w) => inRange(frequency.get(w), 0.02, 0.08)).slice(0, 8);
  const pairs = Array.from({ length: Math.floor(mid.length / 2) }, (_, i) => `${mid[i]} ${mid[mid.length - 1 - i]}`);
  const rare = spreadPick(
    vocabulary.rareNames.filter((w) => inRange(frequency.get(w), Number.MIN_VALUE, 0.005)).sort((a, b) => (frequency.get(a) ?? 0) - (frequency.get(b) ?? 0)),
    6,
  );

  const queries: [string, TermKind][] = [
    ...rare.map((q): [string, TermKind] => [q, 'rare']),
    ...pairs.map((q): [string, TermKind] => [q, 'two-word']),
    ...common.map((q): [string, TermKind] => [q, 'common']),
  ];
  const measured: MeasuredTerm[] = [];
  for (const [query, kind] of queries) {
    const { rows } = await knex.raw<{ rows: { n: number }[] }>(
      `select count(*)::integer as n from reviews where status = 'published' and search_vector @@ websearch_to_tsquery('english', ?)`,
      [query],
    );
    const matches = rows[0]?.n ?? 0;
    measured.push({ query, kind, matches, fraction: published > 0 ? matches / published : 0 });
  }
  return measured;
}

/** Document frequency (0..1) of each word's lexeme in a sample of published reviews. */
async function sampleFrequencies(knex: Knex, words: string[], published: number): Promise<Map<string, number>> {
  const percent = Math.min(100, (SAMPLE_DOCS / Math.max(published, 1)) * 100);
  const sample = `select search_vector from reviews tablesample system (${percent.toFixed(4)}) repeatable (42) where status = 'published'`;
  const { rows } = await knex.raw<{ rows: { word: string; fraction: number }[] }>(
    `with stats as (select word as lexeme, ndoc from ts_stat(?)),
          sampled as (select count(*)::float8 as docs from reviews tablesample system (${percent.toFixed(4)}) repeatable (42) where status = 'published'),
          words as (select w.word, (select lexeme from unnest(to_tsvector('english', w.word)) limit 1) as lexeme
                    from unnest(?::text[]) as w(word))
     select words.word, coalesce(stats.ndoc, 0) / greatest(sampled.docs, 1) as fraction
     from words cross join sampled left join stats on stats.lexeme = words.lexeme`,
    [sample, words],
  );
  return new Map(rows.map((r) => [r.word, r.fraction]));
}

function inRange(value: number | undefined, min: number, max: number): boolean {
  return value !== undefined && value >= min && value <= max;
}

/** `count` items spread evenly over a sorted list (its rarest, its most frequent and between). */
function spreadPick<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))] as T);
}
