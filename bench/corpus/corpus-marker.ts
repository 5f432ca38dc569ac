import type { Knex } from 'knex';

/** Bump whenever the generator changes what it writes: schemas seeded by older versions are reseeded. */
export const CORPUS_VERSION = 2; // 2: publication times follow insertion order

export type CorpusSize = { reviews: number; products: number; editors: number };

export type CorpusMarker = CorpusSize & {
  version: number;
  published: number;
  seeded_at: string;
  seed_seconds: number;
};

// The marker is written last, in the same schema as the corpus: a schema with a matching marker
// holds a complete corpus of that size, and an interrupted seed leaves none behind.

export async function readMarker(knex: Knex): Promise<CorpusMarker | undefined> {
  const { rows } = await knex.raw<{ rows: { exists: boolean }[] }>(`select to_regclass('_bench_corpus') is not null as exists`);
  if (!rows[0]?.exists) return undefined;
  const row = await knex('_bench_corpus').first<{ marker: CorpusMarker } | undefined>('marker');
  return row?.marker;
}

export function markerMatches(marker: CorpusMarker | undefined, size: CorpusSize): marker is CorpusMarker {
  return (
    marker !== undefined &&
    marker.version === CORPUS_VERSION &&
    marker.reviews === size.reviews &&
    marker.products === size.products &&
    marker.editors === size.editors
  );
}

export async function clearMarker(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists _bench_corpus');
}

export async function writeMarker(knex: Knex, marker: CorpusMarker): Promise<void> {
  await knex.raw('create table _bench_corpus (marker jsonb not null)');
  await knex('_bench_corpus').insert({ marker: JSON.stringify(marker) });
}
