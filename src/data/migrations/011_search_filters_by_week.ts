import type { Knex } from 'knex';
import * as searchInOneCall from './008_search_in_one_call.js';

// Newest-first search for one product type, found as the query alone is (ADR 0040): each published
// review's type is filed under its week in 008's index, beside its lexemes ('w2916@type:camera'), so
// one week's cameras matching a query are one intersection of short posting lists. Planned by
// PostgreSQL (ADR 0039), a two-word query with a type read every match of the words (2,000 rows at
// 1M reviews, 6-9 ms) to find the newest 20 cameras: the type, half of all reviews, narrows too
// little for an index of its own to help. Brand, mount and editor each name a few % of reviews and
// intersect well inside 010's index, so searches with them are still planned (content-repository.ts).
//
// - review_search_week_terms(vector, published_at, product_type): 008's lexemes under the week, and
//   the type. Types are the contract's lower-case words (a check constraint holds the column to them),
//   so a quoted type is a valid tsquery lexeme.
// - review_search_newest(...): 008's function with the type, and without the tuning arguments its
//   one caller always passed the same values for (it now holds them as constants); no rank
//   (relevance is planned: ADR 0038). The type is also tested on each row, so the index only has to
//   be a prefilter, as it is for the query.

/** Four years of weeks searched one by one before the rest comes off the plain GIN index at once. */
const MAX_WEEKS = 208;
/** The bounded scan of the newest rows: a probe of a fifth, then the rest when the yield promises a page. */
const SCAN_ROWS = 1000;

const WEEKS_INDEX = `create index reviews_search_week_terms_idx on reviews using gin (
  review_search_week_terms(search_vector, published_at, product_type)) where status = 'published'`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('set local statement_timeout = 0');
  await knex.raw(`
    create function review_search_week_terms(vector tsvector, published_at timestamptz, product_type text)
    returns tsvector
    language sql immutable parallel safe
    return case when published_at is null then ''::tsvector else (
      select array_to_tsvector(array['w' || w, 'w' || w || '@type:' || product_type] || array(select 'w' || w || ':' || lexeme from unnest(vector)))
      from (select review_search_week(published_at) as w) as week
    ) end`);
  // Built beside 008's index, which is dropped after: building blocks writes to reviews (~3 minutes at
  // 1M reviews), while a dropped index would hold every read's lock until the migration commits.
  await knex.raw(WEEKS_INDEX);
  await knex.raw('drop index reviews_search_weeks_idx');
  await knex.raw('alter index reviews_search_week_terms_idx rename to reviews_search_weeks_idx');
  await knex.raw('drop function review_search_week_lexemes(tsvector, timestamptz)');
  await knex.raw('drop function review_search_newest(tsquery, timestamptz, uuid, integer, integer, integer, integer, float8, boolean)');
  await knex.raw(NEWEST_FUNCTION);
}

/** The type tested on every row read. */
const OF_TYPE = `(type_is is null or r.product_type = type_is)`;

const NEWEST_FUNCTION = `
    create function review_search_newest(
      query tsquery, before_at timestamptz, before_id uuid, wanted integer,
      type_is text default null
    ) returns table (hit_id uuid, hit_tid tid)
    language plpgsql stable rows 100
    set plan_cache_mode = force_generic_plan set max_parallel_workers_per_gather = 0 set jit = off
    as $fn$
    declare
      ids uuid[] := '{}';
      tids tid[] := '{}';
      got integer := 0;
      scanned integer := 0;
      stage integer;
      step integer;
      pos_at timestamptz := before_at;
      pos_id uuid := before_id;
      week integer;
      oldest integer;
      weeks_read integer := 0;
      n integer;
      week_query tsquery;
    begin
      if wanted <= 0 or numnode(query) = 0 then return; end if;

      -- 1. The newest published reviews before the position, a probe of a fifth of ${SCAN_ROWS} rows and
      --    then the rest when, at the probe's yield, they should fill the page; each row tested against
      --    the query and the type. A common term fills the page here.
      foreach stage in array array[${SCAN_ROWS / 5}, ${SCAN_ROWS}] loop
        step := stage - scanned;
        exit when scanned > 0 and got + got::float8 / scanned * step * 0.75 < wanted;
        select ids || coalesce(array_agg(h.id), '{}'), tids || coalesce(array_agg(h.ctid), '{}')
          into ids, tids
          from (select r.id, r.ctid
                  from (select r.id, r.ctid, r.published_at, r.search_vector, r.product_type
                          from reviews r
                         where r.status = 'published' and (r.published_at, r.id) < (pos_at, pos_id)
                         order by r.published_at desc, r.id desc limit step) r
                 where r.search_vector @@ query and ${OF_TYPE}
                 order by r.published_at desc, r.id desc limit wanted - got) h;
        got := cardinality(ids);
        if got >= wanted then return query select * from unnest(ids, tids); return; end if;
        -- short of a page, the stage read all its rows: the next stage, or the weeks, go on after its last
        select l.published_at, l.id into pos_at, pos_id from reviews l
         where l.status = 'published' and (l.published_at, l.id) < (pos_at, pos_id)
         order by l.published_at desc, l.id desc offset step - 1 limit 1;
        if not found then return query select * from unnest(ids, tids); return; end if;
        scanned := scanned + step;
      end loop;
      return query select * from unnest(ids, tids);

      -- 2. Week by week back in time from the week of the last row scanned: each week decodes only its
      --    own postings of the query's words and of the type, and reads only their common matches.
      --    Once the matches left look cheaper to read all at once, or after four years of weeks, the
      --    rest comes off the plain GIN index.
      week := review_search_week(pos_at);
      select review_search_week(min(o.published_at)) into oldest from reviews o where o.status = 'published';
      while got < wanted and week >= oldest loop
        -- A week costs a statement (~10 matches' worth of reading); the rest at once costs reading all
        -- its matches. Go on by weeks while, at the rate found so far, the page is nearer.
        if weeks_read >= ${MAX_WEEKS} or (weeks_read >= 2 and (got = 0 or (wanted - got)::float8 / got * weeks_read * 10 + (wanted - got) >= got::float8 / weeks_read * (week - oldest + 1))) then
          return query
            with m as materialized (
              select r.id, r.ctid, r.published_at from reviews r
               where r.status = 'published' and r.search_vector @@ query and (${OF_TYPE}) is true)
            select m.id, m.ctid from m
             where m.published_at < review_search_week_start(week + 1) and (m.published_at, m.id) < (pos_at, pos_id)
             order by m.published_at desc, m.id desc limit wanted - got;
          return;
        end if;
        week_query := review_search_week_query(query, week);
        if type_is is not null then week_query := week_query && ('''w' || week || '@type:' || type_is || '''')::tsquery; end if;
        -- "is true": rechecks the planner cannot turn into a second (plain GIN) index condition
        return query
          with m as materialized (
            select r.id, r.ctid, r.published_at from reviews r
             where r.status = 'published'
               and review_search_week_terms(r.search_vector, r.published_at, r.product_type)
                   @@ week_query
               and (r.search_vector @@ query and ${OF_TYPE}) is true)
          select m.id, m.ctid from m where (m.published_at, m.id) < (pos_at, pos_id)
          order by m.published_at desc, m.id desc limit wanted - got;
        get diagnostics n = row_count;
        got := got + n;
        weeks_read := weeks_read + 1;
        week := week - 1;
      end loop;
    end
    $fn$`;

export async function down(knex: Knex): Promise<void> {
  await knex.raw('set local statement_timeout = 0');
  await knex.raw('drop function review_search_newest(tsquery, timestamptz, uuid, integer, text)');
  await knex.raw('drop index reviews_search_weeks_idx');
  await knex.raw('drop function review_search_week_terms(tsvector, timestamptz, text)');
  // 008's index and function, as 008 made them (its week functions stayed)
  await knex.raw(searchInOneCall.LEXEMES_FUNCTION);
  await knex.raw(searchInOneCall.LEXEMES_INDEX);
  await knex.raw(searchInOneCall.NEWEST_FUNCTION);
}
