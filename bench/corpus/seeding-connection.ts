import knexFactory, { type Knex } from 'knex';

/**
 * A pool for seeding and measuring the corpus. Not the app's own pool: that one cancels every
 * statement after 5 s, and building a million rows or a GIN index takes minutes.
 */
export function openSeedingConnection(url: string, schema: string, connections: number): Knex {
  return knexFactory({
    client: 'pg',
    connection: { connectionString: url, application_name: 'randomcamerareviews-bench' },
    searchPath: [schema],
    pool: { min: 0, max: connections },
  });
}
