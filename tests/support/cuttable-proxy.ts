import net from 'node:net';

// A real TCP proxy in front of PostgreSQL that a test can cut: every open connection is reset and new
// ones are refused (nothing listens), as when the database server stops; restore() listens again on
// the same port. No mock: the app's pg driver, pool and change feed meet a real network failure.

export type CuttableProxy = {
  /** postgres://… through the proxy, to the target's database. */
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
};

export async function startCuttableProxy(targetUrl: string): Promise<CuttableProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {}); // a reset connection is the point
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen(0);
  const { port } = server.address() as net.AddressInfo;
  const through = new URL(targetUrl);
  through.hostname = '127.0.0.1';
  through.port = String(port);
  const stop = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.resetAndDestroy();
    await closed;
  };
  return {
    url: through.toString(),
    cut: stop,
    restore: () => listen(port),
    close: async () => {
      if (server.listening) await stop();
    },
  };
}

/** Whether tests that cut the database run: they need a PostgreSQL server (TEST_DATABASE_URL); TEST_DATABASE_FAULTS=require (.ci/run's PostgreSQL run) makes its absence a failure. */
export function databaseFaultPlan(): { run: true; url: string } | { run: false; reason: string; required: boolean } {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return { run: true, url };
  const required = process.env.TEST_DATABASE_FAULTS === 'require';
  return { run: false, required, reason: 'the embedded database has no network connection to cut: set TEST_DATABASE_URL to run them' };
}
