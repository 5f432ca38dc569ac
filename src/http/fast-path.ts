import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ResponseCache } from '../cache/response-cache.js';
import { ifNoneMatchHits } from './caching.js';
import { requestIdOf } from './request-logging.js';

// A cached public read answered before Express sees the request. Safe because an entry exists only
// for a URL the full stack has already validated and answered with 200, and its headers are the ones
// that stack set. Hits are counted in the cache's metrics rather than logged one by one.

export function withCachedFastPath(cache: ResponseCache, app: RequestListener): RequestListener {
  return (req, res) => {
    if (req.method === 'GET' && cache.active) {
      const entry = cache.peek(req.url ?? '');
      if (entry) {
        sendCached(req, res, entry);
        return;
      }
    }
    app(req, res);
  };
}

function sendCached(req: IncomingMessage, res: ServerResponse, entry: NonNullable<ReturnType<ResponseCache['peek']>>): void {
  const headers: Record<string, string | number> = { ...entry.headers, etag: entry.etag, 'x-request-id': requestIdOf(req) };
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatchHits(ifNoneMatch, entry.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  headers['content-length'] = entry.body.length;
  res.writeHead(200, headers);
  res.end(entry.body);
}
