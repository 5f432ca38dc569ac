import type { Knex } from 'knex';
import { useTestApp } from '../support/test-app.js';

// Public reads run under their own, shorter statement timeout, editors' work and everything else
// under the usual 5 s, on the very same pooled connections (ADR 0041). PostgreSQL only: the
// embedded database has no statement timeout for the service to set.

const url = process.env.TEST_DATABASE_URL;
if (!url)
  process.stdout.write('\n\n*** public read timeout tests NOT RUN: the embedded database sets no statement timeout; set TEST_DATABASE_URL to run them ***\n\n');

const statementTimeout = async (knex: Knex): Promise<string> => {
  const { rows } = await knex.raw<{ rows: { statement_timeout: string }[] }>('show statement_timeout');
  return rows[0]?.statement_timeout ?? '';
};

(url ? describe : describe.skip)('the public read statement timeout', () => {
  // one connection: every step below runs on the same one, so its timeout must follow whoever borrows it
  const app = useTestApp({ PUBLIC_READ_STATEMENT_TIMEOUT_MS: '100', DATABASE_POOL_MAX: '1' });

  test('when a public read runs a statement past PUBLIC_READ_STATEMENT_TIMEOUT_MS, then PostgreSQL cancels it', async () => {
    await expect(app.db.reads.read((knex) => knex.raw('select pg_sleep(2)'))).rejects.toMatchObject({ code: '57014' });
  });

  test('when the connection a public read used serves other work, then that work runs under the usual 5 s, and the next public read under its own limit again', async () => {
    expect(await app.db.reads.read(statementTimeout)).toBe('100ms');
    expect(await statementTimeout(app.db.knex)).toBe('5s');
    // longer than the public read limit: an editor's statement is not cut short by it
    await expect(app.db.knex.raw('select pg_sleep(0.3)')).resolves.toBeDefined();
    expect(await app.db.reads.read(statementTimeout)).toBe('100ms');
    expect(await app.db.knex.transaction(statementTimeout)).toBe('5s');
  });

  test('when a public read runs within its limit, then its answer is as usual', async () => {
    const res = await app.request('GET', '/v1/content?q=anything&sort=relevance');

    expect(res.status).toBe(200);
    expect(await app.db.reads.read(statementTimeout)).toBe('100ms');
  });
});
