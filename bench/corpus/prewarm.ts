import type { Knex } from 'knex';

/**
 * Reads the corpus (tables, their TOAST, indexes) into the operating system's page cache before
 * any load. A database serving a 4 GB corpus from a machine with RAM to spare holds it in memory;
 * right after a reboot it does not, and older search matches were read from disk (a two-word
 * search's heap fetches took 1 s instead of 20 ms). Without this, figures depend on what ran
 * before the bench. pg_prewarm ships with PostgreSQL but creating it needs a superuser: where it
 * cannot be had, each table is read once by a sequential scan instead (no indexes), and the line
 * printed says so.
 */
export async function prewarmCorpus(knex: Knex, schema: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  try {
    await knex.raw('create extension if not exists pg_prewarm with schema public');
    const { rows } = await knex.raw<{ rows: { blocks: string }[] }>(
      `select sum(public.pg_prewarm(c.oid, 'read'))::text as blocks
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where (n.nspname = ? and c.relkind in ('r', 'i', 'm'))
           or c.oid in (select reltoastrelid from pg_class t join pg_namespace tn on tn.oid = t.relnamespace where tn.nspname = ? and t.reltoastrelid <> 0)`,
      [schema, schema],
    );
    const megabytes = Math.round((Number(rows[0]?.blocks ?? 0) * 8) / 1024);
    log(`corpus: ${megabytes.toLocaleString('en')} MB read into the page cache by pg_prewarm in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    for (const table of ['reviews', 'products', 'editors']) await knex.raw('select count(*) from ??', [table]);
    log(`corpus: pg_prewarm unavailable (${reason}); tables read once by sequential scan, indexes left cold`);
  }
}
