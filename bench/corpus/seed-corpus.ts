import type { Knex } from 'knex';
import { buildCatalog, buildEditors } from './catalog.js';
import { CORPUS_VERSION, clearMarker, markerMatches, readMarker, writeMarker, type CorpusMarker, type CorpusSize } from './corpus-marker.js';
import { inParallel } from '../in-parallel.js';
import { insertReviews } from './insert-reviews.js';
import { withSecondaryIndexesDropped } from './secondary-indexes.js';
import { createPhraseTable, createPopularityTables, createRandomFunctions, createSentenceTable, createWordTable, dropHelpers } from './text-pools.js';
import { buildVocabulary } from './vocabulary.js';

export type SeedOptions = CorpusSize & { reseed: boolean; jobs: number; log: (line: string) => void };

const DRAFT_RATIO = 0.03;
const CHUNK = 25_000;
// Editors never sign in during the bench; this is not a verifiable hash, so nobody can.
const UNUSABLE_PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2g$bench-editors-cannot-sign-in';

/**
 * Makes sure the (already migrated) schema holds a complete corpus of this size: reuses one a
 * previous run left, otherwise empties the tables and seeds anew. Returns its marker.
 */
export async function ensureCorpus(knex: Knex, options: SeedOptions): Promise<{ marker: CorpusMarker; reused: boolean }> {
  const existing = await readMarker(knex);
  if (!options.reseed && markerMatches(existing, options)) return { marker: existing, reused: true };

  const started = Date.now();
  const step = stepTimer(options.log);
  await clearMarker(knex);
  await dropHelpers(knex);
  await knex.raw('truncate reviews, refresh_tokens, idempotency_keys, products, editors');

  const vocabulary = buildVocabulary();
  await knex('editors').insert(buildEditors(options.editors).map((e) => ({ ...e, password_hash: UNUSABLE_PASSWORD_HASH, role: 'editor' })));
  const catalog = buildCatalog(options.products).map((p) => ({ ...p, specs: JSON.stringify(p.specs) }));
  await knex.batchInsert('products', catalog, 1000);
  step(`catalog: ${options.editors} editors, ${options.products} products`);

  const sentences = Math.min(200_000, Math.max(5_000, options.reviews * 2));
  const phrases = Math.min(100_000, Math.max(2_000, Math.floor(options.reviews / 2)));
  await createRandomFunctions(knex);
  await createWordTable(knex, vocabulary);
  await createSentenceTable(knex, sentences, vocabulary.words.length);
  await createPhraseTable(knex, phrases, vocabulary.words.length);
  await createPopularityTables(knex);
  step(`text pools: ${vocabulary.words.length} words, ${sentences} sentences, ${phrases} title phrases`);

  const shape = { draftRatio: DRAFT_RATIO, sentences, phrases, products: options.products, editors: options.editors, total: options.reviews };
  await withSecondaryIndexesDropped(knex, 'reviews', options.jobs, async () => {
    let done = 0;
    // each chunk on its own pooled connection, `jobs` at a time
    await inParallel(chunks(options.reviews), options.jobs, async ([from, to]) => {
      await insertReviews(knex, from, to, shape);
      done += to - from + 1;
      if (options.reviews >= 100_000) options.log(`  reviews ${done.toLocaleString('en')} / ${options.reviews.toLocaleString('en')}`);
    });
    step(`reviews: ${options.reviews} rows inserted`);
  });
  step('secondary indexes rebuilt');

  await dropHelpers(knex);
  // visibility map and statistics as a long-running database would have them
  for (const table of ['reviews', 'products', 'editors']) await knex.raw('vacuum (analyze) ??', [table]);
  step('vacuum analyze');

  const { rows } = await knex.raw<{ rows: { n: number }[] }>(`select count(*)::integer as n from reviews where status = 'published'`);
  const published = rows[0]?.n ?? 0;

  const marker: CorpusMarker = {
    version: CORPUS_VERSION,
    reviews: options.reviews,
    products: options.products,
    editors: options.editors,
    published,
    seeded_at: new Date().toISOString(),
    seed_seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  await writeMarker(knex, marker);
  return { marker, reused: false };
}

/** Row ranges [from, to] of at most CHUNK rows covering 1..total. */
function chunks(total: number): [number, number][] {
  return Array.from({ length: Math.ceil(total / CHUNK) }, (_, i) => [i * CHUNK + 1, Math.min(total, (i + 1) * CHUNK)]);
}

function stepTimer(log: (line: string) => void): (what: string) => void {
  let last = Date.now();
  return (what) => {
    const now = Date.now();
    log(`  ${what} (${((now - last) / 1000).toFixed(1)} s)`);
    last = now;
  };
}
