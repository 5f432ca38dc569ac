import type { Knex } from 'knex';
import * as thirtyDayBuckets from './007_search_time_buckets.js';

// A search by its query alone, found inside PostgreSQL in one call instead of one statement per step.
// On the bench machine each step cost a client round trip (~0.1 ms of CPU on each side) and, planned
// for its values, ~0.7 ms of planning against ~0.2 ms to run: a rare term's newest page took three
// statements and 2.6 ms of PostgreSQL's CPU. Here the steps are those the client ran (a bounded scan
// of the newest rows, then the term's matches period by period, or all of them off the plain GIN
// index when they are few), each a cached plan.
//
// The periods are weeks now, not 007's 30 days: a newest-first page reads every match in its period
// to find the newest, and two mid-frequency words matched ~300 reviews in the newest 30 days of the
// bench corpus (~70 in a week). 007's index and functions are replaced.
//
// - review_search_week(at), review_search_week_start(week): whole weeks since 1970.
// - review_search_week_lexemes(vector, published_at): what the index holds, each lexeme filed under
//   its review's week ('w2916:gimbal'), plus one marker per review ('w2916') so that a query with no
//   indexable word (only negations) still names its weeks.
// - review_search_week_query(query, week): the query's indexable part for one week. querytree drops
//   negations and phrases become AND (the index holds no positions): a prefilter, so the caller also
//   tests the real query.
// - review_search_newest(...): ids and row addresses of the newest matches of `query` before the
//   position (before_at, before_id), at most `wanted`, each ranked (ts_rank) if with_rank, computed
//   where the row is read anyway. STABLE: every step reads the calling statement's snapshot, so the
//   addresses it returns still hold the versions that matched when the caller reads them back (by
//   ctid) in the same statement.
//   Its plans are generic by force: planned for their values they cost more than they save, and the
//   shapes here cannot go wrong without values (each step's index is forced by a MATERIALIZED CTE).
//   No parallel workers and no JIT whoever calls it: each step reads a few hundred rows at most.
// The week functions are immutable (an index expression must be) and have SQL-standard bodies, bound
// when created: no search_path at run time.

const WEEK_SECONDS = 7 * 24 * 3600;
/** Four years of weeks searched one by one before the rest comes off the plain GIN index at once. */
const MAX_WEEKS = 208;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('set local statement_timeout = 0');
  await knex.raw(`
    create function review_search_week(at timestamptz) returns integer
    language sql immutable parallel safe
    return floor(extract(epoch from at) / ${WEEK_SECONDS})::integer`);
  await knex.raw(`
    create function review_search_week_start(week integer) returns timestamptz
    language sql immutable parallel safe
    return to_timestamp(week::float8 * ${WEEK_SECONDS})`);
  await knex.raw(LEXEMES_FUNCTION);
  await knex.raw(`
    create function review_search_week_query(query tsquery, week integer) returns tsquery
    language sql immutable parallel safe
    return (
      select case when indexable = 'T' then ('w' || week)::tsquery
                  else regexp_replace(indexable, '''(([^'']|'''')*)''', '''w' || week || ':\\1''', 'g')::tsquery end
      from (select regexp_replace(querytree(query), '<[0-9-]*>', '&', 'g') as indexable) as q
    )`);
  await knex.raw(LEXEMES_INDEX);
  await dropThirtyDayBuckets(knex);
  await knex.raw(NEWEST_FUNCTION);
}

/** Exported for 011's down, which puts them back as they were. */
export const LEXEMES_FUNCTION = `
    create function review_search_week_lexemes(vector tsvector, published_at timestamptz) returns tsvector
    language sql immutable parallel safe
    return case when published_at is null then ''::tsvector else (
      select array_to_tsvector(array['w' || w] || array(select 'w' || w || ':' || lexeme from unnest(vector)))
      from (select floor(extract(epoch from published_at) / ${WEEK_SECONDS})::integer as w) as week
    ) end`;

export const LEXEMES_INDEX = `create index if not exists reviews_search_weeks_idx on reviews using gin (review_search_week_lexemes(search_vector, published_at)) where status = 'published'`;

export const NEWEST_FUNCTION = `
    create function review_search_newest(
      query tsquery, before_at timestamptz, before_id uuid, wanted integer,
      scan_rows integer, scan_more_rows integer, enough_from_scan integer, all_time_below float8, with_rank boolean
    ) returns table (hit_id uuid, hit_tid tid, hit_rank real)
    language plpgsql stable rows 100
    set plan_cache_mode = force_generic_plan set max_parallel_workers_per_gather = 0 set jit = off
    as $fn$
    declare
      ids uuid[] := '{}';
      tids tid[] := '{}';
      ranks real[] := '{}';
      got integer := 0;
      scanned integer := 0;
      goal integer := greatest(least(enough_from_scan, wanted), 1);
      stage integer;
      step integer;
      pos_at timestamptz := before_at;
      pos_id uuid := before_id;
      week integer;
      oldest integer;
      weeks_read integer := 0;
      n integer;
    begin
      if wanted <= 0 or numnode(query) = 0 then return; end if;
      if enough_from_scan <= 0 then goal := wanted; end if;

      -- 1. The newest published reviews before the position, in up to three stages (a probe of a
      --    fifth of scan_rows, the rest of scan_rows, then scan_more_rows), each row tested against
      --    the query. A term in more than a few % of reviews fills the page here; a stage runs only if,
      --    at the yield so far, the scan should reach the goal with it.
      foreach stage in array array[greatest(scan_rows / 5, 1), scan_rows, scan_rows + scan_more_rows] loop
        step := stage - scanned;
        continue when step <= 0;
        exit when scanned > 0 and got + got::float8 / scanned * step * 0.75 < goal;
        select ids || coalesce(array_agg(h.id), '{}'), tids || coalesce(array_agg(h.ctid), '{}'),
               ranks || coalesce(array_agg(case when with_rank then ts_rank(h.search_vector, query) end), '{}')
          into ids, tids, ranks
          from (select w.id, w.ctid, w.search_vector
                  from (select r.id, r.ctid, r.published_at, r.search_vector from reviews r
                         where r.status = 'published' and (r.published_at, r.id) < (pos_at, pos_id)
                         order by r.published_at desc, r.id desc limit step) w
                 where w.search_vector @@ query
                 order by w.published_at desc, w.id desc limit wanted - got) h;
        got := cardinality(ids);
        if got >= wanted then return query select * from unnest(ids, tids, ranks); return; end if;
        -- short of a page, the stage read all its rows: the next stage, or the weeks, go on after its
        -- last (off the index alone); none means the scan read every review before the position
        select l.published_at, l.id into pos_at, pos_id from reviews l
         where l.status = 'published' and (l.published_at, l.id) < (pos_at, pos_id)
         order by l.published_at desc, l.id desc offset step - 1 limit 1;
        if not found then return query select * from unnest(ids, tids, ranks); return; end if;
        scanned := scanned + step;
      end loop;
      -- what the scan found stays; everything below reads on from the last row it read
      return query select * from unnest(ids, tids, ranks);
      if got >= goal then return; end if;

      -- 2. A term the scan found none of, or projected to match fewer than all_time_below reviews in
      --    all: every match off the plain GIN index (its posting lists are short).
      if all_time_below > 0 and (got = 0 or got::float8 / scanned * (select greatest(c.reltuples, 0) from pg_class c where c.oid = 'reviews'::regclass) < all_time_below) then
        return query
          with m as materialized (
            select r.id, r.ctid, r.published_at, case when with_rank then ts_rank(r.search_vector, query) end as rank
              from reviews r where r.status = 'published' and r.search_vector @@ query)
          select m.id, m.ctid, m.rank from m where (m.published_at, m.id) < (pos_at, pos_id)
          order by m.published_at desc, m.id desc limit wanted - got;
        return;
      end if;

      -- 3. Week by week back in time from the week of the last row scanned. Each week decodes only its
      --    own postings and reads only its matches. Once the matches left look cheaper to read all at
      --    once, or after four years of weeks, the rest comes off the plain GIN index.
      week := review_search_week(pos_at);
      select review_search_week(min(o.published_at)) into oldest from reviews o where o.status = 'published';
      while got < wanted and week >= oldest loop
        -- A week costs a statement (~10 matches' worth of reading); the rest at once costs reading all
        -- its matches. Go on by weeks while, at the rate found so far, the page is nearer.
        if weeks_read >= ${MAX_WEEKS} or (weeks_read >= 2 and (got = 0 or (wanted - got)::float8 / got * weeks_read * 10 + (wanted - got) >= got::float8 / weeks_read * (week - oldest + 1))) then
          return query
            with m as materialized (
              select r.id, r.ctid, r.published_at, case when with_rank then ts_rank(r.search_vector, query) end as rank
                from reviews r where r.status = 'published' and r.search_vector @@ query)
            select m.id, m.ctid, m.rank from m
             where m.published_at < review_search_week_start(week + 1) and (m.published_at, m.id) < (pos_at, pos_id)
             order by m.published_at desc, m.id desc limit wanted - got;
          return;
        end if;
        -- "is true": a recheck the planner cannot turn into a second (plain GIN) index condition
        return query
          with m as materialized (
            select r.id, r.ctid, r.published_at, case when with_rank then ts_rank(r.search_vector, query) end as rank
              from reviews r
             where r.status = 'published'
               and review_search_week_lexemes(r.search_vector, r.published_at) @@ review_search_week_query(query, week)
               and (r.search_vector @@ query) is true)
          select m.id, m.ctid, m.rank from m where (m.published_at, m.id) < (pos_at, pos_id)
          order by m.published_at desc, m.id desc limit wanted - got;
        get diagnostics n = row_count;
        got := got + n;
        weeks_read := weeks_read + 1;
        week := week - 1;
      end loop;
    end
    $fn$`;

/** 007's index and functions, which the weeks replace. */
async function dropThirtyDayBuckets(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists reviews_search_buckets_idx');
  await knex.raw('drop function review_search_windows(tsquery, timestamptz, integer, integer)');
  await knex.raw('drop function review_search_lexemes(tsvector, timestamptz)');
  await knex.raw('drop function review_search_bucket_start(integer)');
  await knex.raw('drop function review_search_bucket(timestamptz)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function review_search_newest(tsquery, timestamptz, uuid, integer, integer, integer, integer, float8, boolean)');
  await knex.raw('drop index reviews_search_weeks_idx');
  await knex.raw('drop function review_search_week_query(tsquery, integer)');
  await knex.raw('drop function review_search_week_lexemes(tsvector, timestamptz)');
  await knex.raw('drop function review_search_week_start(integer)');
  await knex.raw('drop function review_search_week(timestamptz)');
  await thirtyDayBuckets.up(knex);
}
