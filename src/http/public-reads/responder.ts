import type { Response } from 'express';
import type { ResponseCache } from './response-cache.js';
import type { PublicReadId } from '../../handlers/public-reads.js';
import type { PublicResponder } from '../../handlers/services.js';
import { ifNoneMatchHits, publicCacheControl, type PublicCachePolicy } from '../caching.js';
import { staleIfErrorHeaders } from './fast-path.js';

// How every public read answers: through the response cache (serialized once, strong ETag over
// the bytes, 304 for a matching If-None-Match), with headers a CDN can cache by.

/** Headers of the request's own that must not be replayed to other readers from the cache. */
const PER_REQUEST = new Set(['x-request-id', 'content-length', 'etag', 'set-cookie']);

/**
 * `compute` must not capture the request: a cached entry keeps it to refresh itself later.
 * Responses go through res.json where the contract validates them (tests); elsewhere the cached bytes are sent as they are.
 */
export function publicResponder(
  cache: ResponseCache,
  policy: PublicCachePolicy,
  validated: boolean,
  /** Hears the headers the stack set for an operation (the public read lane answers with them). */
  onHeaders: (operationId: PublicReadId, headers: Readonly<Record<string, string>>) => void = () => {},
): PublicResponder {
  const cacheControl = publicCacheControl(policy);
  return async (req, res, operationId, compute) => {
    res.set({ 'Cache-Control': cacheControl, Vary: 'Accept-Encoding', 'Content-Type': 'application/json; charset=utf-8' });
    const headers = replayableHeaders(res);
    onHeaders(operationId, headers);
    const entry = await cache.fetch(req.originalUrl, compute, headers);
    res.set('ETag', entry.etag);
    const stale = staleIfErrorHeaders(entry);
    for (let i = 0; i < stale.length; i += 2) res.set(stale[i] as string, stale[i + 1] as string);
    if (ifNoneMatchHits(req.get('if-none-match'), entry.etag)) {
      // a 304 carries no content, so no header describing it (RFC 9110 §15.4.5)
      res.removeHeader('Content-Type');
      res.status(304).end();
      return;
    }
    if (validated) {
      res.json(entry.value ?? JSON.parse(entry.body.toString('utf8')));
      return;
    }
    res.set('Content-Length', String(entry.body.length));
    res.status(200).end(entry.body);
  };
}

function replayableHeaders(res: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value === undefined || PER_REQUEST.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}
