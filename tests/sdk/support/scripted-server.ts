import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local server that answers from a script, to make the SDK meet failures on purpose,
// and records what arrived when.

export type ScriptedReply = { status: number; body?: unknown; headers?: Record<string, string> } | { hangMs: number } | { destroy: true };

export type ReceivedRequest = { at: number; method: string; url: string; headers: IncomingHttpHeaders; body: string };

export type ScriptedServer = {
  baseUrl: string;
  received: ReceivedRequest[];
  /** Gaps in ms between consecutive requests. */
  gaps(): number[];
  close(): Promise<void>;
};

/** Replies in order; the last reply repeats. A function reply sees the request. */
export async function startScriptedServer(script: ScriptedReply[] | ((request: ReceivedRequest, index: number) => ScriptedReply)): Promise<ScriptedServer> {
  const received: ReceivedRequest[] = [];
  const hanging = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request = { at: performance.now(), method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(request);
      const index = received.length - 1;
      const reply = typeof script === 'function' ? script(request, index) : (script[Math.min(index, script.length - 1)] as ScriptedReply);
      if ('destroy' in reply) return void req.socket.destroy();
      if ('hangMs' in reply) {
        const timer = setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), reply.hangMs);
        return void hanging.add(timer);
      }
      const isProblem = reply.status >= 400;
      res.writeHead(reply.status, {
        'content-type': isProblem ? 'application/problem+json' : 'application/json',
        'x-request-id': `req-${index}`,
        ...reply.headers,
      });
      res.end(reply.body === undefined ? (isProblem ? JSON.stringify(problem(reply.status)) : undefined) : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    received,
    gaps: () => received.slice(1).map((r, i) => r.at - (received[i] as ReceivedRequest).at),
    async close() {
      for (const timer of hanging) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export function problem(status: number, code = `status_${status}`) {
  return { type: `https://randomcamerareviews.example/problems/${code}`, title: `Status ${status}`, status, code, detail: `Scripted ${status}.` };
}

export const emptyPage = { items: [], next_cursor: null };
