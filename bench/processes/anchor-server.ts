import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

// The anchor: bare node:http answering every request with a fixed, precomputed response — the
// real cached GET /v1/content captured by the runner, byte for byte with its header names and
// sizes. Its req/s is the most any Node server on this machine can do for that response, so the
// service's cached read is judged against it rather than against an absolute number.

export type AnchorFixture = { status: number; headers: Record<string, string>; bodyBase64: string };

const fixturePath = process.argv[2];
if (!fixturePath) throw new Error('usage: anchor-server.ts <fixture.json>');
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as AnchorFixture;
const body = Buffer.from(fixture.bodyBase64, 'base64');
const headers = { ...fixture.headers, 'content-length': String(body.length) };

const server = createServer((request, response) => {
  // drain the (empty) request body so keep-alive connections stay usable
  request.resume();
  response.writeHead(fixture.status, headers);
  response.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
