import type { RequestHandler, Response } from 'express';

// Public reads are cacheable by browsers and CDNs; anything tied to an editor never is.

export type PublicCachePolicy = { maxAgeSeconds: number };

export function publicCacheControl(policy: PublicCachePolicy): string {
  const s = policy.maxAgeSeconds;
  return `public, max-age=${s}, s-maxage=${s}, stale-while-revalidate=${s * 5}, stale-if-error=86400`;
}

/**
 * Public JSON with CDN-friendly caching. The strong ETag and the 304 for a matching
 * If-None-Match come from Express itself (`app.set('etag', 'strong')`), computed on the exact bytes sent.
 */
export function sendPublicJson<T>(res: Response, body: T, policy: PublicCachePolicy): void {
  res.set({ 'Cache-Control': publicCacheControl(policy), Vary: 'Accept-Encoding' });
  res.json(body);
}

export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
