import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from '@jest/globals';
import { createOverloadGuard, type OverloadGuard } from '../../src/http/overload.js';

/** Holds the event loop, as a CPU-bound burst would. */
function block(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process that cannot keep up for `ms`: 200 ms bursts, each let go only briefly. */
async function overloadFor(ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    block(200);
    await sleep(1);
  }
}

let server: Server | undefined;
let guard: OverloadGuard | undefined;
afterEach(async () => {
  guard?.close();
  await new Promise((resolve) => server?.close(resolve));
});

const PORTAL = 'https://portal.example';

let shedHeard = 0;

async function guarded(thresholdMs: number): Promise<string> {
  shedHeard = 0;
  guard = createOverloadGuard(thresholdMs, [PORTAL], () => shedHeard++);
  server = createServer(guard.wrap((_req, res) => res.end('answered')));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('shedding on event-loop delay', () => {
  test('when the event loop has been held past the threshold for two windows in a row, then requests get 503 problem+json with Retry-After at once, readable cross-origin as their routes grant, and probes still answer', async () => {
    const base = await guarded(100);
    expect(await (await fetch(`${base}/v1/content`)).text()).toBe('answered'); // the first request starts the watch

    // a second and a half of bursts spans at least two whole half-second windows; a busy machine only adds delay
    await overloadFor(1500);
    const [shed, shedPost, probe] = await Promise.all([
      fetch(`${base}/v1/content`, { headers: { origin: 'https://reader.example' } }),
      fetch(`${base}/v1/reviews`, { method: 'POST', headers: { origin: PORTAL } }),
      fetch(`${base}/readyz`),
    ]);

    expect(shed.status).toBe(503);
    expect(shed.headers.get('content-type')).toBe('application/problem+json');
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(await shed.json()).toMatchObject({ status: 503, code: 'service_unavailable' });
    // readable by the page that sent it, as the route's own answers are (cors.ts)
    expect(shed.headers.get('access-control-allow-origin')).toBe('*');
    expect(shed.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect(shedPost.status).toBe(503);
    expect(shedPost.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(guard?.counters().shed).toBeGreaterThan(0);
    expect(shedHeard).toBe(guard?.counters().shed); // the runtime's failure summary hears each one
    expect(guard?.counters().event_loop_delay_p99_ms).toBeGreaterThan(100);
    expect(await probe.text()).toBe('answered');
  });

  test('when the threshold is 0, then nothing is ever shed', async () => {
    const base = await guarded(0);
    await overloadFor(1500);

    expect((await fetch(`${base}/v1/content`)).status).toBe(200);
    expect(guard?.counters().shed).toBe(0);
  });
});
