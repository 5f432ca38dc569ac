import { randomBytes } from 'node:crypto';

const MAX_BASE = 100;

/** "Fujifilm X-T5: dials & 40 MP!" → "fujifilm-x-t5-dials-40-mp-k3m9q2". The suffix keeps slugs unique without a lookup race. */
export function slugify(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_BASE)
    .replace(/-+$/g, '');
  const suffix = randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(-6);
  return base ? `${base}-${suffix}` : `review-${suffix}`;
}
