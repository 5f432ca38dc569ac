import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type pg from 'pg';

// Public reads are a handful of query shapes run thousands of times a second. Planning one of them
// (a three-table join, a dozen candidate indexes) cost PostgreSQL ~0.45 ms against ~0.1 ms to run
// it at 1M reviews, so on PostgreSQL each shape runs as a named prepared statement: parsed once per
// connection, and planned once when PostgreSQL's own custom-vs-generic check finds the generic plan
// no worse. A search's index windows are left out (their plans depend on the term). The embedded database
// (knex-pglite) runs the same SQL unprepared. Behind a pooler, PgBouncer 1.21+ in transaction mode
// needs max_prepared_statements set; older ones need session mode.

const knownNames = new Map<string, string>();

/**
 * LIMIT and OFFSET written into a prepared statement's text instead of bound. For a bound LIMIT
 * PostgreSQL's generic plan assumes 10% of the rows, so its cost never beat a custom plan's and
 * PostgreSQL planned every execution again: ~0.4 ms of planning against ~0.3 ms to read a page of 20
 * at 1M reviews. With the values in the text the plan cache settles on the generic plan after its
 * first five runs (its own cost check, so a shape whose best plan depends on the values stays custom).
 * Each distinct value is one more statement kept on every connection: callers pass constants or
 * pageFetchSize's few sizes.
 */
export function fixedLimit<Q extends Knex.QueryBuilder>(query: Q, limit: number, offset?: number): Q {
  for (const n of [limit, offset ?? 0]) {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`fixedLimit: ${n} is not a row count`);
  }
  query.limit(limit, { skipBinding: true });
  if (offset !== undefined) query.offset(offset, { skipBinding: true });
  return query;
}

/**
 * Runs a SELECT built with knex as a prepared statement named after its SQL text; the rows as pg
 * parses them. A query builder, not a raw query: where it runs unprepared (a transaction, the
 * embedded database) a raw query would give the driver's result object instead of its rows.
 */
export async function preparedRows<T>(db: Knex, query: Knex.QueryBuilder): Promise<T[]> {
  // inside a transaction the statement must run on the transaction's own connection: knex's way
  if ((db.client as Knex.Client).config.client !== 'pg' || db.isTransaction) return (await query) as T[];
  const { sql, bindings } = query.toSQL().toNative();
  const client = db.client as { acquireConnection(): Promise<pg.Client>; releaseConnection(c: pg.Client): Promise<void> };
  const connection = await client.acquireConnection();
  try {
    const result = await connection.query<T & pg.QueryResultRow>({ name: statementName(sql), text: sql, values: bindings as unknown[] });
    return result.rows;
  } finally {
    await client.releaseConnection(connection);
  }
}

/** Same text, same name, on every connection; 63 bytes at most (PostgreSQL's identifier limit). */
function statementName(sql: string): string {
  let name = knownNames.get(sql);
  if (name === undefined) {
    name = `rcr_${createHash('sha256').update(sql).digest('base64url').slice(0, 32)}`;
    // shapes are few (sorts × filter combinations); the bound only guards against an unforeseen source of variety
    if (knownNames.size < 10_000) knownNames.set(sql, name);
  }
  return name;
}
