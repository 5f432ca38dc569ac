import type { Knex } from 'knex';
import { STOP_WORDS, type Vocabulary } from './vocabulary.js';

// Helper tables the review INSERT draws its text from, built set-based in PostgreSQL. Randomness
// is a hash of (row number, stream), not random(): the same size always yields the same corpus,
// however the work is split across connections.

/** Names of the helper objects, all prefixed so they can never clash with the app's tables. */
export const HELPER_TABLES = ['_bench_words', '_bench_sentences', '_bench_phrases', '_bench_products', '_bench_editors'];

export async function createRandomFunctions(knex: Knex): Promise<void> {
  // Uniform [0, 1) from a 52-bit slice of hashint8extended; `stream` keeps independent draws apart.
  await knex.raw(`
    create or replace function _bench_u(x bigint, stream bigint) returns float8
    language sql immutable parallel safe
    as $$ select (hashint8extended(x, stream) & 4503599627370495)::float8 / 4503599627370496.0 $$`);
  // Log-uniform rank in 1..n: P(rank = k) ~ 1/k, the Zipf shape of word frequencies.
  await knex.raw(`
    create or replace function _bench_zipf(x bigint, stream bigint, n integer) returns integer
    language sql immutable parallel safe
    as $$ select least(n, floor(exp(_bench_u(x, stream) * ln(n + 1)))::integer) $$`);
}

export async function dropHelpers(knex: Knex): Promise<void> {
  for (const table of HELPER_TABLES) await knex.raw('drop table if exists ??', [table]);
  await knex.raw('drop function if exists _bench_zipf(bigint, bigint, integer)');
  await knex.raw('drop function if exists _bench_u(bigint, bigint)');
}

export async function createWordTable(knex: Knex, vocabulary: Vocabulary): Promise<void> {
  await knex.raw('create table _bench_words (rank integer primary key, word text not null)');
  await knex.raw(`insert into _bench_words select ordinality, word from unnest(?::text[]) with ordinality as w(word, ordinality)`, [vocabulary.words]);
}

/** Sentences of 6–15 words, about a third of them stop words; bodies and summaries are made of them. */
export async function createSentenceTable(knex: Knex, count: number, vocabularySize: number): Promise<void> {
  await knex.raw('create table _bench_sentences (id integer primary key, text text not null)');
  await knex.raw(
    `insert into _bench_sentences (id, text)
     select id, upper(left(t, 1)) || substr(t, 2) || '.'
     from (
       select id, string_agg(
           case when _bench_u(id * 64 + g, 11) < 0.3
                then (?::text[])[1 + floor(_bench_u(id * 64 + g, 12) * ?)::integer]
                else w.word end, ' ' order by g) as t
       from generate_series(0, ? - 1) as id
       cross join lateral generate_series(1, 6 + floor(_bench_u(id, 10) * 10)::integer) as g
       join _bench_words w on w.rank = _bench_zipf(id * 64 + g, 13, ?)
       group by id
     ) s`,
    [STOP_WORDS, STOP_WORDS.length, count, vocabularySize],
  );
}

/** Short headline phrases (2–5 content words) for titles. */
export async function createPhraseTable(knex: Knex, count: number, vocabularySize: number): Promise<void> {
  await knex.raw('create table _bench_phrases (id integer primary key, text text not null)');
  await knex.raw(
    `insert into _bench_phrases (id, text)
     select id, upper(left(t, 1)) || substr(t, 2)
     from (
       select id, string_agg(w.word, ' ' order by g) as t
       from generate_series(0, ? - 1) as id
       cross join lateral generate_series(1, 2 + floor(_bench_u(id, 14) * 4)::integer) as g
       join _bench_words w on w.rank = _bench_zipf(id * 64 + g, 15, ?)
       group by id
     ) s`,
    [count, vocabularySize],
  );
}

/**
 * Products and editors numbered 0..n-1 in a fixed pseudo-random order; the review INSERT picks
 * low numbers more often, so some products and editors have many reviews and most have few.
 */
export async function createPopularityTables(knex: Knex): Promise<void> {
  await knex.raw(`
    create table _bench_products as
    select (row_number() over (order by md5(lower(brand) || '|' || lower(model))) - 1)::integer as ix,
           id, brand || ' ' || model as label
    from products`);
  await knex.raw('alter table _bench_products add primary key (ix)');
  await knex.raw(`
    create table _bench_editors as
    select (row_number() over (order by md5(lower(email))) - 1)::integer as ix, id
    from editors`);
  await knex.raw('alter table _bench_editors add primary key (ix)');
}
