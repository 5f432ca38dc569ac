import { writeFileSync } from 'node:fs';
import type { AnchorFixture } from './anchor-server.js';

// Per-connection and per-response headers Node writes itself; everything else is copied.
const HOP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/**
 * Captures the service's cached response to `path` for the anchor to replay. Asked twice: the
 * first request fills the read cache, the second is the cache hit the cached scenario measures.
 */
export async function captureAnchorFixture(baseUrl: string, path: string, file: string): Promise<{ bytes: number }> {
  await (await fetch(`${baseUrl}${path}`)).arrayBuffer();
  const response = await fetch(`${baseUrl}${path}`);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${body.toString().slice(0, 300)}`);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!HOP_HEADERS.has(name)) headers[name] = value;
  });
  const fixture: AnchorFixture = { status: response.status, headers, bodyBase64: body.toString('base64') };
  writeFileSync(file, JSON.stringify(fixture));
  return { bytes: body.length };
}
