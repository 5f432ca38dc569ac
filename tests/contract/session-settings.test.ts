import type { Knex } from 'knex';
import { useTestApp } from '../support/test-app.js';

// What every connection to PostgreSQL is set to when it opens (src/data/postgres.ts). PostgreSQL
// only: the embedded database opens no pooled connections.

const url = process.env.TEST_DATABASE_URL;
if (!url)
  process.stdout.write('\n\n*** session settings tests NOT RUN: the embedded database has no pooled connections; set TEST_DATABASE_URL to run them ***\n\n');

const setting = async (knex: Knex, name: string): Promise<string> => {
  const { rows } = await knex.raw<{ rows: { value: string }[] }>('select current_setting(?) as value', [name]);
  return rows[0]?.value ?? '';
};

(url ? describe : describe.skip)('PostgreSQL session settings', () => {
  const app = useTestApp();

  test('when a connection opens, then it plans for data in memory, without JIT or parallel workers, and with its timeouts', async () => {
    const names = ['random_page_cost', 'jit', 'max_parallel_workers_per_gather', 'statement_timeout', 'lock_timeout'];
    const values = await Promise.all(names.map((name) => setting(app.db.knex, name)));

    expect(Object.fromEntries(names.map((name, i) => [name, values[i]]))).toEqual({
      random_page_cost: '1.1',
      jit: 'off',
      max_parallel_workers_per_gather: '0',
      statement_timeout: '5s',
      lock_timeout: '1s',
    });
  });
});
