import { once } from 'node:events';
import { createServer } from 'node:net';

/** A loopback port the OS just reported free. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (typeof address !== 'object' || !address) throw new Error('could not find a free port');
  return address.port;
}
