import type { Request, RequestHandler, Response } from 'express';
import etag from 'etag';

// Public reads are cacheable by browsers and CDNs; anything tied to an editor never is.

export type PublicCachePolicy = { maxAgeSeconds: number };

export function publicCacheControl(policy: PublicCachePolicy): string {
  const s = policy.maxAgeSeconds;
  return `public, max-age=${s}, s-maxage=${s}, stale-while-revalidate=${s * 5}, stale-if-error=86400`;
}

/**
 * Public JSON with CDN-friendly caching: a strong ETag over the exact bytes, and 304 for a
 * matching If-None-Match. Compared here rather than by Express, whose freshness check always
 * answers 200 when the request says `Cache-Control: no-cache` — which fetch() adds to every
 * conditional request — while RFC 9110 has the origin evaluate If-None-Match regardless.
 */
export function sendPublicJson<T>(req: Request, res: Response, body: T, policy: PublicCachePolicy): void {
  const tag = etag(JSON.stringify(body));
  res.set({ ETag: tag, 'Cache-Control': publicCacheControl(policy), Vary: 'Accept-Encoding' });
  if (ifNoneMatchHits(req.get('if-none-match'), tag)) {
    res.status(304).end();
    return;
  }
  res.json(body); // through res.json so the contract's response validation still sees it in tests
}

function ifNoneMatchHits(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  // weak comparison, as RFC 9110 prescribes for If-None-Match
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
}

export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
