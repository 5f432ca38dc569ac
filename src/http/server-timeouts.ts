import type { Server } from 'node:http';

/**
 * Keep-alive longer than common load balancers' idle timeouts (60 s), so the proxy always closes an
 * idle connection first and never sends a request on one this server is closing at that moment (a
 * reset the client sees as a failed request). The tests' servers use the same values: with Node's
 * 5 s default a loaded machine hit that race between two requests of one test.
 */
export function applyServerTimeouts(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
}
