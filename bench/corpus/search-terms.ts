import type { Knex } from 'knex';
import { drawSearchTerms, type DrawnTerm } from './term-bands.js';
import { buildVocabulary } from './vocabulary.js';

/** How often a search query matches, measured on the seeded corpus. */
export type MeasuredTerm = DrawnTerm & { matches: number; fraction: number };

const SAMPLE_DOCS = 20_000;

/**
 * The queries the search scenarios send: drawn with `seed` from the frequency bands (term-bands.ts)
 * of the document frequencies of a sample, then each one's exact matches counted on the whole corpus.
 */
export async function measureSearchTerms(knex: Knex, published: number, seed: number): Promise<MeasuredTerm[]> {
  // the words the corpus was seeded from (the generator is deterministic)
  const vocabulary = buildVocabulary();
  const frequency = await sampleFrequencies(knex, [...vocabulary.commonWords, ...vocabulary.rareNames], published);
  const measured: MeasuredTerm[] = [];
  for (const term of drawSearchTerms(frequency, vocabulary, seed)) {
    const { rows } = await knex.raw<{ rows: { n: number }[] }>(
      `select count(*)::integer as n from reviews where status = 'published' and search_vector @@ websearch_to_tsquery('english', ?)`,
      [term.query],
    );
    const matches = rows[0]?.n ?? 0;
    measured.push({ ...term, matches, fraction: published > 0 ? matches / published : 0 });
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
