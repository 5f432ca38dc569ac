import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { CachedResponse, ResponseCache } from '../cache/response-cache.js';
import { ifNoneMatchHits } from './caching.js';
import { requestIdOf } from './request-logging.js';

// A cached public read answered before Express sees the request. Safe because an entry exists only
// for a URL the full stack or the public read lane has already validated and answered with 200, and
// its headers are the ones the full stack sets. Hits are counted in the cache's metrics rather than logged one by one.

export function withCachedFastPath(cache: ResponseCache, next: RequestListener): RequestListener {
  return (req, res) => {
    if (req.method === 'GET' && cache.active) {
      const entry = cache.peek(req.url ?? '');
      if (entry) {
        sendEntry(req, res, entry, requestIdOf(req));
        return;
      }
    }
    next(req, res);
  };
}

/** Writes a public response from its serialized entry: 304 when If-None-Match holds its tag. Returns the status sent. */
export function sendEntry(req: IncomingMessage, res: ServerResponse, entry: CachedResponse, requestId: string): number {
  const headers: Record<string, string | number> = { ...entry.headers, etag: entry.etag, 'x-request-id': requestId };
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatchHits(ifNoneMatch, entry.etag)) {
    res.writeHead(304, headers);
    res.end();
    return 304;
  }
  headers['content-length'] = entry.body.length;
  res.writeHead(200, headers);
  res.end(entry.body);
  return 200;
}
