import type { Knex } from 'knex';
import { inParallel } from '../in-parallel.js';

type IndexDefinition = { name: string; definition: string; statistics: { column: number; target: number }[] };

/**
 * Bulk loads are several times faster into a table without its secondary indexes (the GIN index
 * over search_vector above all), and building an index once from sorted data also yields the
 * compact index a long-lived table would have after REINDEX. The definitions are read from the
 * catalog, not copied from the migration, so they stay exactly what the app's migrations made.
 * Indexes that back constraints (primary key, unique slug) stay: they guard the data.
 * An index column's statistics target is not part of the definition: it is read with it and set
 * again, or the bench would plan on other statistics than production (migration 010's 1000 on the
 * relevance tiers was lost this way until 012 set them back to the default: ADR 0039).
 */
export async function withSecondaryIndexesDropped(knex: Knex, table: string, jobs: number, load: () => Promise<void>): Promise<void> {
  const { rows: indexes } = await knex.raw<{ rows: IndexDefinition[] }>(
    `select c.relname as name, pg_get_indexdef(i.indexrelid) as definition,
       coalesce((select json_agg(json_build_object('column', a.attnum, 'target', a.attstattarget))
                 from pg_attribute a where a.attrelid = i.indexrelid and a.attstattarget > 0), '[]') as statistics
     from pg_index i join pg_class c on c.oid = i.indexrelid
     where i.indrelid = ?::regclass
       and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`,
    [table],
  );
  for (const index of indexes) await knex.raw('drop index ??', [index.name]);
  try {
    await load();
  } finally {
    await rebuild(knex, indexes, jobs);
  }
}

async function rebuild(knex: Knex, indexes: IndexDefinition[], jobs: number): Promise<void> {
  await inParallel(indexes, jobs, (index) =>
    knex.transaction(async (trx) => {
      await trx.raw(`set local maintenance_work_mem = '512MB'`);
      await trx.raw(index.definition);
      for (const { column, target } of index.statistics) {
        await trx.raw(`alter index ?? alter column ${Number(column)} set statistics ${Number(target)}`, [index.name]);
      }
    }),
  );
}
