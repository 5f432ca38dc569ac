import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectionDrain } from '../../src/http/connection-drain.js';

// The rolling restart of the cluster test (npm run cluster:test) found instances taking the whole
// SHUTDOWN_TIMEOUT_MS to exit: haproxy kept sending requests on its pooled connections.

function get(port: number, agent: http.Agent): Promise<{ connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ port, host: '127.0.0.1', agent }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ connection: res.headers.connection, body }));
      })
      .on('error', reject);
  });
}

describe('connection drain on shutdown', () => {
  test('when the server starts closing while a kept-alive connection is busy, then its answer closes that connection and the server finishes closing', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const drain = connectionDrain((_req, res) => {
      calls++;
      // the second request is the one in flight when shutdown begins
      if (calls === 2) void held.then(() => res.end('ok'));
      else res.end('ok');
    });
    const server = http.createServer(drain.handle).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(port, agent)).toEqual({ connection: 'keep-alive', body: 'ok' });
      const inFlight = get(port, agent);
      await until(() => calls === 2);

      drain.begin();
      const closed = once(server, 'close');
      server.close(); // closes idle connections only: this one is busy
      release();

      expect(await inFlight).toEqual({ connection: 'close', body: 'ok' });
      await closed;
    } finally {
      agent.destroy();
      server.closeAllConnections();
    }
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
