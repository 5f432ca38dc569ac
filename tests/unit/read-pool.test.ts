import { jest } from '@jest/globals';
import type { Knex } from 'knex';
import { parseLsn } from '../../src/data/lsn.js';
import { createReadPool, type ReadPool } from '../../src/data/read-pool.js';

// The routing rules of the read pool, on fake servers; tests/integration/replicas.test.ts runs it on a real standby.

type FakeServer = Knex & { label: string; state: { lsn: string; standby: boolean; down: boolean } };

function fakeServer(label: string, lsn = '0/1000', standby = true): FakeServer {
  const state = { lsn, standby, down: false };
  const raw = jest.fn((sql: string) => {
    const answer = state.down
      ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' }))
      : Promise.resolve({ rows: [/pg_is_in_recovery/.test(sql) ? { standby: state.standby, replay: state.lsn } : { lsn: state.lsn }] });
    return Object.assign(answer, { timeout: () => answer });
  });
  return { label, state, raw, destroy: async () => {} } as unknown as FakeServer;
}

const POLL_MS = 5;
const polled = () => new Promise((resolve) => setTimeout(resolve, POLL_MS * 4));
const served = (pool: ReadPool) => pool.read(async (knex) => (knex as FakeServer).label);

let pools: ReadPool[] = [];
function poolOver(primary: FakeServer, replicas: FakeServer[]): ReadPool {
  const byUrl = new Map(replicas.map((r, i) => [`postgres://app@replica-${i}:5432/reviews`, r]));
  const pool = createReadPool(primary, [...byUrl.keys()], {
    schema: 'public',
    poolMax: 2,
    pollIntervalMs: POLL_MS,
    connect: (url) => byUrl.get(url) as FakeServer,
  });
  pools.push(pool);
  return pool;
}
afterEach(async () => {
  await Promise.all(pools.map((p) => p.close()));
  pools = [];
});

describe('parseLsn', () => {
  test('when LSNs are compared, then by their 64-bit position, not as text', () => {
    expect(parseLsn('16/B374D848')).toBe(0x16b374d848n);
    expect(parseLsn('A/0') > parseLsn('9/FFFFFFFF')).toBe(true);
    expect(() => parseLsn('not-an-lsn')).toThrow(/Not a WAL LSN/);
  });
});

describe('createReadPool', () => {
  test('when no replica is configured, then every read runs on the primary and noting a write asks nothing', async () => {
    const primary = fakeServer('primary');
    const pool = createReadPool(primary, [], { schema: 'public', poolMax: 2 });

    expect(await served(pool)).toBe('primary');
    await pool.noteWriteFromPrimary();
    expect(primary.raw).not.toHaveBeenCalled();
    expect(pool.status()).toEqual({ replicas: [] });
  });

  test('when two replicas are healthy and caught up, then reads alternate between them', async () => {
    const pool = poolOver(fakeServer('primary'), [fakeServer('a'), fakeServer('b')]);
    expect(await served(pool)).toBe('primary'); // not polled yet: nothing is known to be healthy
    await polled();

    expect([await served(pool), await served(pool), await served(pool), await served(pool)]).toEqual(['a', 'b', 'a', 'b']);
    expect(pool.status().replicas).toEqual([
      { name: 'replica-0:5432/reviews', healthy: true, replayLsn: '0/1000', lagBytes: 0, reads: 2, circuit: 'closed' },
      { name: 'replica-1:5432/reviews', healthy: true, replayLsn: '0/1000', lagBytes: 0, reads: 2, circuit: 'closed' },
    ]);
  });

  test('when a write is noted beyond a replica, then that replica is skipped until it has replayed the write', async () => {
    const primary = fakeServer('primary', '0/2000');
    const [a, b] = [fakeServer('a', '0/1000'), fakeServer('b', '0/2000')];
    const pool = poolOver(primary, [a, b]);
    await polled();

    await pool.noteWriteFromPrimary();
    expect([await served(pool), await served(pool)]).toEqual(['b', 'b']);
    primary.state.lsn = '0/3000';
    pool.noteWrite('0/3000'); // e.g. another instance's write, announced to this one
    expect(await served(pool)).toBe('primary');

    a.state.lsn = '0/3000';
    await polled();
    expect(await served(pool)).toBe('a');
    expect(pool.status().replicas.map((r) => r.lagBytes)).toEqual([0, 0x1000]);
  });

  test('when a replica fails mid-read with a connection error, then the read is retried on the primary and the replica is down until a poll succeeds', async () => {
    const replica = fakeServer('replica');
    const pool = poolOver(fakeServer('primary'), [replica]);
    await polled();
    replica.state.down = true;

    const result = await pool.read(async (knex) => {
      if (knex === replica) throw new Error('select … - Connection terminated unexpectedly');
      return 'primary';
    });
    expect(result).toBe('primary');
    expect(pool.status().replicas[0]?.healthy).toBe(false);
    expect(await served(pool)).toBe('primary');

    replica.state.down = false;
    await polled();
    expect(await served(pool)).toBe('replica');
  });

  test('when a read fails for a reason of its own, then it is not retried and the replica stays in use; a recovery conflict is retried on the primary', async () => {
    const replica = fakeServer('replica');
    const pool = poolOver(fakeServer('primary'), [replica]);
    await polled();
    const failOnReplica = (code: string) => (knex: Knex) =>
      knex === replica ? Promise.reject(Object.assign(new Error(code), { code })) : Promise.resolve('primary');

    await expect(pool.read(failOnReplica('42P01'))).rejects.toMatchObject({ code: '42P01' });
    expect(await pool.read(failOnReplica('40001'))).toBe('primary');
    expect(pool.status().replicas[0]?.healthy).toBe(true);
  });

  test('when the primary cannot tell its WAL position after a write, then noting resolves and replicas are skipped until the primary answers a poll', async () => {
    const primary = fakeServer('primary', '0/1000');
    const pool = poolOver(primary, [fakeServer('replica', '0/1000')]);
    await polled();

    primary.state.down = true;
    await expect(pool.noteWriteFromPrimary()).resolves.toBeUndefined();
    await polled();
    expect(await pool.read(async (knex) => (knex === primary ? 'primary' : 'replica'))).toBe('primary');

    primary.state.down = false;
    await polled();
    expect(await served(pool)).toBe('replica');
  });

  test('when the primary is gone and no replica is known to hold the newest write, then a healthy replica answers rather than nobody', async () => {
    const primary = fakeServer('primary', '0/1000');
    const pool = poolOver(primary, [fakeServer('replica', '0/1000')]);
    await polled();

    primary.state.down = true; // it stopped between a commit and the question of where its WAL is
    await pool.noteWriteFromPrimary();
    const read = (knex: Knex) =>
      knex === primary ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) : Promise.resolve('replica');

    expect(await pool.read(read)).toBe('replica');
    await expect(pool.read(() => Promise.reject(new Error('syntax error at or near "selec"')))).rejects.toThrow('syntax error');
  });

  test('when a replica has been promoted (no longer in recovery), then it is not used', async () => {
    const pool = poolOver(fakeServer('primary'), [fakeServer('promoted', '0/1000', false)]);
    await polled();

    expect(await served(pool)).toBe('primary');
    expect(pool.status().replicas[0]?.healthy).toBe(false);
  });
});
