import type { Knex } from 'knex';

// Search newest-first needs a term's newest matches, but a GIN index knows nothing of time: at 1M
// reviews, the BRIN windows of 003 still decoded each word's whole posting list and read every match
// in the window to learn its date (two mid-frequency words: 20-50 ms a window). This index files each
// published review's lexemes under its 30-day bucket of publication ('p692:gimbal'), so a window of
// buckets decodes only those buckets' postings and reads only their matches (1-7 ms for the same).
//
// - review_search_bucket(at): the bucket of an instant (whole 30-day periods since 1970);
//   review_search_bucket_start(bucket): its first instant.
// - review_search_lexemes(vector, published_at): what the index holds; one marker lexeme per
//   review ('p692') lets a query with no indexable word (only negations) still name its buckets.
// - review_search_windows(query, anchor, skip, count): the query once per bucket, for `count`
//   buckets going back from the anchor's bucket after skipping `skip`; an array, so PostgreSQL scans
//   each bucket on its own (one OR of them all made GIN test every posting of every bucket: 50 ms).
//   Only the query's indexable part is kept (querytree drops negations) and phrases become AND
//   (the index holds no positions): a prefilter, so the caller also tests the real query.
// The functions are immutable (an index expression must be) and have SQL-standard bodies, bound
// when created: no search_path at run time (PostgreSQL 17 restricts it during maintenance).

const BUCKET_SECONDS = 30 * 24 * 3600;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('set local statement_timeout = 0');
  await knex.raw(`
    create function review_search_bucket(at timestamptz) returns integer
    language sql immutable parallel safe
    return floor(extract(epoch from at) / ${BUCKET_SECONDS})::integer`);
  await knex.raw(`
    create function review_search_bucket_start(bucket integer) returns timestamptz
    language sql immutable parallel safe
    return to_timestamp(bucket::float8 * ${BUCKET_SECONDS})`);
  await knex.raw(`
    create function review_search_lexemes(vector tsvector, published_at timestamptz) returns tsvector
    language sql immutable parallel safe
    return case when published_at is null then ''::tsvector else (
      select array_to_tsvector(array['p' || b] || array(select 'p' || b || ':' || lexeme from unnest(vector)))
      from (select floor(extract(epoch from published_at) / ${BUCKET_SECONDS})::integer as b) as bucket
    ) end`);
  await knex.raw(`
    create function review_search_windows(query tsquery, anchor timestamptz, skip integer, count integer) returns tsquery[]
    language sql immutable parallel safe
    return (
      select array_agg(
        case when indexable = 'T' then ('p' || b)::tsquery
             else regexp_replace(indexable, '''(([^'']|'''')*)''', '''p' || b || ':\\1''', 'g')::tsquery end
        order by b desc)
      from (select regexp_replace(querytree(query), '<[0-9-]*>', '&', 'g') as indexable) as q,
           generate_series(review_search_bucket(anchor) - skip - count + 1, review_search_bucket(anchor) - skip) as b
    )`);
  await knex.raw(
    `create index if not exists reviews_search_buckets_idx on reviews using gin (review_search_lexemes(search_vector, published_at)) where status = 'published'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index reviews_search_buckets_idx');
  await knex.raw('drop function review_search_windows(tsquery, timestamptz, integer, integer)');
  await knex.raw('drop function review_search_lexemes(tsvector, timestamptz)');
  await knex.raw('drop function review_search_bucket_start(integer)');
  await knex.raw('drop function review_search_bucket(timestamptz)');
}
