import { AsyncLocalStorage } from 'node:async_hooks';
import type { Knex } from 'knex';
import type pg from 'pg';

// Public reads run under a shorter statement_timeout than everything else (ADR 0041): anyone can
// send them, and a crafted search (`q=price -price`, by relevance) read every review for seconds.
// They share the primary's pool with editors' requests, so the timeout is a connection's state, set
// only when a connection passes from a public read to other work or back: in a service that reads
// far more than it writes, that is rare, and a read costs no extra round trip.

const publicRead = new AsyncLocalStorage<true>();

/**
 * Runs fn as a public read: every connection it borrows runs its statements under the public read
 * timeout. Async, so that a knex query fn returns unawaited (run only when awaited) runs inside too.
 */
export function asPublicRead<T>(fn: () => PromiseLike<T>): Promise<T> {
  return publicRead.run(true, async () => fn());
}

type PgClient = { acquireConnection(): Promise<pg.Client>; releaseConnection(connection: pg.Client): Promise<unknown> };

/**
 * Makes `knex`'s connections run public reads (inside asPublicRead) under `readMs` and anything else
 * under `defaultMs`, the statement_timeout each connection opens with.
 */
export function timePublicReads(knex: Knex, readMs: number, defaultMs: number): void {
  const client = knex.client as PgClient;
  const acquire = client.acquireConnection.bind(client);
  const timeoutOf = new WeakMap<pg.Client, number>();
  client.acquireConnection = async () => {
    const connection = await acquire();
    const wanted = publicRead.getStore() ? readMs : defaultMs;
    if ((timeoutOf.get(connection) ?? defaultMs) === wanted) return connection;
    try {
      await connection.query(`set statement_timeout = ${Math.trunc(wanted)}`);
    } catch (error) {
      await client.releaseConnection(connection);
      throw error;
    }
    timeoutOf.set(connection, wanted);
    return connection;
  };
}
