import type { Knex } from 'knex';
import { CONS, PROS, SECTION_HEADINGS } from './vocabulary.js';

export type ReviewShape = {
  /** Fraction of rows that are drafts (never visible on /content). */
  draftRatio: number;
  sentences: number;
  phrases: number;
  products: number;
  editors: number;
  /** All reviews of the corpus: row numbers map to publication times in order. */
  total: number;
};

const TITLE_TEMPLATES = ['% review: #', '% long-term review: #', '%: #', 'Hands-on with the %: #', '% tested: #'];
const IMAGE_VIEWS = ['front', 'back', 'top', 'side', 'sample'];

/**
 * Inserts reviews number `from`..`to` (inclusive) in one set-based statement. Every column is a
 * function of the row number, so chunks can run on several connections in any order.
 */
export async function insertReviews(knex: Knex, from: number, to: number, shape: ReviewShape): Promise<void> {
  await knex.transaction(async (trx) => {
    // Each lateral subquery looks up a few rows by primary key: a nested loop per review is right,
    // hashing the whole sentence pool for each review is not.
    await trx.raw('set local enable_hashjoin = off');
    await trx.raw('set local enable_mergejoin = off');
    await trx.raw('set local synchronous_commit = off');
    await trx.raw(
      `insert into reviews (slug, editor_id, product_id, status, title, summary, body, pros, cons,
                            verdict_score, images, product_label, created_at, updated_at, published_at)
       select
         trim(both '-' from left(regexp_replace(lower(p.label || ' review ' || t.text), '[^a-z0-9]+', '-', 'g'), 100)) || '-' || to_hex(i),
         e.id,
         p.id,
         case when draft then 'draft' else 'published' end,
         rtrim(left(replace(replace((:titles::text[])[1 + (i % :titleCount)::integer], '%', p.label), '#', t.text), 160)),
         left(sm.summary, 600),
         rtrim(b.body),
         (select jsonb_agg((:pros::text[])[1 + floor(_bench_u(i * 8 + g, 30) * :prosCount)::integer])
            from generate_series(1, 2 + (i % 3)::integer) g),
         (select jsonb_agg((:cons::text[])[1 + floor(_bench_u(i * 8 + g, 31) * :consCount)::integer])
            from generate_series(1, 1 + (i % 3)::integer) g),
         round(greatest(0, least(10, 7 + (_bench_u(i, 50) + _bench_u(i, 51) + _bench_u(i, 52) - 1.5) * 2.4)) * 2) / 2,
         (select jsonb_agg(jsonb_build_object(
                   'url', 'https://images.randomcamerareviews.example/bench/' || to_hex(i) || '-' || g || '.jpg',
                   'alt', p.label || ', ' || (:views::text[])[g]))
            from generate_series(1, 1 + (i % 3)::integer) g),
         p.label,
         at - _bench_u(i, 41) * interval '20 days',
         least(now(), at + case when _bench_u(i, 42) < 0.15 then _bench_u(i, 43) * interval '90 days' else interval '0' end),
         case when draft then null else at end
       from generate_series(:from::bigint, :to::bigint) as i
       cross join lateral (
         select _bench_u(i, 1) < :draftRatio as draft,
                -- spread over eight years, more recently than years ago, and in row-number order:
                -- a real table fills as reviews are published, so its heap is close to time order
                now() - power(1 - (i::float8 - _bench_u(i, 40)) / :total, 1.6) * interval '2920 days' as at
       ) k
       join _bench_products p on p.ix = floor(power(_bench_u(i, 2), 2) * :products)::integer
       join _bench_editors e on e.ix = floor(power(_bench_u(i, 3), 1.5) * :editors)::integer
       join _bench_phrases t on t.id = floor(_bench_u(i, 4) * :phrases)::integer
       cross join lateral (
         select string_agg(s.text, ' ' order by g) as summary
         from generate_series(1, 1 + (i % 2)::integer) g
         join _bench_sentences s on s.id = floor(_bench_u(i * 64 + g, 5) * :sentences)::integer
       ) sm
       cross join lateral (
         -- markdown: a heading every four sentences, sections separated by blank lines
         select string_agg(
                  case when g % 4 = 1 then '## ' || (:headings::text[])[1 + ((i + g) % :headingCount)::integer] || E'\\n\\n' else '' end
                  || s.text || case when g % 4 = 0 then E'\\n\\n' else ' ' end,
                  '' order by g) as body
         from generate_series(1, 8 + floor(_bench_u(i, 20) * 9)::integer) g
         join _bench_sentences s on s.id = floor(_bench_u(i * 64 + g, 21) * :sentences)::integer
       ) b`,
      {
        from,
        to,
        ...shape,
        titles: TITLE_TEMPLATES,
        titleCount: TITLE_TEMPLATES.length,
        pros: PROS,
        prosCount: PROS.length,
        cons: CONS,
        consCount: CONS.length,
        views: IMAGE_VIEWS,
        headings: SECTION_HEADINGS,
        headingCount: SECTION_HEADINGS.length,
      },
    );
  });
}
