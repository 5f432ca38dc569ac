import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';

/**
 * The embedded PostgreSQL, with the extensions the migrations create (PostgreSQL servers ship them
 * in contrib; PGlite loads each one it is given): btree_gin for the search index of migration 010.
 * `dataDir` unset: in memory.
 */
export function openPGlite(dataDir?: string, options: Omit<PGliteOptions, 'dataDir' | 'extensions'> = {}): PGlite {
  return new PGlite({ ...options, dataDir, extensions: { btree_gin } });
}
