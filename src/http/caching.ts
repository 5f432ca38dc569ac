import type { RequestHandler } from 'express';

// Public reads are cacheable by browsers and CDNs; anything tied to an editor never is.

export type PublicCachePolicy = { maxAgeSeconds: number };

export function publicCacheControl(policy: PublicCachePolicy): string {
  const s = policy.maxAgeSeconds;
  return `public, max-age=${s}, s-maxage=${s}, stale-while-revalidate=${s * 5}, stale-if-error=86400`;
}

/** Weak comparison, as RFC 9110 prescribes for If-None-Match. */
export function ifNoneMatchHits(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
}

export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
