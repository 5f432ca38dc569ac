import type { RequestListener, ServerResponse } from 'node:http';

// server.close() stops accepting connections, but Node keeps answering requests on connections
// already open, with `Connection: keep-alive`, for as long as the client keeps sending: a load
// balancer that pools its connections (haproxy does) then never lets them go, close() never
// finishes, and the forced exit at SHUTDOWN_TIMEOUT_MS cuts whatever is in flight. Once draining,
// every answer not yet started, in flight or new, says `Connection: close`, so each pooled
// connection ends after its current request.

export type ConnectionDrain = { handle: RequestListener; begin(): void };

export function connectionDrain(handle: RequestListener): ConnectionDrain {
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  const closeAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  return {
    handle(req, res) {
      if (draining) closeAfter(res);
      else {
        inFlight.add(res);
        res.once('close', () => inFlight.delete(res));
      }
      handle(req, res);
    },
    begin() {
      draining = true;
      for (const res of inFlight) closeAfter(res);
      inFlight.clear();
    },
  };
}
