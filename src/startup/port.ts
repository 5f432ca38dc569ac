import net from 'node:net';
import { StartupError } from './startup-error.js';

/**
 * Fails fast when PORT cannot be listened on, before the database is opened (which takes seconds).
 * Another process may still take the port in between: listen() maps its error the same way.
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return; // any free port
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => reject(listenFailure(error, port, host)));
    probe.listen({ port, host, exclusive: true }, () => resolve());
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** The error listen() gave, as one line naming PORT or HOST and what to do; other errors unchanged. */
export function listenFailure(error: unknown, port: number, host: string): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new StartupError(
        `PORT ${port} is already in use on ${host}: stop the process listening there, or choose another port (PORT=${port < 65535 ? port + 1 : port - 1} npm start).`,
      );
    case 'EACCES':
      return new StartupError(`PORT ${port} needs privileges this process does not have: choose a port above 1023 (PORT=3000 npm start).`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartupError(`HOST ${host} is not an address of this machine: use 0.0.0.0 (all interfaces) or 127.0.0.1.`);
    default:
      return error;
  }
}
