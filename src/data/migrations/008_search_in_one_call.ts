import type { Knex } from 'knex';

// A search by its query alone, found inside PostgreSQL in one call instead of one statement per step.
// On the bench machine each step cost a client round trip (~0.1 ms of CPU on each side) and, planned
// for its values, ~0.7 ms of planning against ~0.2 ms to run: a rare term's newest page took three
// statements and 2.6 ms of PostgreSQL's CPU. Here the steps are the same as the client ran them
// (bounded scan of the newest rows, then the term's matches 30-day bucket by bucket off migration
// 007's index, or all of them off the plain GIN index when they are few), each a cached plan.
//
// - review_search_bucket_query(query, bucket): the query's indexable part for one bucket
//   (review_search_windows of 007 for a single bucket).
// - review_search_newest(...): ids and row addresses of the newest matches of `query` before the
//   position (before_at, before_id), at most `wanted`. STABLE: every step reads the calling
//   statement's snapshot, so the addresses it returns still hold the versions that matched when the
//   caller reads them back (by ctid) in the same statement.
//   Its plans are generic by force: planned for their values they cost more than they save, and the
//   shapes here cannot go wrong without values (each step's index is forced by a MATERIALIZED CTE).
//   No parallel workers and no JIT whoever calls it: each step reads a few hundred rows at most.

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function review_search_bucket_query(query tsquery, bucket integer) returns tsquery
    language sql immutable parallel safe
    return (
      select case when indexable = 'T' then ('p' || bucket)::tsquery
                  else regexp_replace(indexable, '''(([^'']|'''')*)''', '''p' || bucket || ':\\1''', 'g')::tsquery end
      from (select regexp_replace(querytree(query), '<[0-9-]*>', '&', 'g') as indexable) as q
    )`);
  await knex.raw(`
    create function review_search_newest(
      query tsquery, before_at timestamptz, before_id uuid, wanted integer,
      scan_rows integer, scan_more_rows integer, enough_from_scan integer, all_time_below float8
    ) returns table (hit_id uuid, hit_tid tid)
    language plpgsql stable rows 100
    set plan_cache_mode = force_generic_plan set max_parallel_workers_per_gather = 0 set jit = off
    as $fn$
    declare
      ids uuid[];
      tids tid[];
      found integer;
      scanned integer := scan_rows;
      bucket integer;
      oldest integer;
      buckets_read integer := 0;
      n integer;
    begin
      if wanted <= 0 or numnode(query) = 0 then return; end if;

      -- 1. The newest scan_rows published reviews before the position, each tested against the
      --    query: a term in more than a few % of reviews fills the page here.
      select coalesce(array_agg(s.id order by s.published_at desc, s.id desc), '{}'),
             coalesce(array_agg(s.ctid order by s.published_at desc, s.id desc), '{}')
        into ids, tids
        from (select w.id, w.ctid, w.published_at
                from (select r.id, r.ctid, r.published_at, r.search_vector from reviews r
                       where r.status = 'published' and (r.published_at, r.id) < (before_at, before_id)
                       order by r.published_at desc, r.id desc limit scan_rows) w
               where w.search_vector @@ query
               order by w.published_at desc, w.id desc limit wanted) s;
      found := cardinality(ids);
      if found >= wanted then return query select * from unnest(ids, tids); return; end if;

      -- 2. Read on past those rows if, at the yield found, enough_from_scan should be reached within
      --    scan_more_rows (relevance, which ranks many candidates and accepts fewer than it asks for).
      if found > 0 and scan_more_rows > 0 and (enough_from_scan - found)::float8 * scan_rows / found <= scan_more_rows * 0.75 then
        select ids || coalesce(array_agg(s.id order by s.published_at desc, s.id desc), '{}'),
               tids || coalesce(array_agg(s.ctid order by s.published_at desc, s.id desc), '{}')
          into ids, tids
          from (select w.id, w.ctid, w.published_at
                  from (select r.id, r.ctid, r.published_at, r.search_vector from reviews r
                         where r.status = 'published'
                           and (r.published_at, r.id) < (select l.published_at, l.id from reviews l
                                                          where l.status = 'published' and (l.published_at, l.id) < (before_at, before_id)
                                                          order by l.published_at desc, l.id desc offset scan_rows - 1 limit 1)
                         order by r.published_at desc, r.id desc limit scan_more_rows) w
                 where w.search_vector @@ query
                 order by w.published_at desc, w.id desc limit wanted - found) s;
        found := cardinality(ids);
        scanned := scanned + scan_more_rows;
        if found >= enough_from_scan then return query select * from unnest(ids, tids); return; end if;
      end if;

      -- 3. A term the scan found none of, or projected to match fewer than all_time_below reviews in
      --    all: every match off the plain GIN index (its posting lists are short).
      if all_time_below > 0 and (found = 0 or found::float8 / scanned * (select greatest(c.reltuples, 0) from pg_class c where c.oid = 'reviews'::regclass) < all_time_below) then
        return query
          with m as materialized (select r.id, r.ctid, r.published_at from reviews r where r.status = 'published' and r.search_vector @@ query)
          select m.id, m.ctid from m where (m.published_at, m.id) < (before_at, before_id)
          order by m.published_at desc, m.id desc limit wanted;
        return;
      end if;

      -- 4. Bucket by bucket back in time from the position's bucket (the scan's matches are found
      --    again in theirs). Each bucket decodes only its own postings and reads only its matches.
      --    Once the matches left look few (under ~1,000 at the rate found so far), or after four
      --    years of buckets, the rest comes off the plain GIN index at once.
      found := 0;
      bucket := review_search_bucket(least(before_at, now()));
      select review_search_bucket(min(o.published_at)) into oldest from reviews o where o.status = 'published';
      while found < wanted and bucket >= oldest loop
        if buckets_read >= 48 or (buckets_read >= 4 and found::float8 / buckets_read * (bucket - oldest + 1) <= 1000) then
          return query
            with m as materialized (select r.id, r.ctid, r.published_at from reviews r where r.status = 'published' and r.search_vector @@ query)
            select m.id, m.ctid from m
             where m.published_at < review_search_bucket_start(bucket + 1) and (m.published_at, m.id) < (before_at, before_id)
             order by m.published_at desc, m.id desc limit wanted - found;
          return;
        end if;
        -- "is true": a recheck the planner cannot turn into a second (plain GIN) index condition
        return query
          with m as materialized (
            select r.id, r.ctid, r.published_at from reviews r
             where r.status = 'published'
               and review_search_lexemes(r.search_vector, r.published_at) @@ review_search_bucket_query(query, bucket)
               and (r.search_vector @@ query) is true)
          select m.id, m.ctid from m where (m.published_at, m.id) < (before_at, before_id)
          order by m.published_at desc, m.id desc limit wanted - found;
        get diagnostics n = row_count;
        found := found + n;
        buckets_read := buckets_read + 1;
        bucket := bucket - 1;
      end loop;
    end
    $fn$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function review_search_newest(tsquery, timestamptz, uuid, integer, integer, integer, integer, float8)');
  await knex.raw('drop function review_search_bucket_query(tsquery, integer)');
}
