import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { jest } from '@jest/globals';
import { createLogger } from '../../src/logger.js';
import { failureSummary } from '../../src/http/request-logging.js';
import { startAppWithUnreachableDatabase, type UnreachableDatabaseApp } from '../support/unreachable-database-app.js';

// Logs while the database is down stay readable: one line per failed request, no stack for an
// outage everyone expects, never the SQL or its parameters; and a summary per kind per interval.

const lines: Record<string, unknown>[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    );
    done();
  },
});

let down: UnreachableDatabaseApp;
beforeAll(async () => {
  down = await startAppWithUnreachableDatabase(createLogger('info', capture));
});
afterAll(async () => {
  await down?.close();
});

describe('logs while the database is down', () => {
  test('when public reads and a post fail, then each failed request is one error line that says why, without a stack, SQL or its parameters', async () => {
    const marker = `marker-${randomUUID()}`;
    const requestIds = [randomUUID(), randomUUID(), randomUUID()];
    await down.request('GET', `/v1/content?q=${marker}`, { headers: { 'x-request-id': requestIds[0] as string } });
    await down.request('GET', '/v1/content/a-review-slug', { headers: { 'x-request-id': requestIds[1] as string } });
    await down.request('POST', '/v1/reviews', {
      token: down.token(),
      headers: { 'x-request-id': requestIds[2] as string, 'idempotency-key': marker },
      body: { product_id: randomUUID(), title: marker, summary: 's', body: 'b', verdict_score: 5, status: 'published' },
    });

    const perRequest = requestIds.map((id) => lines.filter((line) => JSON.stringify(line).includes(id)));
    const text = JSON.stringify(lines);

    for (const [i, mine] of perRequest.entries()) {
      expect({ i, count: mine.length }).toEqual({ i, count: 1 });
      expect(mine[0]).toMatchObject({ level: 50, res: { status: 503 }, err: { code: 'service_unavailable', cause: { code: 'ECONNREFUSED' } } });
    }
    expect(text).not.toMatch(/"stack"|\\n\s+at /);
    expect(text).not.toContain(marker); // the search text and the body: paths are logged, queries and bodies never
    expect(text).not.toMatch(/\bselect\b|\binsert\b/i);
  });

  test('when failures happen within an interval, then one summary line per interval counts each kind', () => {
    jest.useFakeTimers();
    try {
      const summaries: Record<string, unknown>[] = [];
      const logger = createLogger('info', new Writable({ write: (chunk, _e, done) => (summaries.push(JSON.parse(String(chunk))), done()) }));
      const summary = failureSummary(logger);
      for (let i = 0; i < 7; i++) summary.count('service_unavailable:ECONNREFUSED');
      summary.count('service_unavailable:BrokenCircuitError');

      jest.advanceTimersByTime(10_000);
      jest.advanceTimersByTime(10_000); // nothing failed in the second interval: no line

      expect(summaries).toEqual([
        expect.objectContaining({
          level: 40,
          msg: 'failed requests by kind',
          failures: { 'service_unavailable:ECONNREFUSED': 7, 'service_unavailable:BrokenCircuitError': 1 },
        }),
      ]);
    } finally {
      jest.useRealTimers();
    }
  });
});
